import { useState } from 'react';
import { useApiEvent, useCall, useDebouncedCallback } from '../../api';
import { useT } from '../../i18n';
import { SyncPanel } from './SyncPanel';
import './sync.css';

/**
 * Top-bar sync state (`sync.status`): queue length, running, last error; opens the sync panel
 * with "Đồng bộ ngay" and, before enrolment, the enrolment form.
 */
export function SyncIndicator() {
  const t = useT();
  const [open, setOpen] = useState(false);
  const status = useCall('sync.status', {});
  const refresh = useDebouncedCallback(status.reload, 300);
  useApiEvent('sync.changed', refresh);
  useApiEvent('dossier.changed', refresh);

  const s = status.data;
  const state = !s
    ? 'unknown'
    : !s.enrolled
      ? 'off'
      : s.running
        ? 'running'
        : s.lastError || s.refused > 0
          ? 'error'
          : s.pending > 0
            ? 'pending'
            : 'ok';
  const label = !s
    ? t('sync.button')
    : !s.enrolled
      ? t('sync.notEnrolled')
      : s.running
        ? t('sync.running')
        : s.pending > 0
          ? t('sync.pending', { n: s.pending })
          : s.lastError
            ? t('sync.error')
            : t('sync.upToDate');
  return (
    <>
      <button
        type="button"
        className={`sync-status sync-status--${state}`}
        title={t('sync.title')}
        data-testid="sync-status"
        data-state={state}
        aria-live="polite"
        onClick={() => setOpen(true)}
      >
        <span className="sync-status__dot" aria-hidden="true" />
        <span>{label}</span>
      </button>
      {open ? <SyncPanel status={s} onChanged={status.reload} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
