import { useState } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { useErrorText, useT } from '../../i18n';
import { Icon } from '../../ui/icons';
import { useMayCall } from '../auth/session';
import '../exports/exports.css';

/**
 * "In giấy tiếp nhận": the reception receipt (Mẫu 01) as an A5 PDF. The desktop app opens it in
 * the system's PDF viewer to print; browser mode downloads it. Printing again is the same button
 * (each print is logged).
 */
export function ReceiptButton({ dossierId }: { dossierId: string }) {
  const t = useT();
  const errorText = useErrorText();
  const mayPrint = useMayCall('receipts.pdf');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  if (!mayPrint) return null;

  async function print(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const file = await api.call('receipts.pdf', { dossierId });
      // Desktop: the system's PDF viewer opens it to print; browser mode: a download.
      await api.deliver(file, 'open');
    } catch (caught) {
      setError(toAppError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className="export-actions" data-testid="receipt-actions">
      <button
        type="button"
        className="btn btn--small"
        disabled={busy}
        onClick={() => void print()}
        title={t('receipt.printTitle')}
        data-testid="receipt-print"
      >
        <Icon name="file" size={14} />
        {busy ? t('receipt.preparing') : t('receipt.print')}
      </button>
      {error ? (
        <span
          className="export-actions__message export-actions__message--error"
          role="alert"
          data-testid="receipt-error"
        >
          {t('receipt.failed')} {errorText(error)}
        </span>
      ) : null}
    </span>
  );
}
