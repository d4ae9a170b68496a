import type { Dossier } from '../../../../shared/api/contract';
import { useFormatters, useT } from '../../i18n';
import { DossierStatusBadge } from './DossierStatusBadge';

/** Code, citizen, procedure and status of the open dossier. */
export function DossierHeader({ dossier }: { dossier: Dossier }) {
  const t = useT();
  const { dateTime } = useFormatters();
  return (
    <header className="dossier-header" data-testid="dossier-header">
      <div className="dossier-header__main">
        <div className="dossier-header__label">{t('dossier.code')}</div>
        <h1 className="dossier-header__code mono" data-testid="dossier-code">
          {dossier.code}
        </h1>
      </div>
      <dl className="facts">
        <div className="facts__item">
          <dt>{t('dossier.citizen')}</dt>
          <dd data-testid="dossier-citizen">
            <span className="strong">{dossier.citizenName || '—'}</span>{' '}
            <span className="mono muted">{dossier.citizenId}</span>
          </dd>
        </div>
        <div className="facts__item facts__item--wide">
          <dt>{t('dossier.procedure')}</dt>
          <dd data-testid="dossier-procedure">
            <span className="mono muted">{dossier.procedureCode}</span> {dossier.procedureName}
          </dd>
        </div>
        <div className="facts__item">
          <dt>{t('dossier.status')}</dt>
          <dd>
            <DossierStatusBadge status={dossier.status} />
          </dd>
        </div>
        <div className="facts__item">
          <dt>{t('dossier.created')}</dt>
          <dd>{dateTime(dossier.createdAt)}</dd>
        </div>
      </dl>
    </header>
  );
}
