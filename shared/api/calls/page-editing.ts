/** Page editing in the dossier's page grid: reorder, rotate, delete/undo, split, merge, assign, rescan. */
import { z } from 'zod';
import { QualityWarning } from './capture';
import { DossierId, UploadToken } from './ids';

const PageId = z.number().int().min(1);
const DocumentId = z.string().min(1).max(64);

/** Clockwise quarter turns the clerk asks for. */
export const PageTurn = z.union([z.literal(90), z.literal(180), z.literal(270)]);
export type PageTurn = z.infer<typeof PageTurn>;

export const PageEditResult = z.object({
  dossierId: z.string().nullable(),
  /** The document the edit ended in (the new one for a split or an assigned selection). */
  documentId: z.string(),
  pageIds: z.array(z.number().int()),
});
export type PageEditResult = z.infer<typeof PageEditResult>;

export const PageEditFlags = z.object({
  id: z.number().int(),
  documentId: z.string(),
  rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]),
  blank: z.boolean(),
  blankConfirmed: z.boolean(),
  qualityWarnings: z.array(QualityWarning),
  /** Changes whenever the page's image does (rotation, rescan): keys the thumbnail's URL. */
  imageVersion: z.string(),
  /** Its document is approved (or the dossier closed): no edits. */
  locked: z.boolean(),
});
export type PageEditFlags = z.infer<typeof PageEditFlags>;

export const PageEditState = z.object({
  dossierId: z.string(),
  /** Why nothing in the dossier can be edited, when so. */
  locked: z.object({ message: z.string(), messageEn: z.string() }).nullable(),
  pages: z.array(PageEditFlags),
  components: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
});
export type PageEditState = z.infer<typeof PageEditState>;

export const pageEditingCalls = {
  'pages.editState': {
    input: z.object({ dossierId: DossierId }),
    output: PageEditState,
  },
  /** Moves a page to a 1-based position of a document of the same dossier (its own or another). */
  'pages.move': {
    input: z.object({ pageId: PageId, documentId: DocumentId, position: z.number().int().min(1) }),
    output: PageEditResult,
  },
  'pages.rotate': {
    input: z.object({ pageId: PageId, turn: PageTurn }),
    output: PageEditResult,
  },
  /** Soft delete: `pages.undoDelete` brings it back until `undoUntil`, then it is final. */
  'pages.delete': {
    input: z.object({ pageId: PageId }),
    output: z.object({ pageId: z.number().int(), undoUntil: z.string() }),
  },
  'pages.undoDelete': {
    input: z.object({ pageId: PageId }),
    output: PageEditResult,
  },
  /** Replaces a page by a rescanned file, at the same place; the old page goes to the trash. */
  'pages.replace': {
    input: z.object({ pageId: PageId, upload: UploadToken }),
    output: PageEditResult.extend({ undoUntil: z.string(), replacedPageId: z.number().int() }),
  },
  /** Pages (one document whole, or a selection that becomes a document) under a checklist component. */
  'pages.assign': {
    input: z.object({ pageIds: z.array(PageId).min(1).max(2000), componentId: z.string().min(1).max(64) }),
    output: PageEditResult,
  },
  /** The page and those after it become a new document, right after this one. */
  'documents.split': {
    input: z.object({ pageId: PageId }),
    output: PageEditResult,
  },
  /** Appends `documentId`'s pages to `intoDocumentId`; the emptied document is removed. */
  'documents.merge': {
    input: z.object({ documentId: DocumentId, intoDocumentId: DocumentId }),
    output: PageEditResult,
  },
} as const;
