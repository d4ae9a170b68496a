import { runDossierPdfCommand } from '../dossier-pdf';

/**
 * `sohoa receipt <dossierId|dossierCode> --pdf OUT.pdf [--submitter NAME] [--phone N] [--address TEXT]`:
 * the reception receipt (Mẫu 01) as an A5 PDF. It goes through the `receipts.pdf` call, so the
 * processing log records the print as it does in the app.
 */
export function receipt(argv: string[]): Promise<number> {
  return runDossierPdfCommand(argv, {
    kind: 'receipt',
    options: ['submitter', 'phone', 'address'],
    render: (backend, dossierId, { submitter, phone, address }) =>
      backend.call('receipts.pdf', { dossierId, submitter, phone, address }),
    describe: (file) => `giấy tiếp nhận, ${file.pageCount} trang`,
  });
}
