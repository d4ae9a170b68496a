import { useId, useRef, useState, type FormEvent } from 'react';
import type { CatalogVersion, UnitSettings } from '../../../../shared/api/contract';
import { api, useCall } from '../../api';
import { useErrorText, useFormatters, useT } from '../../i18n';
import { Badge } from '../../ui/Badge';
import { Icon } from '../../ui/icons';
import { Notice } from '../../ui/Notice';
import { useAction } from './useAction';
import { HotFolderSettings } from '../hot-folder/HotFolderSettings';
import { OcrSettingsSection } from '../ocr/OcrSettingsSection';
import { AccountsSection } from '../auth/AccountsSection';
import { DataKeysSection } from '../auth/DataKeysSection';
import { useMayCall } from '../auth/session';
import './checklist.css';

/**
 * "Quản trị đơn vị": the unit's agency code and this workstation's number (which block of
 * dossier numbers it uses), and the procedure catalog: import the province's file, see versions.
 */
export function AdminScreen() {
  const t = useT();
  // Each section shows only for an account that may change it.
  const mayEditUnit = useMayCall('settings.updateUnit');
  const mayImportCatalog = useMayCall('procedures.import');
  const maySetHotFolders = useMayCall('hotFolders.set');
  const mayManageUsers = useMayCall('users.list');
  const maySetOcr = useMayCall('ocr.updateSettings');
  const mayManageKeys = useMayCall('vault.changePassphrase');
  return (
    <div className="admin content-pad" data-testid="admin-screen">
      <h1 className="panel__title panel__title--lg">{t('admin.title')}</h1>
      {mayEditUnit ? <UnitSettingsForm /> : null}
      {mayImportCatalog ? <CatalogImport /> : null}
      {maySetHotFolders ? <HotFolderSettings /> : null}
      {maySetOcr ? <OcrSettingsSection /> : null}
      {mayManageUsers ? <AccountsSection /> : null}
      {mayManageKeys ? <DataKeysSection /> : null}
    </div>
  );
}

function UnitSettingsForm() {
  const errorText = useErrorText();
  const t = useT();
  const settings = useCall('settings.unit', {});
  // Outside the editor: it starts again (a new key) when the saved values come back.
  const [saved, setSaved] = useState(false);
  if (settings.error && !settings.data) return <Notice tone="error">{errorText(settings.error)}</Notice>;
  if (!settings.data) return <p className="muted">{t('common.loading')}</p>;
  // Keyed by what is stored: the form starts again from the saved values after each save.
  return (
    <UnitSettingsEditor
      key={JSON.stringify(settings.data)}
      stored={settings.data}
      reload={settings.reload}
      saved={saved}
      onSaved={setSaved}
    />
  );
}

