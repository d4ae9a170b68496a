import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { SyncStatus, SyncSummary } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { useErrorText, useFormatters, useT } from '../../i18n';
import { Notice } from '../../ui/Notice';
import { useMayCall } from '../auth/session';
import { Field } from '../../ui/Field';

/** Sync details for the clerk: where it syncs, what waits, the last success and error; "sync now". */
export function SyncPanel({
  status,
  onChanged,
  onClose,
}: {
  status: SyncStatus | undefined;
  onChanged: () => void;
  onClose: () => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  const { dateTime } = useFormatters();
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [summary, setSummary] = useState<SyncSummary | null>(null);
  // Enrolling the workstation is the administrator's; syncing, anyone's whose work it carries.
  const mayEnrol = useMayCall('sync.enrol');
  const maySync = useMayCall('sync.now');

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  async function syncNow() {
    setBusy(true);
    setError(null);
    try {
      setSummary(await api.call('sync.now', {}));
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
      onChanged();
    }
  }

  return (
    <dialog
      ref={dialog}
      className="dialog sync-panel"
      aria-labelledby="sync-panel-title"
      data-testid="sync-panel"
      onClose={onClose}
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="dialog__body">
        <h2 id="sync-panel-title" className="dialog__title">
          {t('sync.title')}
        </h2>
        {status && !status.enrolled ? (
          mayEnrol ? (
            <EnrolForm
              onEnrolled={() => {
                onChanged();
              }}
            />
          ) : (
            <p className="muted">{t('sync.notEnrolled')}</p>
          )
        ) : status ? (
          <>
            <dl className="sync-facts">
              <dt>{t('sync.server')}</dt>
              <dd data-testid="sync-server">{status.server}</dd>
              <dt>{t('sync.unit')}</dt>
              <dd>{status.unit}</dd>
              <dt>{t('sync.queue')}</dt>
              <dd data-testid="sync-pending">{t('sync.queueValue', { pending: status.pending })}</dd>
              <dt>{t('sync.lastSuccess')}</dt>
              <dd data-testid="sync-last-success">
                {status.lastSuccessAt ? dateTime(status.lastSuccessAt) : t('sync.never')}
              </dd>
              <dt>{t('sync.remote')}</dt>
              <dd>{status.remoteDocuments}</dd>
            </dl>
            {status.refused > 0 ? <Notice tone="warning">{t('sync.refused', { n: status.refused })}</Notice> : null}
            {status.lastError ? (
              <Notice tone="error" testId="sync-last-error">
                {errorText(status.lastError)}
              </Notice>
            ) : null}
            {summary ? (
              <Notice tone={summary.errors > 0 ? 'warning' : 'success'} testId="sync-summary">
                {t('sync.result', { pushed: summary.pushed, pulled: summary.pulled, pending: summary.pending })}
              </Notice>
            ) : null}
          </>
        ) : null}
        {error ? <Notice tone="error">{errorText(error)}</Notice> : null}
        <div className="dialog__actions">
          {status?.enrolled && maySync ? (
            <button
              type="button"
              className="btn btn--primary"
              onClick={() => void syncNow()}
              disabled={busy || status.running}
              data-testid="sync-now"
            >
              {busy || status.running ? t('sync.running') : t('sync.now')}
            </button>
          ) : null}
          <button type="button" className="btn" onClick={onClose}>
            {t('common.close')}
          </button>
        </div>
      </div>
    </dialog>
  );
}

function EnrolForm({ onEnrolled }: { onEnrolled: () => void }) {
  const t = useT();
  const errorText = useErrorText();
  const [server, setServer] = useState('');
  const [code, setCode] = useState('');
  const [deviceName, setDeviceName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.call('sync.enrol', { server, code, deviceName });
      onEnrolled();
    } catch (failure) {
      setError(toAppError(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="sync-enrol" onSubmit={(e) => void submit(e)} data-testid="sync-enrol-form">
      <p className="muted small">{t('sync.enrolHint')}</p>
      <Field label={t('sync.serverUrl')}>
        {(id) => (
          <input
            id={id}
            className={`input${error?.field === 'server' ? ' input--invalid' : ''}`}
            value={server}
            placeholder="https://dongbo.tinh.gov.vn"
            autoComplete="off"
            required
            onChange={(e) => setServer(e.target.value)}
          />
        )}
      </Field>
      <Field label={t('sync.code')}>
        {(id) => (
          <input
            id={id}
            className="input input--mono"
            value={code}
            placeholder="ABCD-EFGH-JKMN"
            autoComplete="off"
            required
            onChange={(e) => setCode(e.target.value)}
          />
        )}
      </Field>
      <Field label={t('sync.deviceName')}>
        {(id) => (
          <input
            id={id}
            className="input"
            value={deviceName}
            maxLength={100}
            onChange={(e) => setDeviceName(e.target.value)}
          />
        )}
      </Field>
      {error ? <Notice tone="error">{errorText(error)}</Notice> : null}
      <button type="submit" className="btn btn--primary" disabled={busy} data-testid="sync-enrol">
        {t('sync.enrol')}
      </button>
    </form>
  );
}
