import { useState } from 'react';
import type { DocumentSummary } from '../../../../shared/api/contract';
import { useT } from '../../i18n';
import { Icon } from '../../ui/icons';
import { CameraPanel } from './CameraPanel';

/** "Máy ảnh": opens the document camera for the open dossier. */
export function CameraButton({
  dossierId,
  documents,
  onImported,
}: {
  dossierId: string;
  documents: readonly DocumentSummary[];
  onImported: () => void;
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="btn"
        onClick={() => setOpen(true)}
        title={t('camera.title')}
        data-testid="camera-open"
      >
        <Icon name="camera" size={16} />
        {t('camera.open')}
      </button>
      {open ? (
        <CameraPanel
          dossierId={dossierId}
          documents={documents}
          onImported={onImported}
          onClose={() => setOpen(false)}
        />
      ) : null}
    </>
  );
}
