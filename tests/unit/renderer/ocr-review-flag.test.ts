import { describe, expect, it } from 'vitest';
import { flaggedForReview } from '../../../renderer/src/features/ocr/review-flag';

describe('the page grid’s review flag', () => {
  it('flags recognized pages under the threshold, and nothing else', () => {
    expect(flaggedForReview('done', 62.5, 70)).toBe(true);
    expect(flaggedForReview('done', 70, 70)).toBe(false);
    expect(flaggedForReview('done', 91, 70)).toBe(false);
    // Not recognized (yet), no confidence (a blank page), or the threshold still loading.
    expect(flaggedForReview('running', 10, 70)).toBe(false);
    expect(flaggedForReview('cancelled', 10, 70)).toBe(false);
    expect(flaggedForReview('done', null, 70)).toBe(false);
    expect(flaggedForReview('done', 10, null)).toBe(false);
  });
});
