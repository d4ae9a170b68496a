import { useState } from 'react';
import type { ExportFile } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { useErrorText, useT } from '../../i18n';
import { Icon } from '../../ui/icons';
import './exports.css';

export type ExportTarget = { kind: 'dossier'; dossierId: string } | { kind: 'document'; documentId: string };
type Format = 'pdf' | 'zip';

/**
 * "Tải PDF" (searchable PDF/A of the document, or of the whole dossier) and, for a dossier,
 * "Xuất ZIP" (one PDF per document plus manifest.json). The backend prepares the file; browser
 * mode then downloads it from the link it returns.
 */
export function ExportActions({ target }: { target: ExportTarget }) {
  const t = useT();
  const errorText = useErrorText();
  const [busy, setBusy] = useState<Format | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [note, setNote] = useState<string | null>(null);

  async function run(format: Format): Promise<void> {
    setBusy(format);
    setError(null);
    setNote(null);
    try {
      const file = await prepare(target, format);
      await api.deliver(file, 'save');
      if (file.pagesWithoutText > 0) {
        setNote(t('export.pagesWithoutText', { n: file.pagesWithoutText, total: file.pageCount }));
      }
    } catch (caught) {
      setError(toAppError(caught));
    } finally {
      setBusy(null);
    }
  }

  const pdfLabel = target.kind === 'dossier' ? t('export.dossierPdf') : t('export.documentPdf');
  return (
    <span className="export-actions" data-testid="export-actions">
      <button
        type="button"
        className="btn btn--small"
        disabled={busy !== null}
        onClick={() => void run('pdf')}
        title={target.kind === 'dossier' ? t('export.dossierPdfTitle') : t('export.documentPdfTitle')}
        data-testid="export-pdf"
      >
        <Icon name="download" size={14} />
        {busy === 'pdf' ? t('export.preparing') : pdfLabel}
      </button>
      {target.kind === 'dossier' ? (
        <button
          type="button"
          className="btn btn--small"
          disabled={busy !== null}
          onClick={() => void run('zip')}
          title={t('export.zipTitle')}
          data-testid="export-zip"
        >
          <Icon name="download" size={14} />
          {busy === 'zip' ? t('export.preparing') : t('export.zip')}
        </button>
      ) : null}
      {error ? (
        <span
          className="export-actions__message export-actions__message--error"
          role="alert"
          data-testid="export-error"
        >
          {t('export.failed')} {errorText(error)}
        </span>
      ) : note ? (
        <span className="export-actions__message" role="status" data-testid="export-note">
          {note}
        </span>
      ) : null}
    </span>
  );
}

function prepare(target: ExportTarget, format: Format): Promise<ExportFile> {
  if (target.kind === 'document') return api.call('exports.documentPdf', { documentId: target.documentId });
  return format === 'zip'
    ? api.call('exports.dossierZip', { dossierId: target.dossierId })
    : api.call('exports.dossierPdf', { dossierId: target.dossierId });
}

/** A same-origin link with `download`: the browser saves the file and the page stays. */
