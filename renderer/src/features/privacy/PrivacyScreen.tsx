import { useState, type FormEvent } from 'react';
import {
  type CitizenHoldings,
  type CitizenRequest,
  type ProcessorSettings,
  type RequestKind,
} from '../../../../shared/api/calls/privacy';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError, useCall } from '../../api';
import { useErrorText, useFormatters, useT } from '../../i18n';
import { Badge } from '../../ui/Badge';
import { Field } from '../../ui/Field';
import { Notice } from '../../ui/Notice';
import { ReasonForm } from '../../ui/ReasonForm';
import { useMayCall } from '../auth/session';
import './privacy.css';

const KINDS: RequestKind[] = ['access', 'restriction', 'deletion'];

/**
 * Personal data: the postal processor's contract and purge report (admins, postal operators,
 * supervisors), and citizens' requests tracked against the 72-hour limit (admins, supervisors).
 */
export function PrivacyScreen() {
  const t = useT();
  const mayReport = useMayCall('privacy.purgeReport');
  const mayRequests = useMayCall('privacy.listRequests');
  return (
    <div className="content-pad" data-testid="privacy-screen">
      <h1 className="panel__title panel__title--lg">{t('privacy.title')}</h1>
      {mayRequests ? <RequestsSection /> : null}
      {mayReport ? <ProcessorSection /> : null}
    </div>
  );
}

/** Runs one action at a time, keeping its error for the screen. */
function useAction(): {
  busy: boolean;
  error: AppError | null;
  run: <T>(action: () => Promise<T>) => Promise<T | undefined>;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (caught) {
      setError(toAppError(caught));
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run };
}

