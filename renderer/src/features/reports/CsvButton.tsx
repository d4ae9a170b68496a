import { useState } from 'react';
import type { CallInput } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { useErrorText, useT } from '../../i18n';

type FileCall = 'reports.csv' | 'reports.postalWorkloadCsv' | 'reports.monthlyPdf';

/**
 * Saves a table on screen as CSV (or the monthly PDF) through the app's export path: the backend
 * prepares the file, the desktop app asks where to save it, browser mode downloads it.
 */
export function FileButton<N extends FileCall>({
  call,
  input,
  label,
  testId,
}: {
  call: N;
  input: CallInput<N>;
  label: string;
  testId: string;
}) {
  const t = useT();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  async function run(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await api.deliver(await api.call(call, input), 'save');
    } catch (caught) {
      setError(toAppError(caught));
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" className="btn btn--small" disabled={busy} onClick={() => void run()} data-testid={testId}>
        {busy ? t('reports.preparing') : label}
      </button>
      {error ? (
        <span role="alert" className="reports-file-error">
          {errorText(error)}
        </span>
      ) : null}
    </>
  );
}

export function CsvButton({ input, testId }: { input: CallInput<'reports.csv'>; testId: string }) {
  const t = useT();
  return <FileButton call="reports.csv" input={input} label={t('reports.csv')} testId={testId} />;
}
