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
