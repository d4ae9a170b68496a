import type { FormEvent } from 'react';
import { useT } from '../i18n';

/**
 * A one-line "why" form (a rejection reason, why a component is missing): focused at once, Enter
 * saves, Esc cancels without closing what is around it.
 */
export function ReasonForm(props: {
  className: string;
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  onSubmit: (event: FormEvent) => void;
  onCancel: () => void;
  busy: boolean;
  submitLabel: string;
  primary?: boolean;
  testIds: { input: string; submit: string };
}) {
  const t = useT();
  return (
    <form className={props.className} onSubmit={props.onSubmit}>
      <input
        className="input input--small"
        aria-label={props.label}
        placeholder={props.placeholder}
        value={props.value}
        maxLength={500}
        autoFocus
        onChange={(e) => props.onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            props.onCancel();
          }
        }}
        data-testid={props.testIds.input}
      />
      <button
        type="submit"
        className={props.primary ? 'btn btn--small btn--primary' : 'btn btn--small'}
        disabled={props.busy}
        data-testid={props.testIds.submit}
      >
        {props.submitLabel}
      </button>
      <button type="button" className="btn btn--small btn--ghost" onClick={props.onCancel}>
        {t('common.cancel')}
      </button>
    </form>
  );
}
