import { useId } from 'react';
import type { Procedure } from '../../../../shared/api/contract';
import { useCall } from '../../api';
import { useErrorText, useT } from '../../i18n';
import { Notice } from '../../ui/Notice';

/** The procedure picked from the catalog (`procedures.list`), with its required components. */
export function ProcedureField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (code: string) => void;
  error?: string;
}) {
  const t = useT();
  const errorText = useErrorText();
  const id = useId();
  const procedures = useCall('procedures.list', {});
  const list: Procedure[] = procedures.data ?? [];
  const selected = list.find((p) => p.code === value);
  const isSample = list.some((p) => p.sample);

  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {t('newDossier.procedure')}
      </label>
      <select
        id={id}
        className={`input select${error ? ' input--invalid' : ''}`}
        data-testid="procedure-select"
        value={value}
        aria-invalid={error ? true : undefined}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="">{t('newDossier.procedurePlaceholder')}</option>
        {list.map((p) => (
          <option key={p.code} value={p.code}>
            {p.code} — {p.name}
          </option>
        ))}
      </select>
      {error ? (
        <span className="field__error" data-testid="procedure-error">
          {error}
        </span>
      ) : null}
      {procedures.error ? (
        <Notice tone="error">
          {t('newDossier.procedureLoadError')} {errorText(procedures.error)}
        </Notice>
      ) : null}
      {isSample ? (
        <p className="sample-note" data-testid="procedure-sample-note">
          {t('newDossier.sampleCatalog')}
        </p>
      ) : null}
      {selected && selected.components.length > 0 ? (
        <div className="components" data-testid="procedure-components">
          <div className="components__title">{t('newDossier.components')}</div>
          <ol className="components__list">
            {selected.components.map((c) => (
              <li key={c.code}>{c.name}</li>
            ))}
          </ol>
        </div>
      ) : null}
    </div>
  );
}
