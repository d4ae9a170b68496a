import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { User } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { useErrorText, useT } from '../../i18n';
import { Notice } from '../../ui/Notice';
import './auth.css';
import { Field } from '../../ui/Field';
import { NewPassphraseFields, passphraseProblem } from './DataLockScreen';

/** The backend refuses shorter passwords too; checking here saves a round trip. */
export const MIN_PASSWORD_LENGTH = 8;

/** The top bar and a centred card, shared by the sign-in and first-run screens. */
export function AuthFrame({ children, testId }: { children: ReactNode; testId: string }) {
  const t = useT();
  return (
    <div className="auth" data-testid={testId}>
      <header className="auth__bar">
        <span className="brand">
          <span className="brand__mark" aria-hidden="true">
            SH
          </span>
          <span className="brand__text">
            <span className="brand__name">{t('app.name')}</span>
            <span className="brand__tagline">{t('app.tagline')}</span>
          </span>
        </span>
        <LanguageSwitch />
      </header>
      <main className="auth__main">
        <div className="panel auth__card">{children}</div>
      </main>
    </div>
  );
}

export type SignInNote = 'locked' | 'expired' | null;

/** Username and password; Enter submits. The backend's refusal (wrong password, slow down) is shown as it is. */
export function SignInScreen({
  note,
  initialUsername,
  beforeSubmit,
  onSignedIn,
}: {
  note: SignInNote;
  initialUsername: string;
  /** Resolves once an earlier sign-out has finished, so it cannot clear the new session. */
  beforeSubmit: () => Promise<unknown>;
  onSignedIn: (user: User) => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  const [username, setUsername] = useState(initialUsername);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const passwordInput = useRef<HTMLInputElement>(null);
  const usernameInput = useRef<HTMLInputElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!username.trim()) {
      setError(t('auth.usernameRequired'));
      usernameInput.current?.focus();
      return;
    }
    if (!password) {
      setError(t('auth.passwordRequired'));
      passwordInput.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await beforeSubmit();
      const { user } = await api.call('auth.signIn', { username: username.trim(), password });
      onSignedIn(user);
    } catch (failure) {
      setError(errorText(toAppError(failure)));
      setPassword('');
      setBusy(false);
      passwordInput.current?.focus();
    }
  }

  return (
    <AuthFrame testId="sign-in-screen">
      <h1 className="panel__title panel__title--lg">{t('auth.signInTitle')}</h1>
      {note ? (
        <Notice tone={note === 'locked' ? 'info' : 'warning'} testId="sign-in-note">
          {t(note === 'locked' ? 'auth.locked' : 'auth.expired')}
        </Notice>
      ) : null}
      <form className="form" onSubmit={submit} noValidate>
        <Field label={t('auth.username')}>
          {(id) => (
            <input
              id={id}
              ref={usernameInput}
              className="input"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              maxLength={64}
              autoFocus={!initialUsername}
              value={username}
              readOnly={busy}
              onChange={(e) => setUsername(e.target.value)}
              data-testid="sign-in-username"
            />
          )}
        </Field>
        <Field label={t('auth.password')}>
          {(id) => (
            <input
              id={id}
              ref={passwordInput}
              className="input"
              type="password"
              autoComplete="current-password"
              maxLength={256}
              autoFocus={Boolean(initialUsername)}
              value={password}
              readOnly={busy}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="sign-in-password"
            />
          )}
        </Field>
        {error ? (
          <Notice tone="error" testId="sign-in-error">
            {error}
          </Notice>
        ) : null}
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" disabled={busy} data-testid="sign-in-submit">
            {busy ? t('auth.working') : t('auth.signInSubmit')}
          </button>
        </div>
      </form>
    </AuthFrame>
  );
}

/**
 * First run: the administrator's account (password twice), and in browser mode the data
 * passphrase that encrypts the scans (`needsPassphrase`); on success the administrator is signed in.
 */
