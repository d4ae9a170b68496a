import type { Ref } from 'react';
import { useT } from '../../i18n';
import { InputField } from '../../ui/Field';

/** A username as the backend takes it: no capitals forced, no spell check. */
export function UsernameField({
  value,
  onValue,
  hint,
  error,
  inputRef,
  autoFocus,
  readOnly,
  testId,
}: {
  value: string;
  onValue: (value: string) => void;
  hint?: string;
  error?: string | null;
  inputRef?: Ref<HTMLInputElement>;
  autoFocus?: boolean;
  readOnly: boolean;
  testId: string;
}) {
  const t = useT();
  return (
    <InputField
      label={t('auth.username')}
      hint={hint}
      error={error}
      inputRef={inputRef}
      autoComplete="username"
      autoCapitalize="none"
      spellCheck={false}
      maxLength={64}
      autoFocus={autoFocus}
      value={value}
      readOnly={readOnly}
      onValue={onValue}
      testId={testId}
    />
  );
}

/** An account's password as typed to sign in. */
export function PasswordField({
  value,
  onValue,
  inputRef,
  autoFocus,
  readOnly,
  testId,
}: {
  value: string;
  onValue: (value: string) => void;
  inputRef?: Ref<HTMLInputElement>;
  autoFocus?: boolean;
  readOnly: boolean;
  testId: string;
}) {
  const t = useT();
  return (
    <InputField
      label={t('auth.password')}
      inputRef={inputRef}
      type="password"
      autoComplete="current-password"
      maxLength={256}
      autoFocus={autoFocus}
      value={value}
      readOnly={readOnly}
      onValue={onValue}
      testId={testId}
    />
  );
}

/** A new secret typed twice (an account password, the data passphrase), each with its own error. */
export function NewSecretFields({
  labels,
  hint,
  errors,
  maxLength,
  testIds,
  value,
  again,
  onValue,
  onAgain,
  busy,
}: {
  labels: [string, string];
  hint: string;
  errors: [string | null, string | null];
  maxLength: number;
  testIds: [string, string];
  value: string;
  again: string;
  onValue: (value: string) => void;
  onAgain: (value: string) => void;
  busy: boolean;
}) {
  return (
    <>
      <InputField
        label={labels[0]}
        hint={hint}
        error={errors[0]}
        type="password"
        autoComplete="new-password"
        maxLength={maxLength}
        value={value}
        readOnly={busy}
        onValue={onValue}
        testId={testIds[0]}
      />
      <InputField
        label={labels[1]}
        error={errors[1]}
        type="password"
        autoComplete="new-password"
        maxLength={maxLength}
        value={again}
        readOnly={busy}
        onValue={onAgain}
        testId={testIds[1]}
      />
    </>
  );
}
