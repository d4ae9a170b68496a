/** Digitized output: searchable PDF/A of a document or a dossier, or a dossier's ZIP, to download. */
import { z } from 'zod';
import { DossierId } from './ids';

/** A prepared download. The browser host serves it at `downloadPath` for a few minutes. */
export const ExportFile = z.object({
  token: z.string().regex(/^[a-f0-9]{32}$/),
  fileName: z.string(),
  mime: z.string(),
  /** Bytes, when known before streaming (a ZIP is assembled as it is sent). */
  size: z.number().int().nullable(),
  pageCount: z.number().int(),
  /** Pages exported as image only, because their OCR failed or has not finished yet. */
  pagesWithoutText: z.number().int(),
  downloadPath: z.string(),
});
export type ExportFile = z.infer<typeof ExportFile>;

const DocumentId = z.string().min(1).max(64);

export const exportCalls = {
  'exports.documentPdf': {
    input: z.object({ documentId: DocumentId }),
    output: ExportFile,
  },
  'exports.dossierPdf': {
    input: z.object({ dossierId: DossierId }),
    output: ExportFile,
  },
  'exports.dossierZip': {
    input: z.object({ dossierId: DossierId }),
    output: ExportFile,
  },
} as const;

/** Browser mode's route for a prepared export (GET; the token is the only key). */
export function exportDownloadPath(token: string): string {
  return `/exports/${token}`;
}
export const EXPORT_ROUTE = /^\/exports\/([a-f0-9]{32})$/;
