import { useCall, useApiEvent, useDebouncedCallback } from '../../api';
import { useT } from '../../i18n';
import { Icon } from '../../ui/icons';
import { OcrQueueActions } from './OcrQueueActions';
import { timeLeftText } from './time-left';

/** Top-bar summary of the OCR queue (`ocr.status`), refreshed as pages progress. */
export function OcrQueueIndicator() {
  const t = useT();
  const status = useCall('ocr.status', {});
  const refresh = useDebouncedCallback(status.reload, 250);
  useApiEvent('ocr.progress', refresh);
  useApiEvent('dossier.changed', refresh);

  const s = status.data;
  const busy = s !== undefined && s.queued + s.running > 0;
  // Once the recent pace is known, the time left says more than how many pages run at once.
  const label =
    s === undefined
      ? 'OCR'
      : !busy
        ? t('ocrQueue.idle')
        : s.secondsLeft !== null
          ? t('ocrQueue.busyLeft', { n: s.queued + s.running, left: timeLeftText(t, s.secondsLeft) })
          : t('ocrQueue.busy', { running: s.running, queued: s.queued });
  return (
    <div
      className={`ocr-queue${busy ? ' ocr-queue--busy' : ''}`}
      title={busy ? t('ocrQueue.busyTitle', { running: s.running, queued: s.queued }) : t('ocrQueue.title')}
      data-testid="ocr-queue"
      data-busy={busy ? 'true' : 'false'}
      aria-live="polite"
    >
      <span className="ocr-queue__dot" aria-hidden="true" />
      <Icon name="cpu" size={14} />
      <span>{label}</span>
      {s && s.failed > 0 ? <span className="ocr-queue__failed">{t('ocrQueue.failed', { n: s.failed })}</span> : null}
      {s ? <OcrQueueActions scope={{ all: true }} queued={s.queued} mayHaveCancelled={false} onDone={refresh} /> : null}
    </div>
  );
}
