import { useState, type FormEvent } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { useErrorText, useT } from '../../i18n';
import { Field } from '../../ui/Field';
import { Notice } from '../../ui/Notice';
import { AuthFrame } from './AuthScreens';

/** The backend refuses shorter data passphrases too. */
export const MIN_PASSPHRASE_LENGTH = 8;

/** Checks a new data passphrase typed twice; null when it is fine. */
export function passphraseProblem(
  passphrase: string,
  again: string,
  t: ReturnType<typeof useT>,
): { field: 'passphrase' | 'passphraseAgain'; text: string } | null {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH)
    return { field: 'passphrase', text: t('vault.passphraseTooShort', { n: MIN_PASSPHRASE_LENGTH }) };
  if (passphrase !== again) return { field: 'passphraseAgain', text: t('vault.passphraseMismatch') };
  return null;
}

/** The two fields of a new data passphrase (first run, or a folder from before encryption). */
export function NewPassphraseFields({
  passphrase,
  again,
  onPassphrase,
  onAgain,
  busy,
  error,
}: {
  passphrase: string;
  again: string;
  onPassphrase: (value: string) => void;
  onAgain: (value: string) => void;
  busy: boolean;
  error: { field: string; text: string } | null;
}) {
  const t = useT();
  const errorOf = (field: string): string | null => (error?.field === field ? error.text : null);
  return (
    <>
      <Field
        label={t('vault.passphrase')}
        hint={t('vault.passphraseHint', { n: MIN_PASSPHRASE_LENGTH })}
        error={errorOf('passphrase')}
      >
        {(id) => (
          <input
            id={id}
            className={`input${errorOf('passphrase') ? ' input--invalid' : ''}`}
            type="password"
            autoComplete="new-password"
            maxLength={1024}
            value={passphrase}
            readOnly={busy}
            onChange={(e) => onPassphrase(e.target.value)}
            data-testid="vault-passphrase"
          />
        )}
      </Field>
      <Field label={t('vault.passphraseAgain')} error={errorOf('passphraseAgain')}>
        {(id) => (
          <input
            id={id}
            className={`input${errorOf('passphraseAgain') ? ' input--invalid' : ''}`}
            type="password"
            autoComplete="new-password"
            maxLength={1024}
            value={again}
            readOnly={busy}
            onChange={(e) => onAgain(e.target.value)}
            data-testid="vault-passphrase-again"
          />
        )}
      </Field>
    </>
  );
}

/**
 * Before anything can be read: after a restart the data passphrase unlocks the store (`unlock`);
 * a folder made before encryption gets one from an administrator (`set`). Enter submits.
 */
export function DataLockScreen({ mode, onOpen }: { mode: 'unlock' | 'set'; onOpen: () => void }) {
  const t = useT();
  const errorText = useErrorText();
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [localError, setLocalError] = useState<{ field: string; text: string } | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setError(null);
    const problem =
      mode === 'unlock'
        ? passphrase
          ? null
          : { field: 'passphrase', text: t('vault.passphraseRequired') }
        : passphraseProblem(passphrase, again, t);
    setLocalError(problem);
    if (problem) return;
    setBusy(true);
    try {
      if (mode === 'unlock') await api.call('vault.unlock', { passphrase });
      else await api.call('vault.setUp', { passphrase, username: username.trim(), password });
      onOpen();
    } catch (failure) {
      setError(toAppError(failure));
      setPassphrase('');
      setAgain('');
      setBusy(false);
    }
  }

  return (
    <AuthFrame testId={mode === 'unlock' ? 'vault-unlock-screen' : 'vault-set-screen'}>
      <h1 className="panel__title panel__title--lg">{t(mode === 'unlock' ? 'vault.unlockTitle' : 'vault.setTitle')}</h1>
      <p className="muted small auth__intro">{t(mode === 'unlock' ? 'vault.unlockIntro' : 'vault.setIntro')}</p>
      <form className="form" onSubmit={submit} noValidate>
        {mode === 'unlock' ? (
          <Field label={t('vault.passphrase')} error={localError?.text ?? null}>
            {(id) => (
              <input
                id={id}
                className={`input${localError ? ' input--invalid' : ''}`}
                type="password"
                autoComplete="current-password"
                maxLength={1024}
                autoFocus
                value={passphrase}
                readOnly={busy}
                onChange={(e) => setPassphrase(e.target.value)}
                data-testid="vault-passphrase"
              />
            )}
          </Field>
        ) : (
          <>
            <Field label={t('auth.username')}>
              {(id) => (
                <input
                  id={id}
                  className="input"
                  autoComplete="username"
                  autoCapitalize="none"
                  spellCheck={false}
                  maxLength={64}
                  autoFocus
                  value={username}
                  readOnly={busy}
                  onChange={(e) => setUsername(e.target.value)}
                  data-testid="vault-admin-username"
                />
              )}
            </Field>
            <Field label={t('auth.password')}>
              {(id) => (
                <input
                  id={id}
                  className="input"
                  type="password"
                  autoComplete="current-password"
                  maxLength={256}
                  value={password}
                  readOnly={busy}
                  onChange={(e) => setPassword(e.target.value)}
                  data-testid="vault-admin-password"
                />
              )}
            </Field>
            <NewPassphraseFields
              passphrase={passphrase}
              again={again}
              onPassphrase={setPassphrase}
              onAgain={setAgain}
              busy={busy}
              error={localError}
            />
          </>
        )}
        {error ? (
          <Notice tone="error" testId="vault-error">
            {errorText(error)}
          </Notice>
        ) : null}
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" disabled={busy} data-testid="vault-submit">
            {busy ? t('auth.working') : t(mode === 'unlock' ? 'vault.unlockSubmit' : 'vault.setSubmit')}
          </button>
        </div>
      </form>
    </AuthFrame>
  );
}
