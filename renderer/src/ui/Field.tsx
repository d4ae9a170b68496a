import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';

/** A labelled form field: the label points at the control, a hint below it, or the error. */
export function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: string;
  error?: string | null;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {children(id)}
      {error ? (
        <span className="field__error">{error}</span>
      ) : hint ? (
        <span className="field__hint">{hint}</span>
      ) : null}
    </div>
  );
}

/** A Field holding one text input, marked invalid while the field shows an error; `onValue` gets the text. */
export function InputField({
  label,
  hint,
  error,
  value,
  onValue,
  inputRef,
  testId,
  ...input
}: {
  label: string;
  hint?: string;
  error?: string | null;
  value: string;
  onValue: (value: string) => void;
  inputRef?: Ref<HTMLInputElement>;
  testId?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'className' | 'value' | 'onChange'>) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(id) => (
        <input
          {...input}
          id={id}
          ref={inputRef}
          className={`input${error ? ' input--invalid' : ''}`}
          value={value}
          onChange={(e) => onValue(e.target.value)}
          data-testid={testId}
        />
      )}
    </Field>
  );
}
