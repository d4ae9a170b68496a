import { useState } from 'react';
import type { DocumentTypeState, Page } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError, useCall } from '../../api';
import { useErrorText, useLang, useT } from '../../i18n';
import { Badge } from '../../ui/Badge';

/** The document's type: the suggestion, and a list to confirm it or pick the right one. */
export function DocumentTypePanel({ page }: { page: Page }) {
  const t = useT();
  const [lang] = useLang();
  const errorText = useErrorText();
  const types = useCall('documentTypes.list', {});
  const [state, setState] = useState<DocumentTypeState>(page.documentType);
  const [choice, setChoice] = useState(page.documentType.confirmed ?? page.documentType.suggested ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const nameOf = (code: string): string => {
    const type = types.data?.find((candidate) => candidate.code === code);
    return type ? (lang === 'vi' ? type.nameVi : type.nameEn) : code;
  };

  async function save(code: string | null) {
    setBusy(true);
    setError(null);
    try {
      const next = await api.call('documents.setType', { documentId: state.documentId, code });
      setState(next);
      setChoice(next.confirmed ?? next.suggested ?? '');
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="doc-type" data-testid="doc-type-panel" data-confirmed={state.confirmed ?? ''}>
      <h2 className="pane-heading">{t('docType.title')}</h2>
      <div className="doc-type__head">
        <span data-testid="doc-type-suggested" data-code={state.suggested ?? ''}>
          {state.suggested ? t('docType.suggested', { name: nameOf(state.suggested) }) : t('docType.none')}
        </span>
        {state.confirmed ? (
          <Badge tone="success" testId="doc-type-confirmed">
            {t('docType.confirmed')}: {nameOf(state.confirmed)}
          </Badge>
        ) : null}
      </div>
      <div className="doc-type__edit">
        <select
          className="input input--small select"
          aria-label={t('docType.label')}
          value={choice}
          disabled={busy || !types.data}
          onChange={(e) => setChoice(e.target.value)}
          data-testid="doc-type-select"
        >
          <option value="">{t('docType.choose')}</option>
          {(types.data ?? []).map((type) => (
            <option key={type.code} value={type.code}>
              {lang === 'vi' ? type.nameVi : type.nameEn}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn btn--small btn--success"
          disabled={busy || choice === '' || choice === state.confirmed}
          onClick={() => void save(choice)}
          data-testid="doc-type-confirm"
        >
          {t('docType.confirm')}
        </button>
        {state.confirmed ? (
          <button
            type="button"
            className="btn btn--small btn--ghost"
            disabled={busy}
            onClick={() => void save(null)}
            data-testid="doc-type-clear"
          >
            {t('docType.clear')}
          </button>
        ) : null}
      </div>
      {error ? <div className="field__error">{errorText(error)}</div> : null}
    </section>
  );
}
