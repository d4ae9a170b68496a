import { getSetting, setSetting } from '../config/settings';
import type { Db } from '../db/database';

/**
 * The OCR confidence (0-100) under which a recognized page is flagged for the clerk to check: a
 * setting of the unit's administrator. Its own module: pages and dossiers count flagged pages, and
 * OCR control imports the dossier service.
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
