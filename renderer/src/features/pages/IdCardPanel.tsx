import { useEffect, useState } from 'react';
import type { IdCardFieldName, IdCardPrintedFields, IdCardQr, Page } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { useErrorText, useFormatters, useLang, useT } from '../../i18n';
import { Notice } from '../../ui/Notice';

/** The document type code of a chip ID card (assets/reference/document-types.json). */
const ID_CARD_TYPE = 'cccd';

/**
 * The chip ID card QR codes read on the page, each with “Áp dụng cho hồ sơ”, and, for a page
 * that is an ID card, the fields printed on it (read on demand), checked against the QR code.
 */
export function IdCardPanel({ page }: { page: Page }) {
  const t = useT();
  const type = page.documentType.confirmed ?? page.documentType.suggested;
  const isCard = page.idCards.length > 0 || type === ID_CARD_TYPE;
  if (!isCard) return null;
  return (
    <section className="id-cards" data-testid="id-card-panel">
      {page.idCards.length > 0 ? <h2 className="pane-heading">{t('idCard.title')}</h2> : null}
      {page.idCards.map((card, index) => (
        <IdCard key={`${card.id}-${index}`} card={card} index={index} page={page} />
      ))}
      <PrintedFields page={page} />
    </section>
  );
}

/**
 * What OCR read in the card's printed fields. Without a QR code, they are what the clerk has;
 * with one, a field that differs is shown as a mismatch: the clerk decides, nothing is chosen.
 */
function PrintedFields({ page }: { page: Page }) {
  const t = useT();
  const errorText = useErrorText();
  const { date, percent } = useFormatters();
  // Read again when the page's image (rotation), confirmed type or QR codes change; an answer
  // for an earlier state counts as still reading.
  const readKey = [page.id, page.rotation, page.documentType.confirmed, ...page.idCards.map((c) => c.id)].join('|');
  const [answer, setAnswer] = useState<{
    key: string;
    fields: IdCardPrintedFields | null;
    error: AppError | null;
  } | null>(null);
  useEffect(() => {
    let live = true;
    api
      .call('idCards.readFields', { pageId: page.id })
      .then((read) => live && setAnswer({ key: readKey, fields: read, error: null }))
      .catch((e: unknown) => live && setAnswer({ key: readKey, fields: null, error: toAppError(e) }));
    return () => {
      live = false;
    };
  }, [page.id, readKey]);
  const current = answer?.key === readKey ? answer : null;
  const fields = current?.fields ?? null;
  const error = current?.error ?? null;

  if (error) {
    return (
      <Notice tone="error" testId="id-card-fields-error">
        {t('idCardFields.failed')} {errorText(error)}
      </Notice>
    );
  }
  if (!fields) {
    return (
      <p className="muted small" data-testid="id-card-fields-reading">
        {t('idCardFields.reading')}
      </p>
    );
  }
  if (!fields.recognised) return null;
  const labels: Record<IdCardFieldName, string> = {
    id: t('idCard.id'),
    name: t('idCard.name'),
    dob: t('idCard.dob'),
    sex: t('idCard.sex'),
  };
  const unread = t('idCardFields.unread');
  const values: Record<IdCardFieldName, string> = {
    id: fields.id ?? unread,
    name: fields.name ?? unread,
    dob: fields.dob ? date(fields.dob) : unread,
    sex: fields.sex ? t(fields.sex === 'male' ? 'sex.male' : 'sex.female') : unread,
  };
  const order: IdCardFieldName[] = ['id', 'name', 'dob', 'sex'];
  return (
    <div className="id-card" data-testid="id-card-fields">
      <h2 className="pane-heading">{t('idCardFields.title')}</h2>
      <dl className="facts">
        {order.map((name) => (
          <div
            className={`facts__item${fields.mismatches.includes(name) ? ' facts__item--mismatch' : ''}`}
            key={name}
            data-testid={`id-card-field-${name}`}
          >
            <dt>{labels[name]}</dt>
            <dd>{values[name]}</dd>
          </div>
        ))}
      </dl>
      {fields.confidence !== null ? (
        <div className="muted small">{t('idCardFields.confidence', { n: percent(fields.confidence / 100) })}</div>
      ) : null}
      {!fields.qrPresent ? (
        <Notice tone="info" testId="id-card-fields-no-qr">
          {t('idCardFields.noQr')}
        </Notice>
      ) : fields.mismatches.length > 0 ? (
        <Notice tone="warning" testId="id-card-fields-mismatch">
          {t('idCardFields.mismatch', { fields: fields.mismatches.map((name) => labels[name]).join(', ') })}
        </Notice>
      ) : (
        <Notice tone="success" testId="id-card-fields-match">
          {t('idCardFields.matches')}
        </Notice>
      )}
    </div>
  );
}

function IdCard({ card, index, page }: { card: IdCardQr; index: number; page: Page }) {
  const t = useT();
  const [lang] = useLang();
  const errorText = useErrorText();
  const { date } = useFormatters();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [applied, setApplied] = useState<{ warnings: string[]; warningsEn: string[] } | null>(null);
  const warnings = lang === 'vi' ? card.warnings : card.warningsEn;

  async function apply(replaceCitizenId: boolean) {
    if (!page.dossierId) return;
    setBusy(true);
    setError(null);
    try {
      const result = await api.call('dossiers.applyIdCard', {
        dossierId: page.dossierId,
        pageId: page.id,
        index,
        replaceCitizenId,
      });
      setApplied({ warnings: result.warnings, warningsEn: result.warningsEn });
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  }

  const facts: [string, string][] = [
    [t('idCard.id'), card.id],
    ...(card.oldId ? ([[t('idCard.oldId'), card.oldId]] as [string, string][]) : []),
    [t('idCard.name'), card.name],
    [t('idCard.dob'), date(card.dob)],
    [t('idCard.sex'), t(card.sex === 'male' ? 'sex.male' : 'sex.female')],
    [t('idCard.address'), card.address],
    [t('idCard.issued'), date(card.issued)],
  ];
  return (
    <div className="id-card" data-testid="id-card">
      <dl className="facts">
        {facts.map(([label, value]) => (
          <div className="facts__item" key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {warnings.length > 0 ? (
        <Notice tone="warning" testId="id-card-warnings">
          {warnings.map((warning) => (
            <div key={warning}>{warning}</div>
          ))}
        </Notice>
      ) : null}
      {applied ? (
        <Notice tone="success" testId="id-card-applied">
          <div>{t('idCard.applied')}</div>
          {(lang === 'vi' ? applied.warnings : applied.warningsEn)
            .filter((warning) => !warnings.includes(warning))
            .map((warning) => (
              <div key={warning}>{warning}</div>
            ))}
        </Notice>
      ) : null}
      {error ? <div className="field__error">{errorText(error)}</div> : null}
      <div className="id-card__actions">
        {page.dossierId ? (
          <>
            <button
              type="button"
              className="btn btn--small btn--primary"
              disabled={busy}
              onClick={() => void apply(false)}
              data-testid="id-card-apply"
            >
              {t('idCard.apply')}
            </button>
            {error?.field === 'replaceCitizenId' ? (
              <button
                type="button"
                className="btn btn--small"
                disabled={busy}
                onClick={() => void apply(true)}
                data-testid="id-card-replace-id"
              >
                {t('idCard.replaceId')}
              </button>
            ) : null}
          </>
        ) : (
          <span className="muted small">{t('idCard.noDossier')}</span>
        )}
      </div>
    </div>
  );
}
