import { useState, type FormEvent } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import { parseRecoveryKey, recoveryKeyProblem } from '../../../../shared/domain/recovery-key';
import { api, toAppError } from '../../api';
import { useErrorText, useLang, useT } from '../../i18n';
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
  // The backend's rule too: digits only, or fewer than 4 different characters, is too easy to guess.
  if (/^[\d\s\-.]*$/.test(passphrase) || new Set(passphrase).size < 4)
    return { field: 'passphrase', text: t('vault.passphraseWeak') };
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
  fresh,
}: {
  passphrase: string;
  again: string;
  onPassphrase: (value: string) => void;
  onAgain: (value: string) => void;
  busy: boolean;
  error: { field: string; text: string } | null;
  /** Replaces an existing passphrase (labels say "new"). */
  fresh?: boolean;
}) {
  const t = useT();
  const errorOf = (field: string): string | null => (error?.field === field ? error.text : null);
  return (
    <NewSecretFields
      labels={
        fresh
          ? [t('vault.newPassphrase'), t('vault.newPassphraseAgain')]
          : [t('vault.passphrase'), t('vault.passphraseAgain')]
      }
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
  const [recovering, setRecovering] = useState(false);
  if (mode === 'unlock' && recovering) return <RecoveryScreen onOpen={onOpen} onBack={() => setRecovering(false)} />;
  return <PassphraseScreen mode={mode} onOpen={onOpen} onRecover={() => setRecovering(true)} />;
}

function PassphraseScreen({
  mode,
  onOpen,
  onRecover,
}: {
  mode: 'unlock' | 'set';
  onOpen: () => void;
  onRecover: () => void;
}) {
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
        {mode === 'unlock' ? (
          <button type="button" className="btn btn--ghost" onClick={onRecover} data-testid="vault-use-recovery">
            {t('vault.useRecoveryKey')}
          </button>
        ) : null}
      </form>
    </AuthFrame>
  );
}

/**
 * The passphrase is lost: the recovery key opens the data, and a new passphrase is set in the same
 * step. A mistyped group is caught here by its check digits, before the slow key derivation.
 */
function RecoveryScreen({ onOpen, onBack }: { onOpen: () => void; onBack: () => void }) {
  const t = useT();
  const [lang] = useLang();
  const errorText = useErrorText();
  const [recoveryKey, setRecoveryKey] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [localError, setLocalError] = useState<{ field: string; text: string } | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setError(null);
    const typo = recoveryKeyProblem(parseRecoveryKey(recoveryKey));
    const problem = !recoveryKey.trim()
      ? { field: 'recoveryKey', text: t('vault.recoveryKeyRequired') }
      : typo
        ? { field: 'recoveryKey', text: lang === 'en' ? typo.en : typo.vi }
        : passphraseProblem(passphrase, again, t);
    setLocalError(problem);
    if (problem) return;
    setBusy(true);
    try {
      await api.call('vault.recover', { recoveryKey, newPassphrase: passphrase, repeat: again });
      onOpen();
    } catch (failure) {
      setError(toAppError(failure));
      setBusy(false);
    }
  }

  return (
    <AuthFrame testId="vault-recover-screen" title={t('vault.recoverTitle')} intro={t('vault.recoverIntro')}>
      <form className="form" onSubmit={submit} noValidate>
        <InputField
          label={t('vault.recoveryKey')}
          hint={t('vault.recoveryKeyHint')}
          error={localError?.field === 'recoveryKey' ? localError.text : null}
          autoComplete="off"
          spellCheck={false}
          inputMode="numeric"
          maxLength={200}
          autoFocus
          value={recoveryKey}
          readOnly={busy}
          onValue={setRecoveryKey}
          testId="vault-recovery-key"
        />
        <NewPassphraseFields
          passphrase={passphrase}
          again={again}
          onPassphrase={setPassphrase}
          onAgain={setAgain}
          busy={busy}
          error={localError}
          fresh
        />
        <AuthFormEnd
          error={error ? errorText(error) : null}
          errorTestId="vault-error"
          busy={busy}
          submitLabel={t('vault.recoverSubmit')}
          submitTestId="vault-recover-submit"
        />
        <button type="button" className="btn btn--ghost" onClick={onBack} data-testid="vault-use-passphrase">
          {t('vault.usePassphrase')}
        </button>
      </form>
    </AuthFrame>
  );
}
