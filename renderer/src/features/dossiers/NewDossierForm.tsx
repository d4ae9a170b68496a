import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { Dossier } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';
import { parseCccdQr, parseCitizenId, type CccdQrData } from '../../../../shared/domain';
import { api, toAppError } from '../../api';
import { useErrorText, useFormatters, useLang, useT } from '../../i18n';
import { Notice } from '../../ui/Notice';
import { CitizenIdField } from './CitizenIdField';
import { ProcedureField } from './ProcedureField';
import { ChannelField } from '../checklist/ChannelField';
import type { SubmissionChannel } from '../../../../shared/domain/component-state';
import { ReusePanel } from './ReusePanel';

export interface DossierDraft {
  citizenId: string;
  citizenName: string;
  procedureCode: string;
  /** KenhThucHien; direct (1) unless the clerk says otherwise. */
  channel?: SubmissionChannel;
}

export const EMPTY_DRAFT: DossierDraft = { citizenId: '', citizenName: '', procedureCode: '' };

/**
 * "Hồ sơ mới": the citizen's ID (checked live, with the documents already digitized for it), name
 * and procedure. The draft lives in the parent so that a look at a reusable document and back
 * loses nothing.
 */
export function NewDossierForm({
  draft,
  onDraftChange,
  onCreated,
  focusRequest,
}: {
  draft: DossierDraft;
  onDraftChange: (draft: DossierDraft) => void;
  onCreated: (dossier: Dossier) => void;
  /** Changes whenever the citizen ID field should take the focus (Ctrl+N). */
  focusRequest: number;
}) {
  const t = useT();
  const errorText = useErrorText();
  const [lang] = useLang();
  const { date } = useFormatters();
  const nameId = useId();
  const idInput = useRef<HTMLInputElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const [qr, setQr] = useState<CccdQrData | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [serverError, setServerError] = useState<AppError | null>(null);
  const [procedureMissing, setProcedureMissing] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const check = useMemo(() => parseCitizenId(draft.citizenId), [draft.citizenId]);

  useEffect(() => {
    idInput.current?.focus();
  }, [focusRequest]);

  const update = (patch: Partial<DossierDraft>) => {
    setServerError(null);
    setAttempted(false);
    onDraftChange({ ...draft, ...patch });
  };

  /** Typed digits, or a CCCD QR payload from a handheld reader (→ ID number and name). */
  function changeCitizenId(raw: string) {
    if (raw.includes('|')) {
      const card = parseCccdQr(raw);
      if (card.ok) {
        setQr(card);
        update({ citizenId: card.id, citizenName: draft.citizenName.trim() !== '' ? draft.citizenName : card.name });
        return;
      }
      // Newer cards end with empty fields, typed after the payload was already complete.
      const trailing = /^(\d{12})\|+$/.exec(raw.trim());
      if (trailing && qr !== null && trailing[1] === qr.id) return;
    }
    if (qr && raw.trim() !== qr.id) setQr(null);
    update({ citizenId: raw });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!check.ok) {
      setAttempted(true);
      idInput.current?.focus();
      return;
    }
    if (draft.procedureCode === '') {
      setProcedureMissing(true);
      return;
    }
    setSubmitting(true);
    try {
      const dossier = await api.call('dossiers.create', {
        citizenId: check.id,
        citizenName: draft.citizenName,
        procedureCode: draft.procedureCode,
        channel: draft.channel ?? 1,
      });
      onCreated(dossier);
    } catch (err) {
      setServerError(toAppError(err));
    } finally {
      setSubmitting(false);
    }
  }

  const fieldError = (field: string) => (serverError?.field === field ? errorText(serverError) : undefined);
  const generalError =
    serverError && !['citizenId', 'citizenName', 'procedureCode'].includes(serverError.field ?? '')
      ? serverError
      : null;

  return (
    <div className="new-dossier">
      <form className="panel form" onSubmit={submit} noValidate data-testid="new-dossier-form">
        <h1 className="panel__title panel__title--lg">{t('newDossier.title')}</h1>
        <CitizenIdField
          value={draft.citizenId}
          check={check}
          inputRef={idInput}
          forceValidation={attempted}
          serverError={fieldError('citizenId')}
          onChange={changeCitizenId}
          onEnter={() => nameInput.current?.focus()}
        />
        {qr && check.ok && qr.id === check.id ? (
          <Notice tone={qr.warnings.length ? 'warning' : 'info'} testId="cccd-qr-info">
            <div>{t('newDossier.qrRead', { name: qr.name, dob: date(qr.dob) })}</div>
            {(lang === 'vi' ? qr.warnings : qr.warningsEn).map((w) => (
              <div key={w}>{w}</div>
            ))}
          </Notice>
        ) : null}
        <div className="field">
          <label className="field__label" htmlFor={nameId}>
            {t('newDossier.citizenName')}
          </label>
          <input
            id={nameId}
            ref={nameInput}
            className={`input${fieldError('citizenName') ? ' input--invalid' : ''}`}
            data-testid="citizen-name-input"
            value={draft.citizenName}
            autoComplete="off"
            maxLength={200}
            placeholder={t('newDossier.citizenNamePlaceholder')}
            onChange={(e) => update({ citizenName: e.target.value })}
          />
          {fieldError('citizenName') ? <span className="field__error">{fieldError('citizenName')}</span> : null}
        </div>
        <ProcedureField
          value={draft.procedureCode}
          error={
            fieldError('procedureCode') ??
            (procedureMissing && draft.procedureCode === '' ? t('newDossier.procedureRequired') : undefined)
          }
          onChange={(procedureCode) => {
            setProcedureMissing(false);
            update({ procedureCode });
          }}
        />
        <ChannelField value={draft.channel ?? 1} onChange={(channel) => update({ channel })} />
        {generalError ? (
          <Notice tone="error" testId="new-dossier-error">
            {errorText(generalError)}
          </Notice>
        ) : null}
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" data-testid="create-dossier-submit" disabled={submitting}>
            {submitting ? t('newDossier.submitting') : t('newDossier.submit')}
          </button>
        </div>
      </form>
      <ReusePanel citizenId={check.ok ? check.id : null} />
    </div>
  );
}
