/** Pages, their OCR results and proposed tags; importing scanned files. */
import { z } from 'zod';
import { PageCleanup } from './capture';
import { DossierId, UploadToken } from './ids';
import { DocumentTypeState, IdCardQr } from './page-analysis';

export const TagKind = z.enum(['citizenId', 'procedureCode', 'dossierCode']);
export type TagKind = z.infer<typeof TagKind>;

export const TagStatus = z.enum(['proposed', 'confirmed', 'rejected']);
export type TagStatus = z.infer<typeof TagStatus>;

export const Tag = z.object({
  id: z.number().int(),
  pageId: z.number().int(),
  kind: TagKind,
  value: z.string(),
  status: TagStatus,
});
export type Tag = z.infer<typeof Tag>;

export const OcrStatus = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);
export type OcrStatus = z.infer<typeof OcrStatus>;

export const PageSummary = z.object({
  id: z.number().int(),
  documentId: z.string(),
  pageNo: z.number().int().min(1),
  width: z.number().int(),
  height: z.number().int(),
  ocrStatus: OcrStatus,
  confidence: z.number().nullable(),
});
export type PageSummary = z.infer<typeof PageSummary>;

export const Page = PageSummary.extend(PageCleanup.shape).extend({
  dossierId: z.string().nullable(),
  text: z.string(),
  ocrError: z.string().nullable(),
  /** OCR was cancelled from the queue (the page can be queued again). */
  ocrCancelled: z.boolean(),
  /** Recognized with a confidence under the review threshold: the clerk should check the words. */
  needsReview: z.boolean(),
  tags: z.array(Tag),
  /** Chip ID card QR codes read from the page image, top to bottom. */
  idCards: z.array(IdCardQr),
  documentType: DocumentTypeState,
});
export type Page = z.infer<typeof Page>;

export const ImportOutcome = z.union([
  z.object({
    ok: z.literal(true),
    name: z.string(),
    documentId: z.string(),
    pageIds: z.array(z.number().int()),
    /** The same file (by sha256) was already stored: nothing new was added. */
    duplicate: z.boolean(),
  }),
  z.object({
    ok: z.literal(false),
    name: z.string(),
    error: z.object({ code: z.string(), message: z.string(), messageEn: z.string().optional() }),
  }),
]);
export type ImportOutcome = z.infer<typeof ImportOutcome>;

export const pageCalls = {
  'pages.import': {
    input: z.object({
      dossierId: DossierId.nullable(),
      uploads: z.array(UploadToken).min(1).max(1000),
      /** The caller's name for this import: its `import.progress` events carry it. */
      importId: z.string().min(1).max(64).optional(),
    }),
    output: z.array(ImportOutcome),
  },
  'pages.get': {
    input: z.object({ id: z.number().int() }),
    output: Page,
  },
  'tags.update': {
    input: z.object({
      id: z.number().int(),
      status: z.enum(['confirmed', 'rejected']),
      value: z.string().max(64).optional(),
    }),
    output: Tag,
  },
} as const;
