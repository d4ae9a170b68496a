/**
 * Batch splitting: separator sheets to print, and the proposed split of a scanned stack that the
 * clerk reviews (moves a boundary, picks a component) and confirms, or rejects to import the
 * stack as one document.
 */
import { z } from 'zod';
import { ExportFile } from './exports';
import { DossierId } from './ids';

export const BatchId = z.string().min(1).max(64);

export const StagedBatchStatus = z.enum(['pending', 'confirmed', 'rejected']);
export type StagedBatchStatus = z.infer<typeof StagedBatchStatus>;

export const StagedPage = z.object({
  /** 1-based place in the scanned stack. */
  position: z.number().int().min(1),
  /** A separator sheet is never stored as a document page. */
  role: z.enum(['page', 'separator']),
  /** A separator's component code (null: a "new document" sheet). */
  componentCode: z.string().nullable(),
  /** The personal ID number read from an ID card's QR code on this page. */
  cardId: z.string().nullable(),
  blank: z.boolean(),
  /** A small JPEG of the page as a data: URL (the page is not stored as a page yet). */
  thumb: z.string(),
});
export type StagedPage = z.infer<typeof StagedPage>;

export const StagedGroup = z.object({
  /** Position of the group's first page. */
  start: z.number().int().min(1),
  positions: z.array(z.number().int().min(1)),
  componentId: z.string().nullable(),
  componentName: z.string().nullable(),
  /** Set when the group starts at an ID card: an identity document of that person. */
  cardId: z.string().nullable(),
});
export type StagedGroup = z.infer<typeof StagedGroup>;

export const StagedBatch = z.object({
  id: BatchId,
  dossierId: z.string().nullable(),
  dossierCode: z.string().nullable(),
  sourceName: z.string(),
  pageCount: z.number().int(),
  status: StagedBatchStatus,
  createdAt: z.string(),
  pages: z.array(StagedPage),
  groups: z.array(StagedGroup),
  /** The dossier's components, for the clerk's choice per group. */
  components: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
  documentIds: z.array(z.string()),
});
export type StagedBatch = z.infer<typeof StagedBatch>;

export const batchSplitCalls = {
  /** Separator sheets for a dossier's components (or one component) plus a "new document" sheet, as A4 PDF. */
  'separators.pdf': {
    input: z.object({ dossierId: DossierId, componentId: z.string().min(1).max(64).optional() }),
    output: ExportFile,
  },
  /** Stacks waiting for the clerk's confirmation, for a dossier (null: the inbox). */
  'batches.list': {
    input: z.object({ dossierId: DossierId.nullable() }),
    output: z.array(StagedBatch),
  },
  /** The clerk's split: where each document starts and which component it is for. */
  'batches.update': {
    input: z.object({
      batchId: BatchId,
      groups: z
        .array(z.object({ start: z.number().int().min(1), componentId: z.string().min(1).max(64).nullable() }))
        .min(1)
        .max(2000),
    }),
    output: StagedBatch,
  },
  /** Creates the proposed documents, all in one transaction. */
  'batches.confirm': {
    input: z.object({ batchId: BatchId }),
    output: z.object({ documentIds: z.array(z.string()) }),
  },
  /** Imports the whole stack as one document instead, as if it had no separators. */
  'batches.reject': {
    input: z.object({ batchId: BatchId }),
    output: z.object({ documentId: z.string() }),
  },
} as const;
