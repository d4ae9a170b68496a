import { useId, useState, type Ref } from 'react';
import { parseCccdQr, type CitizenIdResult } from '../../../../shared/domain';
import { useLang, useT } from '../../i18n';

export type CitizenIdCheck = CitizenIdResult;

/**
 * The 12-digit personal ID, checked as the clerk types: province of birth registration and birth
 * year when it is valid, the reason in Vietnamese when it is not. A half-typed number only shows a
 * digit count until the field loses focus. A handheld reader may type the card's QR payload here
 * (the parent turns it into the ID and the name); Enter moves on instead of submitting.
 */
export function CitizenIdField({
  value,
  check,
  onChange,
  serverError,
  inputRef,
  forceValidation = false,
  onEnter,
}: {
  value: string;
  check: CitizenIdCheck;
  onChange: (value: string) => void;
  serverError?: string;
  inputRef?: Ref<HTMLInputElement>;
  /** Show the reason even for a half-typed number (after a submit attempt). */
  forceValidation?: boolean;
  /** Enter in the field (typed, or the reader's final Enter). */
  onEnter?: () => void;
}) {
  const t = useT();
  const [lang] = useLang();
  const [blurred, setBlurred] = useState(false);
  const id = useId();
  const trimmed = value.trim();
  const digits = trimmed.replace(/\D/g, '').length;
  const readingQr = trimmed.includes('|');
  const stillTyping = !blurred && !forceValidation && (readingQr || (/^[\d\s.-]*$/.test(trimmed) && digits < 12));
  const showError = !check.ok && (trimmed !== '' || forceValidation) && !stillTyping;
  const qrRefusal = readingQr ? parseCccdQr(trimmed) : null;
  const localError = !showError || check.ok ? undefined : qrRefusal && !qrRefusal.ok ? qrRefusal : check;
  const errorMessage =
    serverError ?? (localError ? (lang === 'vi' ? localError.message : localError.messageEn) : undefined);

  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {t('newDossier.citizenId')}
      </label>
      <input
        id={id}
        ref={inputRef}
        className={`input input--mono input--lg${errorMessage ? ' input--invalid' : ''}${check.ok ? ' input--valid' : ''}`}
        data-testid="citizen-id-input"
        value={value}
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        placeholder={t('newDossier.citizenIdPlaceholder')}
        aria-invalid={errorMessage ? true : undefined}
        aria-describedby={`${id}-status`}
        onChange={(e) => {
          onChange(e.target.value);
          setBlurred(false);
        }}
        onBlur={() => setBlurred(true)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && onEnter) {
            e.preventDefault();
            onEnter();
          }
        }}
      />
      <div id={`${id}-status`} className="field__status" aria-live="polite">
        {check.ok ? (
          <div className="id-facts" data-testid="citizen-id-info">
            <span>
              {t('newDossier.idProvince')}: <strong>{check.provinceName}</strong>
            </span>
            <span>
              {t('newDossier.idBirthYear')}: <strong>{check.birthYear}</strong>
            </span>
            <span>
              {t('newDossier.idSex')}: <strong>{t(check.sex === 'male' ? 'sex.male' : 'sex.female')}</strong>
            </span>
          </div>
        ) : errorMessage ? (
          <span className="field__error" data-testid="citizen-id-error">
            {errorMessage}
          </span>
        ) : readingQr ? (
          <span className="field__hint">{t('newDossier.readingQr')}</span>
        ) : trimmed !== '' ? (
          <span className="field__hint">{t('newDossier.digits', { n: digits })}</span>
        ) : null}
      </div>
    </div>
  );
}
