/** Capture: what automatic cleanup found on a page, the clerk's answers to it, and hot folders. */
import { z } from 'zod';
import { DossierId } from './ids';

export const QualityWarning = z.discriminatedUnion('kind', [
  /** Scanned below 200 dpi: archival practice asks for at least 200; propose a rescan. */
  z.object({ kind: z.literal('lowResolution'), dpi: z.number() }),
  /** Edges too soft to read reliably (variance of the Laplacian on text areas); propose a rescan. */
  z.object({ kind: z.literal('blurred'), sharpness: z.number() }),
]);
export type QualityWarning = z.infer<typeof QualityWarning>;

/** What cleanup did to a page, shown with it (`Page` carries these fields). */
export const PageCleanup = z.object({
  /** Clockwise degrees applied to make the page upright. */
  rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]),
  /** Degrees straightened (positive: the scan leant clockwise). */
  skew: z.number(),
  /** Looks blank (a page number alone counts); kept until the clerk decides, never dropped. */
  blank: z.boolean(),
  /** The clerk has answered the blank flag (confirmed or cleared). */
  blankConfirmed: z.boolean(),
  qualityWarnings: z.array(QualityWarning),
  /** Where the text came from: recognized here, or a good PDF text layer kept as it was. */
  textSource: z.enum(['ocr', 'pdf']),
});
export type PageCleanup = z.infer<typeof PageCleanup>;

export const HotFolderClaimStatus = z.enum(['claimed', 'moved', 'imported', 'duplicate', 'refused']);
export type HotFolderClaimStatus = z.infer<typeof HotFolderClaimStatus>;

export const HotFolder = z.object({
  id: z.number().int(),
  path: z.string(),
  enabled: z.boolean(),
  /** The folder exists and can be read right now. */
  reachable: z.boolean(),
});
export type HotFolder = z.infer<typeof HotFolder>;

export const HotFolderClaim = z.object({
  id: z.number().int(),
  name: z.string(),
  status: HotFolderClaimStatus,
  dossierId: z.string().nullable(),
  documentId: z.string().nullable(),
  pageCount: z.number().int().nullable(),
  error: z.object({ message: z.string(), messageEn: z.string().optional() }).nullable(),
  at: z.string(),
});
export type HotFolderClaim = z.infer<typeof HotFolderClaim>;

export const HotFolderStatus = z.object({
  folders: z.array(HotFolder),
  /** Where new files go: the open dossier, or null for the inbox. */
  targetDossierId: z.string().nullable(),
  /** This process is watching (the desktop and browser hosts are; one-shot CLI commands are not). */
  watching: z.boolean(),
  recent: z.array(HotFolderClaim),
});
export type HotFolderStatus = z.infer<typeof HotFolderStatus>;

export const captureCalls = {
  /** The clerk's answer to a blank flag: true keeps it blank (no OCR); false clears it and queues OCR. */
  'pages.confirmBlank': {
    input: z.object({ id: z.number().int(), blank: z.boolean() }),
    output: PageCleanup,
  },
  /** Recognize a page again, e.g. one whose PDF text layer was kept but reads badly. */
  'pages.forceOcr': {
    input: z.object({ id: z.number().int() }),
    output: z.object({ queued: z.boolean() }),
  },
  'hotFolders.status': {
    input: z.object({}).default({}),
    output: HotFolderStatus,
  },
  /** Replaces the list of watched folders (absolute paths of existing folders). */
  'hotFolders.set': {
    input: z.object({ paths: z.array(z.string().min(1).max(1024)).max(10) }),
    output: HotFolderStatus,
  },
  /** The dossier the clerk has open (null: none, files go to the inbox). */
  'hotFolders.setTarget': {
    input: z.object({ dossierId: DossierId.nullable() }),
    output: z.object({ targetDossierId: z.string().nullable() }),
  },
} as const;
