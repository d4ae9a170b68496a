import { AppFailure } from '../../../shared/api/errors';
import { runDossierPdfCommand } from '../dossier-pdf';

/**
 * `sohoa separators <dossierCode> --pdf OUT.pdf [--component CODE]`: separator sheets (A4, one per
 * component plus a "new document" sheet) to put between documents before scanning a stack.
 */
export function separators(argv: string[]): Promise<number> {
  return runDossierPdfCommand(argv, {
    kind: 'separators',
    options: ['component'],
    render: async (backend, dossierId, { component }) => {
      let componentId: string | undefined;
      if (component !== undefined) {
        const row = backend.db
          .prepare('SELECT id FROM dossier_components WHERE dossier_id = ? AND code = ?')
          .get(dossierId, component) as { id: string } | undefined;
        if (!row)
          throw new AppFailure(
            'NOT_FOUND',
            'Hồ sơ không có thành phần mang mã này.',
            'The dossier has no component with this code.',
            'component',
          );
        componentId = row.id;
      }
      return backend.call('separators.pdf', { dossierId, componentId });
    },
    describe: (file) => `${file.pageCount} tờ phân tách`,
  });
}
