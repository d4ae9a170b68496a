import type { Dossier } from '../../../../shared/api/contract';
import { useT } from '../../i18n';
import { Badge } from '../../ui/Badge';
import { DOSSIER_TONE } from '../../ui/statusTone';

export function DossierStatusBadge({ status }: { status: Dossier['status'] }) {
  const t = useT();
  return (
    <Badge tone={DOSSIER_TONE[status]} testId="dossier-status">
      {t(`dossierStatus.${status}`)}
    </Badge>
  );
}
