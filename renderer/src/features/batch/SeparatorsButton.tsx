import { useState } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { hasCommandKey, isModalOpen, useWindowKeydown, withShortcut } from '../../app/keyboard';
import { useErrorText, useT } from '../../i18n';
import { Icon } from '../../ui/icons';
import { useMayCall } from '../auth/session';
import '../exports/exports.css';

export const SEPARATORS_SHORTCUT = 'Alt+P';

/**
 * "In tờ phân tách": one A4 sheet per component of the dossier plus a "new document" sheet, each
 * with a large QR code. Desktop opens the PDF to print; browser mode downloads it. Alt+P.
 */
export function SeparatorsButton({ dossierId }: { dossierId: string }) {
  const t = useT();
  const errorText = useErrorText();
  const mayPrint = useMayCall('separators.pdf');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  async function print(): Promise<void> {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const file = await api.call('separators.pdf', { dossierId });
      await api.deliver(file, 'open');
    } catch (caught) {
      setError(toAppError(caught));
    } finally {
      setBusy(false);
    }
  }

  useWindowKeydown((e) => {
    if (mayPrint && e.altKey && !hasCommandKey(e) && !e.shiftKey && e.key.toLowerCase() === 'p' && !isModalOpen()) {
      e.preventDefault();
      void print();
    }
  });
  if (!mayPrint) return null;

  return (
    <span className="export-actions" data-testid="separator-actions">
      <button
        type="button"
        className="btn btn--small"
        disabled={busy}
        onClick={() => void print()}
        title={withShortcut(t('batch.separatorsTitle'), SEPARATORS_SHORTCUT)}
        aria-keyshortcuts="Alt+P"
        data-testid="separators-print"
      >
        <Icon name="file" size={14} />
        {busy ? t('batch.separatorsPreparing') : t('batch.separators')}
      </button>
      {error ? (
        <span className="export-actions__message export-actions__message--error" role="alert">
          {t('batch.separatorsFailed')} {errorText(error)}
        </span>
      ) : null}
    </span>
  );
}
