/** Controlling the OCR queue and reviewing what OCR read. */
import { z } from 'zod';
import { DossierId } from './ids';

/** Which pages a queue action covers: every page in the queue, a dossier's, or listed pages. */
export const OcrScope = z.union([
  z.object({ all: z.literal(true) }),
  z.object({ dossierId: DossierId }),
  z.object({ pageIds: z.array(z.number().int()).min(1).max(10_000) }),
]);
export type OcrScope = z.infer<typeof OcrScope>;

/** One recognized word as the review screen shows it; `box` in the page image's own pixels. */
export const OcrReviewWord = z.object({
  index: z.number().int(),
  text: z.string(),
  confidence: z.number(),
  box: z.tuple([z.number(), z.number(), z.number(), z.number()]),
});
export type OcrReviewWord = z.infer<typeof OcrReviewWord>;

export const OcrReview = z.object({
  pageId: z.number().int(),
  /** Words under this confidence (0-100) are highlighted; pages under it need review. */
  threshold: z.number(),
  words: z.array(OcrReviewWord),
});
export type OcrReview = z.infer<typeof OcrReview>;

/**
 * Which models tesseract reads with: `fast` (tessdata_fast, the default: about a third less CPU a
 * page) or `best` (4.0.0_best_int: a larger network, for hard scans).
 */
export const OcrModelChoice = z.enum(['fast', 'best']);
export type OcrModelChoice = z.infer<typeof OcrModelChoice>;

/**
 * The languages pages are read in: `vie` (the default: Vietnamese, which also reads codes, e-mail
 * addresses and most English words) or `vie+eng` (for documents in English: on Vietnamese pages
 * it drops the marks of some words, names on ID cards among them).
 */
export const OcrLanguagesChoice = z.enum(['vie', 'vie+eng']);
export type OcrLanguagesChoice = z.infer<typeof OcrLanguagesChoice>;

/** OCR settings of this workstation, as the admin screen edits them. */
export const OcrSettings = z.object({
  /** Pages whose mean word confidence (0-100) is under this are flagged for review. */
  reviewThreshold: z.number().min(0).max(100),
  /** tesseract workers running at once (each takes one core while recognizing). */
  workers: z.number().int().min(1).max(16),
  model: OcrModelChoice,
  languages: OcrLanguagesChoice,
});
export type OcrSettings = z.infer<typeof OcrSettings>;

export const ocrCalls = {
  /** The review threshold and worker count, with the default worker count (one per core). */
  'ocr.settings': {
    input: z.object({}),
    output: OcrSettings.extend({ defaultWorkers: z.number().int(), cores: z.number().int() }),
  },
  /**
   * Saves the OCR settings; a new worker count, model or language set applies at once (pages being
   * recognized finish first).
   */
  'ocr.updateSettings': {
    input: OcrSettings,
    output: OcrSettings,
  },
  /** Takes queued pages out of the OCR queue; a page being recognized now finishes. */
  'ocr.cancel': {
    input: OcrScope,
    output: z.object({ cancelled: z.number().int() }),
  },
  /**
   * What is on the clerk's screen: a dossier (null: none) and, in the page view, the page. The page
   * is recognized next if it waits, then the dossier's queued pages, before pages queued earlier for
   * other dossiers or the inbox. One workstation, one screen: the last call counts.
   */
  'ocr.focus': {
    input: z.object({ dossierId: DossierId.nullable(), pageId: z.number().int().optional() }),
    output: z.object({ dossierId: DossierId.nullable(), pageId: z.number().int().nullable() }),
  },
  /** Queues pages whose OCR was cancelled again. */
  'ocr.retry': {
    input: OcrScope,
    output: z.object({ queued: z.number().int() }),
  },
  'pages.ocrReview': {
    input: z.object({ pageId: z.number().int() }),
    output: OcrReview,
  },
  /** The clerk's correction of one recognized word; text, search index, tags and PDF text layer follow. */
  'pages.correctWord': {
    input: z.object({
      pageId: z.number().int(),
      index: z.number().int().min(0),
      text: z.string().trim().min(1).max(200),
    }),
    output: OcrReview,
  },
  'ocr.setReviewThreshold': {
    input: z.object({ threshold: z.number().min(0).max(100) }),
    output: z.object({ threshold: z.number() }),
  },
} as const;
