import { useId, useState, type FormEvent } from 'react';
import type { DocumentSummary, Dossier } from '../../../../shared/api/contract';
import { api, useApiEvent, useCall } from '../../api';
import { useErrorText, useFormatters, useT } from '../../i18n';
import { Notice } from '../../ui/Notice';
import { DossierStatusBadge } from '../dossiers/DossierStatusBadge';
import { useAction } from './useAction';

/**
 * The dossier's reception facts (channel, promised return date, result) and the clerk's next
 * step: record the result once digitized, then hand it over; with the history of every change.
 */
export function LifecyclePanel({
  dossier,
  documents,
  onChanged,
}: {
  dossier: Dossier;
  documents: DocumentSummary[];
  onChanged: () => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  const { date, dateTime } = useFormatters();
  const history = useCall('dossiers.history', { dossierId: dossier.id });
  useApiEvent('workflow.changed', (e) => {
    if (e.dossierId === dossier.id) history.reload();
  });
  const action = useAction(() => {
    history.reload();
    onChanged();
  });
  const codeId = useId();
  const docId = useId();
  const [resultCode, setResultCode] = useState('');
  const [resultDocument, setResultDocument] = useState('');

  async function recordResult(e: FormEvent) {
    e.preventDefault();
    const done = await action.run(() =>
      api.call('dossiers.recordResult', {
        dossierId: dossier.id,
        resultCode,
        documentId: resultDocument === '' ? null : resultDocument,
      }),
    );
    if (done) setResultCode('');
  }

  return (
    <section className="panel lifecycle" data-testid="lifecycle">
      <dl className="facts">
        <div className="facts__item">
          <dt>{t('channel.label')}</dt>
          <dd data-testid="dossier-channel">{t(`channel.${dossier.channel}`)}</dd>
        </div>
        <div className="facts__item">
          <dt>{t('lifecycle.promised')}</dt>
          <dd className="strong" data-testid="dossier-promised">
            {dossier.promisedReturnDate ? date(dossier.promisedReturnDate) : t('lifecycle.noPromise')}
          </dd>
        </div>
        {dossier.resultCode ? (
          <div className="facts__item">
            <dt>{t('lifecycle.result')}</dt>
            <dd className="mono" data-testid="dossier-result">
              {dossier.resultCode}
            </dd>
          </div>
        ) : null}
      </dl>

      {action.error ? (
        <Notice tone="error" testId="lifecycle-error">
          {errorText(action.error)}
        </Notice>
      ) : null}

      {dossier.status === 'digitized' ? (
        <form className="lifecycle__form" onSubmit={recordResult}>
          <div className="field">
            <label className="field__label" htmlFor={codeId}>
              {t('lifecycle.resultCode')}
            </label>
            <input
              id={codeId}
              className="input input--small input--mono"
              value={resultCode}
              maxLength={64}
              placeholder={t('lifecycle.resultPlaceholder')}
              onChange={(e) => setResultCode(e.target.value)}
              data-testid="result-code"
            />
          </div>
          <div className="field">
            <label className="field__label" htmlFor={docId}>
              {t('lifecycle.resultDocument')}
            </label>
            <select
              id={docId}
              className="input input--small select"
              value={resultDocument}
              onChange={(e) => setResultDocument(e.target.value)}
            >
              <option value="">{t('lifecycle.noResultDocument')}</option>
              {documents.map((doc) => (
                <option key={doc.id} value={doc.id}>
                  {doc.title}
                </option>
              ))}
            </select>
          </div>
          <button
            type="submit"
            className="btn btn--primary btn--small"
            disabled={action.busy}
            data-testid="record-result"
          >
            {t('lifecycle.recordResult')}
          </button>
        </form>
      ) : null}
      {dossier.status === 'result_recorded' ? (
        <div className="lifecycle__form">
          <button
            type="button"
            className="btn btn--primary btn--small"
            disabled={action.busy}
            onClick={() => void action.run(() => api.call('dossiers.markReturned', { dossierId: dossier.id }))}
            data-testid="mark-returned"
          >
            {t('lifecycle.markReturned')}
          </button>
        </div>
      ) : null}

      <details className="lifecycle__history">
        <summary>{t('lifecycle.history')}</summary>
        <ol className="lifecycle__steps" data-testid="lifecycle-history">
          {(history.data ?? []).map((step) => (
            <li key={step.id}>
              <DossierStatusBadge status={step.toStatus} /> <span className="small">{dateTime(step.at)}</span>{' '}
              <span className="muted small">{t('lifecycle.by', { actor: step.actor })}</span>
              {step.note ? <span className="mono small"> · {step.note}</span> : null}
            </li>
          ))}
        </ol>
      </details>
    </section>
  );
}
