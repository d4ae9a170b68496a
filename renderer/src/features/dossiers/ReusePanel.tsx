import type { ReusableDocument } from '../../../../shared/api/contract';
import { api, useCall } from '../../api';
import { navigate } from '../../app/router';
import { useErrorText, useFormatters, useT } from '../../i18n';
import { Notice } from '../../ui/Notice';

/**
 * "Giấy tờ đã số hóa của công dân này": what is already stored for a valid ID number, so the clerk
 * can skip rescanning it. The start of reuse.
 */
export function ReusePanel({ citizenId }: { citizenId: string | null }) {
  const t = useT();
  const errorText = useErrorText();
  const lookup = useCall('reuse.lookup', citizenId === null ? null : { citizenId });

  return (
    <section className="panel reuse" data-testid="reuse-panel" aria-live="polite">
      <h2 className="panel__title">{t('reuse.title')}</h2>
      {citizenId === null ? (
        <p className="muted">{t('reuse.hint')}</p>
      ) : lookup.error ? (
        <Notice tone="error">{errorText(lookup.error)}</Notice>
      ) : lookup.data === undefined ? (
        <p className="muted">{t('reuse.checking')}</p>
      ) : lookup.data.length === 0 ? (
        <p className="muted" data-testid="reuse-empty">
          {t('reuse.none')}
        </p>
      ) : (
        <ul className="reuse__list" data-testid="reuse-list">
          {lookup.data.map((doc) => (
            <ReusableDocumentItem key={doc.documentId} doc={doc} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ReusableDocumentItem({ doc }: { doc: ReusableDocument }) {
  const t = useT();
  const { dateTime } = useFormatters();
  return (
    <li className="reuse__item" data-testid="reuse-item">
      {doc.firstPageId !== null ? (
        <img className="reuse__thumb" src={api.pageImageUrl(doc.firstPageId, 'thumb')} alt="" loading="lazy" />
      ) : (
        <div className="reuse__thumb reuse__thumb--empty" />
      )}
      <div className="reuse__meta">
        <div className="reuse__title">{doc.title}</div>
        <div className="muted small">
          {[
            t('reuse.pages', { n: doc.pageCount }),
            doc.dossierCode ? t('reuse.dossier', { code: doc.dossierCode }) : null,
            doc.procedureCode,
            dateTime(doc.createdAt),
          ]
            .filter(Boolean)
            .join(' · ')}
        </div>
      </div>
      {doc.firstPageId !== null ? (
        <button
          type="button"
          className="btn btn--small"
          onClick={() => doc.firstPageId !== null && navigate({ name: 'page', id: doc.firstPageId })}
        >
          {t('reuse.open')}
        </button>
      ) : null}
    </li>
  );
}
