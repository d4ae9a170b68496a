import { useId, useState, type FormEvent } from 'react';
import type { OcrLanguagesChoice, OcrModelChoice, OcrSettings } from '../../../../shared/api/contract';
import { api, toAppError, useCall } from '../../api';
import { useErrorText, useT } from '../../i18n';
import { Notice } from '../../ui/Notice';
import { reviewThresholdChanged } from './useReviewThreshold';

interface SaveNote {
  tone: 'success' | 'error';
  text: string;
}

/** Admin screen section: the review threshold, how many OCR workers run at once, the models and languages. */
export function OcrSettingsSection() {
  const t = useT();
  const errorText = useErrorText();
  const settings = useCall('ocr.settings', {});
  // Kept here, not in the editor: the editor starts again after each save, and the clerk must
  // still see that the save went through.
  const [note, setNote] = useState<SaveNote | null>(null);
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
      note={note}
      setNote={setNote}
    />
  );
}

function OcrSettingsEditor({
  stored,
  defaultWorkers,
  cores,
  onSaved,
  note,
  setNote,
}: {
  stored: OcrSettings;
  defaultWorkers: number;
  cores: number;
  onSaved: () => void;
  note: SaveNote | null;
  setNote: (note: SaveNote | null) => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  const [threshold, setThreshold] = useState(String(stored.reviewThreshold));
  const [workers, setWorkers] = useState(String(stored.workers));
  const [model, setModel] = useState<OcrModelChoice>(stored.model);
  const [languages, setLanguages] = useState<OcrLanguagesChoice>(stored.languages);
  const [busy, setBusy] = useState(false);

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setNote(null);
    try {
      const saved = await api.call('ocr.updateSettings', {
        reviewThreshold: Number(threshold),
        workers: Number(workers),
        model,
        languages,
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
      <form className="form" onSubmit={(e) => void save(e)}>
        <WholeNumberSetting
          label={t('ocrSettings.threshold')}
          help={t('ocrSettings.thresholdHelp')}
          min={0}
          max={100}
          value={threshold}
          onValue={setThreshold}
          testId="ocr-settings-threshold"
        />
        <WholeNumberSetting
          label={t('ocrSettings.workers')}
          help={t('ocrSettings.workersHelp', { cores, n: defaultWorkers })}
          min={1}
          max={16}
          value={workers}
          onValue={setWorkers}
          testId="ocr-settings-workers"
        />
        <ChoiceSetting
          label={t('ocrSettings.model')}
          help={t('ocrSettings.modelHelp')}
          options={[
            { value: 'fast', label: t('ocrSettings.modelFast') },
            { value: 'best', label: t('ocrSettings.modelBest') },
          ]}
          value={model}
          onValue={setModel}
          testId="ocr-settings-model"
        />
        <ChoiceSetting
          label={t('ocrSettings.languages')}
          help={t('ocrSettings.languagesHelp')}
          options={[
            { value: 'vie', label: t('ocrSettings.languagesVie') },
            { value: 'vie+eng', label: t('ocrSettings.languagesVieEng') },
          ]}
          value={languages}
          onValue={setLanguages}
          testId="ocr-settings-languages"
        />
        <div>
          <button type="submit" className="btn btn--primary" disabled={busy} data-testid="ocr-settings-save">
            {t('ocrSettings.save')}
          </button>
        </div>
      </form>
      {note ? (
        <Notice tone={note.tone} testId="ocr-settings-note">
          {note.text}
        </Notice>
      ) : null}
    </section>
  );
}

/** A required whole number between `min` and `max`: its label, the input and a line of help. */
function WholeNumberSetting({
  label,
  help,
  min,
  max,
  value,
  onValue,
  testId,
}: {
  label: string;
  help: string;
  min: number;
  max: number;
  value: string;
  onValue: (value: string) => void;
  testId: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="input ocr-settings__number"
        type="number"
        min={min}
        max={max}
        step={1}
        required
        value={value}
        onChange={(e) => onValue(e.target.value)}
        aria-describedby={`${id}-help`}
        data-testid={testId}
      />
      <p className="field__hint" id={`${id}-help`}>
        {help}
      </p>
    </div>
  );
}

/** One of a few fixed values: its label, the list and a line of help. */
function ChoiceSetting<T extends string>({
  label,
  help,
  options,
  value,
  onValue,
  testId,
}: {
  label: string;
  help: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onValue: (value: T) => void;
  testId: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        className="input select ocr-settings__choice"
        aria-describedby={`${id}-help`}
        value={value}
        onChange={(e) => {
          const chosen = options.find((option) => option.value === e.target.value);
          if (chosen) onValue(chosen.value);
        }}
        data-testid={testId}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <p className="field__hint" id={`${id}-help`}>
        {help}
      </p>
    </div>
  );
}
