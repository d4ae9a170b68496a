import { useState, type FormEvent } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { useErrorText, useT } from '../../i18n';
import { InputField } from '../../ui/Field';
import { AuthFormEnd, AuthFrame } from './AuthScreens';
import { NewSecretFields, PasswordField, UsernameField } from './CredentialFields';

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
    <NewSecretFields
      labels={[t('vault.passphrase'), t('vault.passphraseAgain')]}
      hint={t('vault.passphraseHint', { n: MIN_PASSPHRASE_LENGTH })}
      errors={[errorOf('passphrase'), errorOf('passphraseAgain')]}
      maxLength={1024}
      testIds={['vault-passphrase', 'vault-passphrase-again']}
      value={passphrase}
      again={again}
      onValue={onPassphrase}
      onAgain={onAgain}
      busy={busy}
    />
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
    <AuthFrame
      testId={mode === 'unlock' ? 'vault-unlock-screen' : 'vault-set-screen'}
      title={t(mode === 'unlock' ? 'vault.unlockTitle' : 'vault.setTitle')}
      intro={t(mode === 'unlock' ? 'vault.unlockIntro' : 'vault.setIntro')}
    >
      <form className="form" onSubmit={submit} noValidate>
        {mode === 'unlock' ? (
          <InputField
            label={t('vault.passphrase')}
            error={localError?.text ?? null}
            type="password"
            autoComplete="current-password"
            maxLength={1024}
            autoFocus
            value={passphrase}
            readOnly={busy}
            onValue={setPassphrase}
            testId="vault-passphrase"
          />
        ) : (
          <>
            <UsernameField
              value={username}
              onValue={setUsername}
              autoFocus
              readOnly={busy}
              testId="vault-admin-username"
            />
            <PasswordField value={password} onValue={setPassword} readOnly={busy} testId="vault-admin-password" />
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
        <AuthFormEnd
          error={error ? errorText(error) : null}
          errorTestId="vault-error"
          busy={busy}
          submitLabel={t(mode === 'unlock' ? 'vault.unlockSubmit' : 'vault.setSubmit')}
          submitTestId="vault-submit"
        />
      </form>
    </AuthFrame>
  );
}
