import { useEffect, useId, useState, type FormEvent } from 'react';
import type { HotFolderStatus } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError, useCall } from '../../api';
import { useErrorText, useFormatters, useT } from '../../i18n';
import { Badge } from '../../ui/Badge';
import { Notice } from '../../ui/Notice';
import './hot-folder.css';

const REFRESH_MS = 5000;

/** The watched scanner folders and what arrived in them lately. */
export function HotFolderSettings() {
  const t = useT();
  const errorText = useErrorText();
  const status = useCall('hotFolders.status', {});
  const { reload } = status;
  useEffect(() => {
    // Files arrive without the clerk doing anything here: look again now and then.
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  if (status.error && !status.data) return <Notice tone="error">{errorText(status.error)}</Notice>;
  if (!status.data) return <p className="muted">{t('common.loading')}</p>;
  return (
    <section className="panel form" data-testid="hot-folder-settings">
      <h2 className="panel__title">{t('hotFolder.title')}</h2>
      <p className="muted">{t('hotFolder.intro')}</p>
      <FolderEditor key={status.data.folders.map((f) => f.path).join('\n')} status={status.data} onSaved={reload} />
      <p>
        <Badge tone={status.data.watching ? 'success' : 'neutral'}>
          {status.data.watching ? t('hotFolder.watching') : t('hotFolder.notWatching')}
        </Badge>{' '}
        {status.data.targetDossierId ? t('hotFolder.targetDossier') : t('hotFolder.targetInbox')}
      </p>
      <RecentClaims status={status.data} />
    </section>
  );
}

function FolderEditor({ status, onSaved }: { status: HotFolderStatus; onSaved: () => void }) {
  const t = useT();
  const errorText = useErrorText();
  const fieldId = useId();
  const [text, setText] = useState(status.folders.map((folder) => folder.path).join('\n'));
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setSaved(false);
    setError(null);
    const paths = text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    try {
      await api.call('hotFolders.set', { paths });
      setSaved(true);
      onSaved();
    } catch (failure) {
      setError(toAppError(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={save}>
      <div className="field">
        <label className="field__label" htmlFor={fieldId}>
          {t('hotFolder.pathsLabel')}
        </label>
        <textarea
          id={fieldId}
          className="input hot-folder__paths"
          rows={3}
          value={text}
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
          data-testid="hot-folder-paths"
        />
      </div>
      <ul className="hot-folder__list">
        {status.folders.map((folder) => (
          <li key={folder.id}>
            <code>{folder.path}</code>{' '}
            {folder.reachable ? null : <Badge tone="warning">{t('hotFolder.unreachable')}</Badge>}
          </li>
        ))}
      </ul>
      {error ? <Notice tone="error">{errorText(error)}</Notice> : null}
      {saved ? <Notice tone="success">{t('hotFolder.saved')}</Notice> : null}
      <div>
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {t('hotFolder.save')}
        </button>
      </div>
    </form>
  );
}

function RecentClaims({ status }: { status: HotFolderStatus }) {
  const t = useT();
  const errorText = useErrorText();
  const { dateTime } = useFormatters();
  return (
    <>
      <h3 className="panel__title">{t('hotFolder.recent')}</h3>
      {status.recent.length === 0 ? (
        <p className="muted">{t('hotFolder.none')}</p>
      ) : (
        <ul className="hot-folder__recent" data-testid="hot-folder-recent">
          {status.recent.map((claim) => (
            <li key={claim.id}>
              <span>{claim.name}</span>{' '}
              <Badge
                tone={claim.status === 'refused' ? 'danger' : claim.status === 'duplicate' ? 'warning' : 'neutral'}
              >
                {t(`hotFolder.status.${claim.status}`)}
              </Badge>{' '}
              {claim.pageCount !== null ? t('hotFolder.pages', { n: claim.pageCount }) : null}{' '}
              <span className="muted">{dateTime(claim.at)}</span>
              {claim.error ? <div className="muted">{errorText(claim.error)}</div> : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
