import { useState } from 'react';
import type { IdCardQr, Page } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { useErrorText, useFormatters, useLang, useT } from '../../i18n';
import { Notice } from '../../ui/Notice';

/** The chip ID card QR codes read on the page, each with “Áp dụng cho hồ sơ”. */
export function IdCardPanel({ page }: { page: Page }) {
  const t = useT();
  if (page.idCards.length === 0) return null;
  return (
    <section className="id-cards" data-testid="id-card-panel">
      <h2 className="pane-heading">{t('idCard.title')}</h2>
      {page.idCards.map((card, index) => (
        <IdCard key={`${card.id}-${index}`} card={card} index={index} page={page} />
      ))}
    </section>
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
