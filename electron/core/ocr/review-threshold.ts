import { getSetting, setSetting } from '../config/settings';
import type { Db } from '../db/database';

/**
 * The OCR confidence (0-100) under which a recognized page is flagged for the clerk to check: a
 * setting of the unit's administrator, and the rule itself. Its own module: pages and dossiers
 * flag and count pages by it, and OCR control imports the dossier service.
 */
export const DEFAULT_REVIEW_THRESHOLD = 70;

export function reviewThreshold(db: Db): number {
  const stored = Number(getSetting(db, 'ocr.reviewThreshold'));
  return getSetting(db, 'ocr.reviewThreshold') !== null && Number.isFinite(stored) ? stored : DEFAULT_REVIEW_THRESHOLD;
}

export function setReviewThreshold(db: Db, threshold: number): { threshold: number } {
  setSetting(db, 'ocr.reviewThreshold', String(threshold));
  return { threshold };
}

/** Whether a page's recognized text is for the clerk to check (pages.get `needsReview`). */
export function needsReview(page: { ocr_status: string; ocr_confidence: number | null }, threshold: number): boolean {
  return page.ocr_status === 'done' && page.ocr_confidence !== null && page.ocr_confidence < threshold;
}

/**
 * needsReview in SQL, for a `pages` row named `pg`; binds `@reviewThreshold` (a null confidence
 * compares as unknown: not counted).
 */
export const NEEDS_REVIEW_SQL = `pg.ocr_status = 'done' AND pg.ocr_confidence < @reviewThreshold`;
