import type { OcrStatus } from '../../../../shared/api/contract';

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
