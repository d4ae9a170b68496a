import type { Dossier } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';
import { routeHref } from '../../app/router';
import { useErrorText, useT } from '../../i18n';
import { Badge } from '../../ui/Badge';
import { Notice } from '../../ui/Notice';
import { DossierStatusBadge } from './DossierStatusBadge';

/**
 * The left column: recent dossiers, newest first, the open one marked; a dossier with recognized
 * pages still under the review threshold says how many.
 */
export function DossierList({
  dossiers,
  error,
  activeId,
}: {
  dossiers: readonly Dossier[] | undefined;
  error: AppError | undefined;
  activeId: string | null;
}) {
  const t = useT();
  const errorText = useErrorText();
  return (
    <nav className="dossier-list" aria-label={t('dossiers.title')} data-testid="dossier-list">
      <h2 className="sidebar__heading">{t('dossiers.title')}</h2>
      {error ? (
        <Notice tone="error">
          {t('dossiers.loadError')} {errorText(error)}
        </Notice>
      ) : null}
      {dossiers && dossiers.length === 0 ? <p className="muted small pad">{t('dossiers.empty')}</p> : null}
      <ul className="dossier-list__items">
        {dossiers?.map((d) => (
          <li key={d.id}>
            <a
              className={`dossier-item${d.id === activeId ? ' dossier-item--active' : ''}`}
              href={routeHref({ name: 'dossier', id: d.id })}
              aria-current={d.id === activeId ? 'page' : undefined}
              data-testid="dossier-item"
              data-dossier-id={d.id}
            >
              <span className="dossier-item__row">
                <span className="dossier-item__name truncate">{d.citizenName || d.citizenId}</span>
                <DossierStatusBadge status={d.status} />
              </span>
              <span className="dossier-item__code">{d.code}</span>
              <span className="dossier-item__meta">
                <span className="truncate" title={`${d.procedureCode} — ${d.procedureName}`}>
                  {d.procedureName}
                </span>
                <span className="nowrap">
                  {d.pagesToReview > 0 ? (
                    <Badge
                      tone="warning"
                      title={t('dossiers.toReviewTitle', { n: d.pagesToReview })}
                      testId="dossier-item-to-review"
                    >
                      {t('dossiers.toReview', { n: d.pagesToReview })}
                    </Badge>
                  ) : null}{' '}
                  {t('dossiers.pageCount', { n: d.pageCount })}
                </span>
              </span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
