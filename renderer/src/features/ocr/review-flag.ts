import type { OcrReview, OcrStatus } from '../../../../shared/api/contract';

/**
 * Whether a page is flagged for review: recognized, with a known confidence under the threshold
 * (the backend's `needsReview` rule, for the grid, whose page summaries carry only the confidence).
 */
export function flaggedForReview(
  status: OcrStatus,
  confidence: number | null | undefined,
  threshold: number | null,
): boolean {
  return (
    status === 'done' && confidence !== undefined && confidence !== null && threshold !== null && confidence < threshold
  );
}

/**
 * The word the review moves to once one is saved: the next doubtful word in reading order, else
 * the first one still doubtful (the clerk may have skipped some), null when none is left.
 */
export function nextDoubtful(review: Pick<OcrReview, 'words' | 'threshold'>, after: number): number | null {
  const doubtful = review.words.filter((word) => word.confidence < review.threshold);
  return (doubtful.find((word) => word.index > after) ?? doubtful[0])?.index ?? null;
}

/** The dossier's pages flagged for review besides the one on screen, and the one to open next. */
export interface PagesToReview {
  /** The next flagged page after the current one in dossier order, else the first before it. */
  nextId: number | undefined;
  /** Flagged pages other than the current one. */
  remaining: number;
}

/**
 * Where "next page to check" goes from `currentId` (null: from the dossier, before its first page):
 * like the review's words (nextDoubtful), on through the dossier and then round to pages left
 * behind, so a batch is checked in one pass.
 */
export function pagesToReview(
  pages: readonly { id: number; ocrStatus: OcrStatus; confidence: number | null }[],
  currentId: number | null,
  threshold: number | null,
): PagesToReview {
  const here = currentId === null ? -1 : pages.findIndex((page) => page.id === currentId);
  let first: number | undefined;
  let next: number | undefined;
  let remaining = 0;
  pages.forEach((page, at) => {
    if (page.id === currentId || !flaggedForReview(page.ocrStatus, page.confidence, threshold)) return;
    remaining++;
    first ??= page.id;
    if (at > here) next ??= page.id;
  });
  return { nextId: next ?? first, remaining };
}