export function SetupScreen({
  onSignedIn,
  needsPassphrase = false,
}: {
  onSignedIn: (user: User) => void;
  needsPassphrase?: boolean;
}) {
  const t = useT();
  const errorText = useErrorText();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [passphraseAgain, setPassphraseAgain] = useState('');
  // Set once: if creating the account then fails, a retry must not set the passphrase again.
  const [passphraseSet, setPassphraseSet] = useState(!needsPassphrase);
  const [localError, setLocalError] = useState<{ field: string; text: string } | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setError(null);
    if (!username.trim()) return setLocalError({ field: 'username', text: t('auth.usernameRequired') });
    if (password.length < MIN_PASSWORD_LENGTH)
      return setLocalError({ field: 'password', text: t('auth.passwordTooShort', { n: MIN_PASSWORD_LENGTH }) });
    if (password !== again) return setLocalError({ field: 'again', text: t('auth.passwordMismatch') });
    const passphraseError = passphraseSet ? null : passphraseProblem(passphrase, passphraseAgain, t);
    if (passphraseError) return setLocalError(passphraseError);
    setLocalError(null);
    setBusy(true);
    try {
      if (!passphraseSet) {
        await api.call('vault.setUp', { passphrase });
        setPassphraseSet(true);
      }
      const { user } = await api.call('auth.setup', { username: username.trim(), displayName, password });
      onSignedIn(user);
    } catch (failure) {
      setError(toAppError(failure));
      setBusy(false);
    }
  }

  const fieldError = (field: string): string | null => {
    if (localError?.field === field) return localError.text;
    if (error?.field === field) return errorText(error);
    return null;
  };

  return (
    <AuthFrame testId="setup-screen">
      <h1 className="panel__title panel__title--lg">{t('auth.setupTitle')}</h1>
      <p className="muted small auth__intro">{t('auth.setupIntro')}</p>
      <form className="form" onSubmit={submit} noValidate>
        <Field label={t('auth.username')} hint={t('auth.usernameHint')} error={fieldError('username')}>
          {(id) => (
            <input
              id={id}
              className={`input${fieldError('username') ? ' input--invalid' : ''}`}
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              maxLength={64}
              autoFocus
              value={username}
              readOnly={busy}
              onChange={(e) => setUsername(e.target.value)}
              data-testid="setup-username"
            />
          )}
        </Field>
        <Field label={t('auth.displayName')} error={fieldError('displayName')}>
          {(id) => (
            <input
              id={id}
              className="input"
              autoComplete="name"
              maxLength={120}
              value={displayName}
              readOnly={busy}
              onChange={(e) => setDisplayName(e.target.value)}
              data-testid="setup-display-name"
            />
          )}
        </Field>
        <Field
          label={t('auth.password')}
          hint={t('auth.passwordHint', { n: MIN_PASSWORD_LENGTH })}
          error={fieldError('password')}
        >
          {(id) => (
            <input
              id={id}
              className={`input${fieldError('password') ? ' input--invalid' : ''}`}
              type="password"
              autoComplete="new-password"
              maxLength={256}
              value={password}
              readOnly={busy}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="setup-password"
            />
          )}
        </Field>
        <Field label={t('auth.passwordAgain')} error={fieldError('again')}>
          {(id) => (
            <input
              id={id}
              className={`input${fieldError('again') ? ' input--invalid' : ''}`}
              type="password"
              autoComplete="new-password"
              maxLength={256}
              value={again}
              readOnly={busy}
              onChange={(e) => setAgain(e.target.value)}
              data-testid="setup-password-again"
            />
          )}
        </Field>
        {needsPassphrase && !passphraseSet ? (
          <NewPassphraseFields
            passphrase={passphrase}
            again={passphraseAgain}
            onPassphrase={setPassphrase}
            onAgain={setPassphraseAgain}
            busy={busy}
            error={localError}
          />
        ) : null}
        {error && (!error.field || error.field === 'passphrase') ? (
          <Notice tone="error" testId="setup-error">
            {errorText(error)}
          </Notice>
        ) : null}
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" disabled={busy} data-testid="setup-submit">
            {busy ? t('auth.working') : t('auth.setupSubmit')}
          </button>
        </div>
      </form>
    </AuthFrame>
  );
}
