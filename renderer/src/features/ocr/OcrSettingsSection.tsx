import { useId, useState, type FormEvent } from 'react';
import type { OcrSettings } from '../../../../shared/api/contract';
import { api, toAppError, useCall } from '../../api';
import { useErrorText, useT } from '../../i18n';
import { Notice } from '../../ui/Notice';
import { reviewThresholdChanged } from './useReviewThreshold';

/** Admin screen section: the review threshold and how many OCR workers run at once. */
export function OcrSettingsSection() {
  const t = useT();
  const errorText = useErrorText();
  const settings = useCall('ocr.settings', {});
  if (settings.error && !settings.data) return <Notice tone="error">{errorText(settings.error)}</Notice>;
  if (!settings.data) return <p className="muted">{t('common.loading')}</p>;
  const { defaultWorkers, cores, ...stored } = settings.data;
  return (
    <OcrSettingsEditor
      // Starts again from what is stored after each save.
      key={JSON.stringify(stored)}
      stored={stored}
      defaultWorkers={defaultWorkers}
      cores={cores}
      onSaved={settings.reload}
    />
  );
}

function OcrSettingsEditor({
  stored,
  defaultWorkers,
  cores,
  onSaved,
}: {
  stored: OcrSettings;
  defaultWorkers: number;
  cores: number;
  onSaved: () => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  const thresholdId = useId();
  const workersId = useId();
  const [threshold, setThreshold] = useState(String(stored.reviewThreshold));
  const [workers, setWorkers] = useState(String(stored.workers));
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setNote(null);
    try {
      const saved = await api.call('ocr.updateSettings', {
        reviewThreshold: Number(threshold),
        workers: Number(workers),
      });
      reviewThresholdChanged(saved.reviewThreshold);
      setNote({ tone: 'success', text: t('ocrSettings.saved') });
      onSaved();
    } catch (error) {
      setNote({ tone: 'error', text: errorText(toAppError(error)) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel form" data-testid="ocr-settings">
      <h2 className="panel__title">{t('ocrSettings.title')}</h2>
      <form onSubmit={(e) => void save(e)}>
        <label htmlFor={thresholdId}>{t('ocrSettings.threshold')}</label>
        <input
          id={thresholdId}
          type="number"
          min={0}
          max={100}
          step={1}
          required
          value={threshold}
          onChange={(e) => setThreshold(e.target.value)}
          data-testid="ocr-settings-threshold"
        />
        <p className="muted small">{t('ocrSettings.thresholdHelp')}</p>
        <label htmlFor={workersId}>{t('ocrSettings.workers')}</label>
        <input
          id={workersId}
          type="number"
          min={1}
          max={16}
          step={1}
          required
          value={workers}
          onChange={(e) => setWorkers(e.target.value)}
          data-testid="ocr-settings-workers"
        />
        <p className="muted small">{t('ocrSettings.workersHelp', { cores, n: defaultWorkers })}</p>
        <button type="submit" className="btn btn--primary" disabled={busy} data-testid="ocr-settings-save">
          {t('ocrSettings.save')}
        </button>
      </form>
      {note ? (
        <Notice tone={note.tone} testId="ocr-settings-note">
          {note.text}
        </Notice>
      ) : null}
    </section>
  );
}
