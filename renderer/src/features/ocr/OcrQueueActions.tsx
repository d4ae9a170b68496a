import { useState } from 'react';
import type { OcrScope } from '../../../../shared/api/contract';
import { api, toAppError } from '../../api';
import { useErrorText, useT } from '../../i18n';
import { Icon } from '../../ui/icons';
import { useMayCall } from '../auth/session';
import './ocr.css';

/**
 * Cancel the pages waiting for OCR in a scope (a page already being recognized finishes), and
 * queue cancelled pages again. Hidden from accounts that may not change pages.
 */
export function OcrQueueActions({
  scope,
  queued,
  mayHaveCancelled,
  onDone,
}: {
  scope: OcrScope;
  /** Pages waiting: the cancel button shows only when there are some. */
  queued: number;
  /** Some pages ended without text (cancelled among them): offer to queue cancelled pages again. */
  mayHaveCancelled: boolean;
  onDone?: () => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  const mayCancel = useMayCall('ocr.cancel');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  if (!mayCancel || (queued === 0 && !mayHaveCancelled && note === null)) return null;

  async function act(kind: 'cancel' | 'retry') {
    setBusy(true);
    setNote(null);
    try {
      if (kind === 'cancel') {
        const { cancelled } = await api.call('ocr.cancel', scope);
        setNote(t('ocr.cancelled', { n: cancelled }));
      } else {
        const { queued: requeued } = await api.call('ocr.retry', scope);
        setNote(t('ocr.retried', { n: requeued }));
      }
      onDone?.();
    } catch (e) {
      setNote(errorText(toAppError(e)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className="ocr-actions" data-testid="ocr-actions">
      {queued > 0 ? (
        <button
          type="button"
          className="btn btn--small"
          disabled={busy}
          onClick={() => void act('cancel')}
          title={t('ocr.cancelTitle')}
          aria-label={t('ocr.cancel')}
          data-testid="ocr-cancel"
        >
          <Icon name="close" size={12} />
          <span className="ocr-actions__label">{t('ocr.cancel')}</span>
        </button>
      ) : null}
      {mayHaveCancelled ? (
        <button
          type="button"
          className="btn btn--small btn--ghost"
          disabled={busy}
          onClick={() => void act('retry')}
          data-testid="ocr-retry"
        >
          {t('ocr.retry')}
        </button>
      ) : null}
      {note ? (
        <span className="ocr-actions__note small" role="status" data-testid="ocr-actions-note">
          {note}
        </span>
      ) : null}
    </span>
  );
}
