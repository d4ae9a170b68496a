import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { User } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { useErrorText, useT } from '../../i18n';
import { Notice } from '../../ui/Notice';
import './auth.css';
import { InputField } from '../../ui/Field';
import { NewSecretFields, PasswordField, UsernameField } from './CredentialFields';
import { NewPassphraseFields, passphraseProblem } from './DataLockScreen';

/** The backend refuses shorter passwords too; checking here saves a round trip. */
export const MIN_PASSWORD_LENGTH = 8;

/** The top bar and a centred card, shared by the sign-in, first-run and data-lock screens. */
export function AuthFrame({
  children,
  testId,
  title,
  intro,
}: {
  children: ReactNode;
  testId: string;
  title?: string;
  intro?: string;
}) {
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
        <div className="panel auth__card">
          {title ? <h1 className="panel__title panel__title--lg">{title}</h1> : null}
          {intro ? <p className="muted small auth__intro">{intro}</p> : null}
          {children}
        </div>
      </main>
    </div>
  );
}

/** The end of an auth form: the refusal, if any, above the submit button (which says so while working). */
export function AuthFormEnd({
  error,
  errorTestId,
  busy,
  submitLabel,
  submitTestId,
}: {
  error: string | null;
  errorTestId: string;
  busy: boolean;
  submitLabel: string;
  submitTestId: string;
}) {
  const t = useT();
  return (
    <>
      {error ? (
        <Notice tone="error" testId={errorTestId}>
          {error}
        </Notice>
      ) : null}
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={busy} data-testid={submitTestId}>
          {busy ? t('auth.working') : submitLabel}
        </button>
      </div>
    </>
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
    <AuthFrame testId="sign-in-screen" title={t('auth.signInTitle')}>
      {note ? (
        <Notice tone={note === 'locked' ? 'info' : 'warning'} testId="sign-in-note">
          {t(note === 'locked' ? 'auth.locked' : 'auth.expired')}
        </Notice>
      ) : null}
      <form className="form" onSubmit={submit} noValidate>
        <UsernameField
          value={username}
          onValue={setUsername}
          inputRef={usernameInput}
          autoFocus={!initialUsername}
          readOnly={busy}
          testId="sign-in-username"
        />
        <PasswordField
          value={password}
          onValue={setPassword}
          inputRef={passwordInput}
          autoFocus={Boolean(initialUsername)}
          readOnly={busy}
          testId="sign-in-password"
        />
        <AuthFormEnd
          error={error}
          errorTestId="sign-in-error"
          busy={busy}
          submitLabel={t('auth.signInSubmit')}
          submitTestId="sign-in-submit"
        />
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
    <AuthFrame testId="setup-screen" title={t('auth.setupTitle')} intro={t('auth.setupIntro')}>
      <form className="form" onSubmit={submit} noValidate>
        <UsernameField
          hint={t('auth.usernameHint')}
          error={fieldError('username')}
          value={username}
          onValue={setUsername}
          autoFocus
          readOnly={busy}
          testId="setup-username"
        />
        <InputField
          label={t('auth.displayName')}
          error={fieldError('displayName')}
          autoComplete="name"
          maxLength={120}
          value={displayName}
          readOnly={busy}
          onValue={setDisplayName}
          testId="setup-display-name"
        />
        <NewSecretFields
          labels={[t('auth.password'), t('auth.passwordAgain')]}
          hint={t('auth.passwordHint', { n: MIN_PASSWORD_LENGTH })}
          errors={[fieldError('password'), fieldError('again')]}
          maxLength={256}
          testIds={['setup-password', 'setup-password-again']}
          value={password}
          again={again}
          onValue={setPassword}
          onAgain={setAgain}
          busy={busy}
        />
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
        <AuthFormEnd
          error={error && (!error.field || error.field === 'passphrase') ? errorText(error) : null}
          errorTestId="setup-error"
          busy={busy}
          submitLabel={t('auth.setupSubmit')}
          submitTestId="setup-submit"
        />
      </form>
    </AuthFrame>
  );
}
