import type { exportCalls } from '../../../shared/api/calls/exports';
import type { HandlerGroup } from '../dispatch';
import type { PdfExports } from './pdf-exports';

export function exportHandlers(exports: PdfExports): HandlerGroup<typeof exportCalls> {
  return {
    'exports.documentPdf': (input) => exports.issue('documentPdf', input.documentId),
    'exports.dossierPdf': (input) => exports.issue('dossierPdf', input.dossierId),
    'exports.dossierZip': (input) => exports.issue('dossierZip', input.dossierId),
  };
}