function ProcessorSection() {
  const t = useT();
  const errorText = useErrorText();
  // The 72-hour limit runs in Vietnam time.
  const { vietnamDateTime: vietnamClock } = useFormatters();
  const mayEdit = useMayCall('privacy.setProcessor');
  const settings = useCall('privacy.processorSettings', {});
  const [period, setPeriod] = useState({ from: '', to: '' });
  const report = useCall(
    'privacy.purgeReport',
    { ...(period.from ? { from: period.from } : {}), ...(period.to ? { to: period.to } : {}) },
    { keepPrevious: true },
  );

  return (
    <section className="panel privacy__section" data-testid="privacy-processor">
      <h2 className="panel__title">{t('privacy.processor')}</h2>
      <p className="field__hint">{t('privacy.processorHint')}</p>
      {mayEdit && settings.data ? (
        <ProcessorForm
          initial={settings.data}
          onChanged={() => {
            settings.reload();
            report.reload();
          }}
        />
      ) : null}
      <h2 className="panel__title privacy__subtitle">{t('privacy.report')}</h2>
      <div className="privacy__form">
        <Field label={t('privacy.from')}>
          {(id) => (
            <input
              id={id}
              className="input"
              type="date"
              value={period.from}
              onChange={(e) => setPeriod((p) => ({ ...p, from: e.target.value }))}
            />
          )}
        </Field>
        <Field label={t('privacy.to')}>
          {(id) => (
            <input
              id={id}
              className="input"
              type="date"
              value={period.to}
              onChange={(e) => setPeriod((p) => ({ ...p, to: e.target.value }))}
            />
          )}
        </Field>
      </div>
      {report.error ? <Notice tone="error">{errorText(report.error)}</Notice> : null}
      {report.data ? (
        <>
          <p data-testid="privacy-report-totals">
            {t('privacy.reportTotals', {
              ref: report.data.contractRef || '—',
              dossiers: report.data.totals.dossiers,
              documents: report.data.totals.documents,
              pages: report.data.totals.pages,
            })}
          </p>
          {report.data.rows.length === 0 ? (
            <p>{t('privacy.reportEmpty')}</p>
          ) : (
            <table className="table" data-testid="privacy-report-table">
              <thead>
                <tr>
                  <th>{t('privacy.col.at')}</th>
                  <th>{t('privacy.col.dossier')}</th>
                  <th>{t('privacy.col.documents')}</th>
                  <th>{t('privacy.col.pages')}</th>
                  <th>{t('privacy.col.files')}</th>
                  <th>{t('privacy.col.state')}</th>
                  <th>{t('privacy.col.actor')}</th>
                </tr>
              </thead>
              <tbody>
                {report.data.rows.map((row) => (
                  <tr key={row.dossierId}>
                    <td>{vietnamClock(row.startedAt)}</td>
                    <td>{row.dossierCode}</td>
                    <td>{row.documents}</td>
                    <td>{row.pages}</td>
                    <td>{row.filesRemoved}</td>
                    <td>{t(row.state === 'done' ? 'privacy.state.done' : 'privacy.state.files')}</td>
                    <td>{row.actor}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : null}
    </section>
  );
}

/** The contract reference and the mode switch (administrators), and a purge on demand. */
function ProcessorForm({ initial, onChanged }: { initial: ProcessorSettings; onChanged: () => void }) {
  const t = useT();
  const errorText = useErrorText();
  const [mode, setMode] = useState(initial.processorMode);
  const [contractRef, setContractRef] = useState(initial.contractRef);
  const [note, setNote] = useState<string | null>(null);
  const action = useAction();

  async function save(e: FormEvent) {
    e.preventDefault();
    setNote(null);
    const saved = await action.run(() => api.call('privacy.setProcessor', { processorMode: mode, contractRef }));
    if (saved) {
      setNote(t('privacy.saved'));
      onChanged();
    }
  }

  async function purgeNow() {
    setNote(null);
    const done = await action.run(() => api.call('privacy.purgeNow', {}));
    if (done) {
      setNote(t('privacy.purgeDone', { n: done.purged, files: done.filesRemoved }));
      onChanged();
    }
  }

  return (
    <>
      <form onSubmit={save} className="privacy__form">
        <Field label={t('privacy.contractRef')}>
          {(id) => (
            <input
              id={id}
              className="input"
              value={contractRef}
              maxLength={120}
              onChange={(e) => setContractRef(e.target.value)}
              data-testid="privacy-contract"
            />
          )}
        </Field>
        <label className="check privacy__check">
          <input
            type="checkbox"
            checked={mode}
            onChange={(e) => setMode(e.target.checked)}
            data-testid="privacy-mode"
          />
          {t('privacy.processorMode')}
        </label>
        <button type="submit" className="btn btn--primary" disabled={action.busy} data-testid="privacy-save">
          {t('privacy.save')}
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => void purgeNow()}
          disabled={action.busy}
          data-testid="privacy-purge-now"
        >
          {action.busy ? t('privacy.working') : t('privacy.purgeNow')}
        </button>
      </form>
      {action.error ? <Notice tone="error">{errorText(action.error)}</Notice> : null}
      {note ? <Notice tone="success">{note}</Notice> : null}
    </>
  );
}

function RequestsSection() {
  const t = useT();
  const errorText = useErrorText();
  const [showClosed, setShowClosed] = useState(false);
  const requests = useCall('privacy.listRequests', { status: showClosed ? 'all' : 'open' });
  const [draft, setDraft] = useState({
    citizenId: '',
    kind: 'access' as RequestKind,
    receivedAt: '',
    legalBasis: '',
    notes: '',
  });
  const action = useAction();

  async function register(e: FormEvent) {
    e.preventDefault();
    const created = await action.run(() =>
      api.call('privacy.createRequest', {
        citizenId: draft.citizenId,
        kind: draft.kind,
        legalBasis: draft.legalBasis,
        notes: draft.notes,
        ...(draft.receivedAt ? { receivedAt: draft.receivedAt } : {}),
      }),
    );
    if (created) {
      setDraft((d) => ({ ...d, citizenId: '', receivedAt: '', notes: '' }));
      requests.reload();
    }
  }

  return (
    <section className="panel privacy__section" data-testid="privacy-requests">
      <h2 className="panel__title">{t('privacy.requests')}</h2>
      <form onSubmit={register} className="privacy__form">
        <Field
          label={t('privacy.citizenId')}
          error={action.error?.field === 'citizenId' ? errorText(action.error) : null}
        >
          {(id) => (
            <input
              id={id}
              className="input"
              inputMode="numeric"
              autoComplete="off"
              value={draft.citizenId}
              onChange={(e) => setDraft((d) => ({ ...d, citizenId: e.target.value }))}
              data-testid="privacy-request-citizen"
            />
          )}
        </Field>
        <Field label={t('privacy.kind')}>
          {(id) => (
            <select
              id={id}
              className="input select"
              value={draft.kind}
              onChange={(e) => setDraft((d) => ({ ...d, kind: e.target.value as RequestKind }))}
              data-testid="privacy-request-kind"
            >
              {KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`privacy.kind.${kind}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('privacy.receivedAt')} hint={t('privacy.receivedAtHint')}>
          {(id) => (
            <input
              id={id}
              className="input"
              type="datetime-local"
              value={draft.receivedAt}
              onChange={(e) => setDraft((d) => ({ ...d, receivedAt: e.target.value }))}
            />
          )}
        </Field>
        <Field label={t('privacy.legalBasis')}>
          {(id) => (
            <input
              id={id}
              className="input"
              value={draft.legalBasis}
              maxLength={500}
              onChange={(e) => setDraft((d) => ({ ...d, legalBasis: e.target.value }))}
              data-testid="privacy-request-basis"
            />
          )}
        </Field>
        <Field label={t('privacy.notes')}>
          {(id) => (
            <input
              id={id}
              className="input"
              value={draft.notes}
              maxLength={2000}
              onChange={(e) => setDraft((d) => ({ ...d, notes: e.target.value }))}
            />
          )}
        </Field>
        <button type="submit" className="btn btn--primary" disabled={action.busy} data-testid="privacy-request-submit">
          {t('privacy.register')}
        </button>
      </form>
      {action.error && action.error.field !== 'citizenId' ? (
        <Notice tone="error">{errorText(action.error)}</Notice>
      ) : null}
      <label className="check privacy__check">
        <input type="checkbox" checked={showClosed} onChange={(e) => setShowClosed(e.target.checked)} />
        {t('privacy.showClosed')}
      </label>
      {requests.error ? <Notice tone="error">{errorText(requests.error)}</Notice> : null}
      {requests.data?.length === 0 ? <p className="muted">{t('privacy.noRequests')}</p> : null}
      <ul className="privacy__requests" data-testid="privacy-request-list">
        {requests.data?.map((request) => (
          <RequestRow key={request.id} request={request} onChanged={requests.reload} />
        ))}
      </ul>
    </section>
  );
}

function RequestRow({ request, onChanged }: { request: CitizenRequest; onChanged: () => void }) {
  const t = useT();
  // The 72-hour limit runs in Vietnam time.
  const { vietnamDateTime: vietnamClock } = useFormatters();
  const errorText = useErrorText();
  const action = useAction();
  const [held, setHeld] = useState<CitizenHoldings | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [closing, setClosing] = useState<'done' | 'refused' | null>(null);
  const [reason, setReason] = useState('');
  const open = request.status === 'open';

  async function exportAs(format: 'pdf' | 'zip') {
    await action.run(async () => {
      const file = await api.call('privacy.exportCitizen', { requestId: request.id, format });
      await api.deliver(file, 'save');
    });
  }

  async function act(run: () => Promise<unknown>) {
    const done = await action.run(run);
    if (done !== undefined) onChanged();
  }

  async function remove() {
    if (!window.confirm(t('privacy.deleteConfirm'))) return;
    const outcome = await action.run(() => api.call('privacy.deleteCitizenData', { requestId: request.id }));
    if (outcome) setResult(outcome.outcome);
    onChanged();
  }

  async function close(e: FormEvent) {
    e.preventDefault();
    if (!closing) return;
    await act(() => api.call('privacy.closeRequest', { id: request.id, status: closing, outcome: reason }));
    setClosing(null);
  }

  return (
    <li
      className={`privacy__request${request.overdue && open ? ' privacy__request--overdue' : ''}`}
      data-testid="privacy-request"
      data-overdue={request.overdue ? 'true' : 'false'}
    >
      <div className="privacy__request-head">
        <strong>{request.citizenId}</strong>
        <span>{t(`privacy.kind.${request.kind}`)}</span>
        <Badge tone={open ? 'info' : request.status === 'done' ? 'success' : 'warning'}>
          {t(`privacy.status.${request.status}`)}
        </Badge>
        <span>{t('privacy.due', { at: vietnamClock(request.dueAt) })}</span>
        {request.overdue ? <Badge tone="danger">{t('privacy.overdue')}</Badge> : null}
        {open && request.hoursLeft !== null && request.hoursLeft > 0 ? (
          <span>{t('privacy.hoursLeft', { h: Math.floor(request.hoursLeft) })}</span>
        ) : null}
        {request.restricted ? <Badge tone="warning">{t('privacy.restricted')}</Badge> : null}
      </div>
      <div className="field__hint">
        {request.legalBasis}
        {request.notes ? ` — ${request.notes}` : ''}
        {request.outcome ? ` — ${request.outcome}` : ''}
      </div>
      <div className="privacy__request-actions">
        <button
          type="button"
          className="btn btn--small"
          disabled={action.busy}
          onClick={() =>
            void action.run(async () => setHeld(await api.call('privacy.holdings', { requestId: request.id })))
          }
        >
          {t('privacy.holdings')}
        </button>
        {open && request.kind === 'access' ? (
          <>
            <button
              type="button"
              className="btn btn--small"
              disabled={action.busy}
              onClick={() => void exportAs('pdf')}
            >
              {t('privacy.exportPdf')}
            </button>
            <button
              type="button"
              className="btn btn--small"
              disabled={action.busy}
              onClick={() => void exportAs('zip')}
            >
              {t('privacy.exportZip')}
            </button>
          </>
        ) : null}
        {open && request.kind === 'restriction' && !request.restricted ? (
          <button
            type="button"
            className="btn btn--small"
            disabled={action.busy}
            onClick={() => void act(() => api.call('privacy.restrict', { requestId: request.id }))}
          >
            {t('privacy.restrict')}
          </button>
        ) : null}
        {request.kind === 'restriction' && request.restricted ? (
          <button
            type="button"
            className="btn btn--small"
            disabled={action.busy}
            onClick={() => void act(() => api.call('privacy.liftRestriction', { requestId: request.id }))}
          >
            {t('privacy.lift')}
          </button>
        ) : null}
        {open && request.kind === 'deletion' ? (
          <button type="button" className="btn btn--small" disabled={action.busy} onClick={() => void remove()}>
            {t('privacy.delete')}
          </button>
        ) : null}
        {open ? (
          <>
            <button type="button" className="btn btn--small" onClick={() => setClosing('done')}>
              {t('privacy.markDone')}
            </button>
            <button type="button" className="btn btn--small" onClick={() => setClosing('refused')}>
              {t('privacy.refuse')}
            </button>
          </>
        ) : null}
        {action.busy ? <span>{t('privacy.working')}</span> : null}
      </div>
      {closing ? (
        <ReasonForm
          className="reason-form"
          label={t('privacy.reason')}
          placeholder={t('privacy.reasonPlaceholder')}
          value={reason}
          onChange={setReason}
          onSubmit={(e) => void close(e)}
          onCancel={() => setClosing(null)}
          busy={action.busy}
          submitLabel={closing === 'done' ? t('privacy.markDone') : t('privacy.refuse')}
          testIds={{ input: 'privacy-reason', submit: 'privacy-reason-submit' }}
        />
      ) : null}
      {held ? (
        <Notice tone="info">
          {held.dossiers.map((d) => d.code).join(', ')}{' '}
          {t('privacy.holdingsText', {
            dossiers: held.dossiers.length,
            documents: held.documents,
            pages: held.pages,
            log: held.processingLogEntries,
          })}
        </Notice>
      ) : null}
      {result ? <Notice tone="success">{result}</Notice> : null}
      {action.error ? <Notice tone="error">{errorText(action.error)}</Notice> : null}
    </li>
  );
}
