import { useState } from 'react';
import type { ExportFile } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { useErrorText, useT } from '../../i18n';
import { Icon } from '../../ui/icons';
import { MenuButton } from '../../ui/MenuButton';
import './exports.css';

export type ExportTarget = { kind: 'dossier'; dossierId: string } | { kind: 'document'; documentId: string };
type Format = 'pdf' | 'zip';

/**
 * A document's "Tải PDF" (searchable PDF/A); a dossier's "Xuất tệp" menu: the whole dossier as one
 * PDF/A, or a ZIP with one PDF per document plus manifest.json. The backend prepares the file;
 * browser mode then downloads it from the link it returns.
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

  return (
    <span className="export-actions" data-testid="export-actions">
      {target.kind === 'dossier' ? (
        <MenuButton
          label={
            <>
              <Icon name="download" size={14} />
              {busy ? t('export.preparing') : t('export.menu')}
            </>
          }
          title={t('export.menuTitle')}
          disabled={busy !== null}
          testId="export-menu"
          items={[
            {
              key: 'pdf',
              label: t('export.dossierPdfItem'),
              title: t('export.dossierPdfTitle'),
              testId: 'export-pdf',
              onSelect: () => void run('pdf'),
            },
            {
              key: 'zip',
              label: t('export.zipItem'),
              title: t('export.zipTitle'),
              testId: 'export-zip',
              onSelect: () => void run('zip'),
            },
          ]}
        />
      ) : (
        <button
          type="button"
          className="btn btn--small"
          disabled={busy !== null}
          onClick={() => void run('pdf')}
          title={t('export.documentPdfTitle')}
          data-testid="export-pdf"
        >
          <Icon name="download" size={14} />
          {busy === 'pdf' ? t('export.preparing') : t('export.documentPdf')}
        </button>
      )}
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
