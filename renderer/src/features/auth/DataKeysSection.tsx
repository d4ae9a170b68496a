import { useState, type FormEvent } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError, useCall } from '../../api';
import { useErrorText, useFormatters, useT } from '../../i18n';
import { InputField } from '../../ui/Field';
import { Notice } from '../../ui/Notice';
import { NewPassphraseFields, passphraseProblem } from './DataLockScreen';
import './auth.css';

type LocalError = { field: string; text: string } | null;

/**
 * "Khóa dữ liệu" on the admin screen: whether a recovery key exists (never the key), changing the
 * data passphrase, and making a new recovery key, shown once.
 */
export function DataKeysSection() {
  const t = useT();
  const { dateTime } = useFormatters();
  const errorText = useErrorText();
  const info = useCall('vault.keyInfo', {});
  return (
    <section className="panel data-keys" data-testid="data-keys">
      <h2 className="panel__title">{t('keys.title')}</h2>
      <p className="muted small">{t('keys.intro')}</p>
      {info.error ? <Notice tone="error">{errorText(info.error)}</Notice> : null}
      {info.data?.recoveryKeyCreatedAt ? (
        <p data-testid="recovery-key-status">
          {t('keys.recoveryExists', { at: dateTime(info.data.recoveryKeyCreatedAt) })}
          {info.data.keychain ? <span className="muted small"> {t('keys.keychain')}</span> : null}
        </p>
      ) : info.data ? (
        // Without a recovery key a forgotten passphrase loses every scan: said as a warning.
        <Notice tone="warning" testId="recovery-key-status">
          {t('keys.recoveryNone')}
          {info.data.keychain ? <span className="muted small"> {t('keys.keychain')}</span> : null}
        </Notice>
      ) : null}
      <ChangePassphraseForm />
      <RecoveryKeyForm onCreated={info.reload} />
    </section>
  );
}

function ChangePassphraseForm() {
  const t = useT();
  const errorText = useErrorText();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [localError, setLocalError] = useState<LocalError>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setDone(false);
    setError(null);
    const problem = !current
      ? { field: 'current', text: t('keys.currentRequired') }
      : passphraseProblem(next, again, t);
    setLocalError(problem);
    if (problem) return;
    setBusy(true);
    try {
      await api.call('vault.changePassphrase', { current, next, repeat: again });
      setDone(true);
      setCurrent('');
      setNext('');
      setAgain('');
    } catch (failure) {
      setError(toAppError(failure));
    } finally {
      setBusy(false);
    }
  }

  // The backend names the field it refused ('current', 'next', 'repeat'); the form shows it there.
  const serverField =
    error?.field === 'next' ? 'passphrase' : error?.field === 'repeat' ? 'passphraseAgain' : error?.field;
  const shown: LocalError =
    localError ?? (error && serverField ? { field: serverField, text: errorText(error) } : null);
  return (
    <form className="form data-keys__form" onSubmit={submit} noValidate data-testid="passphrase-change">
      <h3 className="panel__title data-keys__subtitle">{t('keys.changeTitle')}</h3>
      <InputField
        label={t('keys.current')}
        error={shown?.field === 'current' ? shown.text : null}
        type="password"
        autoComplete="current-password"
        maxLength={1024}
        value={current}
        readOnly={busy}
        onValue={setCurrent}
        testId="passphrase-current"
      />
      <NewPassphraseFields
        passphrase={next}
        again={again}
        onPassphrase={setNext}
        onAgain={setAgain}
        busy={busy}
        error={shown}
        fresh
      />
      {error && !serverField ? (
        <Notice tone="error" testId="passphrase-change-error">
          {errorText(error)}
        </Notice>
      ) : null}
      {done ? (
        <Notice tone="success" testId="passphrase-changed">
          {t('keys.changed')}
        </Notice>
      ) : null}
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={busy} data-testid="passphrase-change-submit">
          {busy ? t('keys.changing') : t('keys.changeSubmit')}
        </button>
      </div>
    </form>
  );
}

function RecoveryKeyForm({ onCreated }: { onCreated: () => void }) {
  const t = useT();
  const errorText = useErrorText();
  const [current, setCurrent] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [missing, setMissing] = useState(false);
  const [shownKey, setShownKey] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setError(null);
    setMissing(!current);
    if (!current) return;
    setBusy(true);
    try {
      const created = await api.call('vault.createRecoveryKey', { current });
      setShownKey(created.recoveryKey);
      setCurrent('');
      onCreated();
    } catch (failure) {
      setError(toAppError(failure));
    } finally {
      setBusy(false);
    }
  }

  if (shownKey) return <RecoveryKeyOnce recoveryKey={shownKey} onClose={() => setShownKey(null)} />;
  return (
    <form className="form data-keys__form" onSubmit={submit} noValidate data-testid="recovery-key-create">
      <h3 className="panel__title data-keys__subtitle">{t('keys.recoveryTitle')}</h3>
      <p className="muted small">{t('keys.recoveryIntro')}</p>
      <InputField
        label={t('keys.current')}
        error={missing ? t('keys.currentRequired') : error?.field === 'current' ? errorText(error) : null}
        type="password"
        autoComplete="current-password"
        maxLength={1024}
        value={current}
        readOnly={busy}
        onValue={setCurrent}
        testId="recovery-current"
      />
      {error && error.field !== 'current' ? (
        <Notice tone="error" testId="recovery-key-error">
          {errorText(error)}
        </Notice>
      ) : null}
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={busy} data-testid="recovery-key-submit">
          {busy ? t('keys.recoveryCreating') : t('keys.recoveryCreate')}
        </button>
      </div>
    </form>
  );
}

/** The new key, shown this once: copy, print, and a checkbox before it can be closed. */
function RecoveryKeyOnce({ recoveryKey, onClose }: { recoveryKey: string; onClose: () => void }) {
  const t = useT();
  const [written, setWritten] = useState(false);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(recoveryKey);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }

  function print() {
    // A window of its own, so the printout holds the key alone and not the admin screen.
    const win = window.open('', '_blank', 'width=640,height=360');
    if (!win) return;
    const doc = win.document;
    doc.title = t('keys.printTitle');
    const heading = doc.createElement('h1');
    heading.textContent = t('keys.printTitle');
    const code = doc.createElement('p');
    code.textContent = recoveryKey;
    code.style.cssText = 'font: 24px monospace; letter-spacing: 0.1em';
    doc.body.append(heading, code);
    win.print();
  }

  return (
    <div className="data-keys__once" role="alert" data-testid="recovery-key-once">
      <p className="strong">{t('keys.recoveryShown')}</p>
      <p className="data-keys__code mono" data-testid="recovery-key-value">
        {recoveryKey}
      </p>
      <div className="form__actions">
        <button type="button" className="btn" onClick={() => void copy()} data-testid="recovery-key-copy">
          {t('keys.copy')}
        </button>
        <button type="button" className="btn" onClick={print} data-testid="recovery-key-print">
          {t('keys.print')}
        </button>
        {copied ? (
          <span className="muted small" role="status">
            {copied === 'yes' ? t('keys.copied') : t('keys.copyFailed')}
          </span>
        ) : null}
      </div>
      <label className="data-keys__check">
        <input
          type="checkbox"
          checked={written}
          onChange={(e) => setWritten(e.target.checked)}
          data-testid="recovery-key-written"
        />{' '}
        {t('keys.written')}
      </label>
      <div className="form__actions">
        <button
          type="button"
          className="btn btn--primary"
          disabled={!written}
          onClick={onClose}
          data-testid="recovery-key-close"
        >
          {t('keys.close')}
        </button>
      </div>
    </div>
  );
}