function UnitSettingsEditor({
  stored,
  reload,
  saved,
  onSaved,
}: {
  stored: UnitSettings;
  reload: () => void;
  saved: boolean;
  onSaved: (saved: boolean) => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  const [draft, setDraft] = useState<UnitSettings>(stored);
  const action = useAction(reload);
  const agencyId = useId();
  const nameId = useId();
  const wsId = useId();

  async function save(e: FormEvent) {
    e.preventDefault();
    onSaved(false);
    const ok = await action.run(() =>
      api.call('settings.updateUnit', {
        agencyCode: draft.agencyCode.trim(),
        unitName: draft.unitName,
        workstationNo: draft.workstationNo,
      }),
    );
    onSaved(ok);
  }

  const fieldError = (field: string) => (action.error?.field === field ? errorText(action.error) : null);

  return (
    <form className="panel form admin__unit" onSubmit={save} data-testid="unit-settings">
      <h2 className="panel__title">{t('admin.unit')}</h2>
      {!stored.configured ? <Notice tone="warning">{t('admin.notConfigured')}</Notice> : null}
      <div className="field">
        <label className="field__label" htmlFor={agencyId}>
          {t('admin.agencyCode')}
        </label>
        <input
          id={agencyId}
          className={`input input--mono admin__code${fieldError('agencyCode') ? ' input--invalid' : ''}`}
          value={draft.agencyCode}
          maxLength={32}
          onChange={(e) => setDraft({ ...draft, agencyCode: e.target.value })}
          data-testid="agency-code"
        />
        <span className="field__hint">{t('admin.agencyHint')}</span>
        {fieldError('agencyCode') ? <span className="field__error">{fieldError('agencyCode')}</span> : null}
      </div>
      <div className="field">
        <label className="field__label" htmlFor={nameId}>
          {t('admin.unitName')}
        </label>
        <input
          id={nameId}
          className="input admin__name"
          value={draft.unitName}
          maxLength={200}
          onChange={(e) => setDraft({ ...draft, unitName: e.target.value })}
        />
      </div>
      <div className="field">
        <label className="field__label" htmlFor={wsId}>
          {t('admin.workstationNo')}
        </label>
        <select
          id={wsId}
          className="input select admin__ws"
          value={draft.workstationNo}
          onChange={(e) => setDraft({ ...draft, workstationNo: Number(e.target.value) })}
          data-testid="workstation-no"
        >
          {Array.from({ length: 10 }, (_, n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <span className="field__hint">{t('admin.workstationHint')}</span>
      </div>
      {action.error && !action.error.field ? <Notice tone="error">{errorText(action.error)}</Notice> : null}
      {saved ? <Notice tone="success">{t('admin.saved')}</Notice> : null}
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={action.busy} data-testid="unit-save">
          {t('admin.save')}
        </button>
      </div>
    </form>
  );
}

function CatalogImport() {
  const t = useT();
  const errorText = useErrorText();
  const { dateTime } = useFormatters();
  const versions = useCall('procedures.versions', {});
  const fileInput = useRef<HTMLInputElement>(null);
  const fileId = useId();
  const labelId = useId();
  const [label, setLabel] = useState('');
  const [imported, setImported] = useState<CatalogVersion | null>(null);
  const [missingFile, setMissingFile] = useState(false);
  // The chosen file's name, shown beside the button: the browser's own file field speaks its
  // language, not the app's.
  const [fileName, setFileName] = useState<string | null>(null);
  const action = useAction(versions.reload);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setImported(null);
    const file = fileInput.current?.files?.[0];
    if (!file) {
      setMissingFile(true);
      return;
    }
    setMissingFile(false);
    await action.run(async () => {
      const upload = await api.upload(file);
      const version = await api.call('procedures.import', { upload, ...(label.trim() ? { label } : {}) });
      setImported(version);
      setLabel('');
      if (fileInput.current) fileInput.current.value = '';
      setFileName(null);
    });
  }

  return (
    <section className="panel admin__catalog" data-testid="catalog-import">
      <h2 className="panel__title">{t('admin.catalog')}</h2>
      <p className="muted small">{t('admin.catalogHint')}</p>
      <form className="form" onSubmit={submit}>
        <div className="field">
          <span className="field__label" id={fileId}>
            {t('admin.catalogFile')}
          </span>
          <div className="file-pick">
            <button
              type="button"
              className="btn btn--small"
              aria-describedby={fileId}
              onClick={() => fileInput.current?.click()}
              data-testid="catalog-file-button"
            >
              <Icon name="upload" size={14} />
              {t('admin.pickFile')}
            </button>
            <span className={fileName ? 'file-pick__name' : 'muted small'} data-testid="catalog-file-name">
              {fileName ?? t('admin.noFile')}
            </span>
            <input
              ref={fileInput}
              type="file"
              hidden
              accept=".csv,.json,.txt,text/csv,application/json"
              aria-labelledby={fileId}
              onChange={(e) => {
                setFileName(e.currentTarget.files?.[0]?.name ?? null);
                setMissingFile(false);
              }}
              data-testid="catalog-file"
            />
          </div>
        </div>
        <div className="field">
          <label className="field__label" htmlFor={labelId}>
            {t('admin.catalogLabel')}
          </label>
          <input
            id={labelId}
            className="input admin__name"
            value={label}
            maxLength={200}
            onChange={(e) => setLabel(e.target.value)}
          />
        </div>
        {missingFile ? <Notice tone="error">{t('admin.chooseFile')}</Notice> : null}
        {action.error ? (
          <Notice tone="error" testId="catalog-import-error">
            {errorText(action.error)}
          </Notice>
        ) : null}
        {imported ? (
          <Notice tone="success" testId="catalog-imported">
            {t('admin.imported', {
              label: imported.label,
              procedures: imported.procedureCount,
              components: imported.componentCount,
            })}
          </Notice>
        ) : null}
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" disabled={action.busy} data-testid="catalog-import-submit">
            {action.busy ? t('admin.importing') : t('admin.import')}
          </button>
        </div>
      </form>
      <h3 className="admin__subtitle">{t('admin.versions')}</h3>
      {versions.error ? <Notice tone="error">{errorText(versions.error)}</Notice> : null}
      <ul className="admin__versions" data-testid="catalog-versions">
        {(versions.data ?? []).map((v) => (
          <li key={v.id} className="admin__version">
            <span className="strong">{v.label}</span>{' '}
            {v.active ? <Badge tone="success">{t('admin.versionActive')}</Badge> : null}{' '}
            {v.sample ? <Badge tone="warning">{t('admin.versionSample')}</Badge> : null}
            <div className="muted small">
              {t('admin.versionRow', {
                procedures: v.procedureCount,
                components: v.componentCount,
                at: dateTime(v.importedAt),
                by: v.importedBy,
              })}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
