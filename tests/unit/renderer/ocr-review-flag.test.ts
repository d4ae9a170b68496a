import { describe, expect, it } from 'vitest';
import { flaggedForReview, nextDoubtful } from '../../../renderer/src/features/ocr/review-flag';

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

describe('moving on after a word is saved', () => {
  const word = (index: number, confidence: number) => ({
    index,
    text: `w${index}`,
    confidence,
    box: [0, 0, 1, 1] as [number, number, number, number],
  });
  const review = (...confidences: number[]) => ({ threshold: 70, words: confidences.map((c, i) => word(i, c)) });

  it('goes to the next doubtful word in reading order, skipping words read well', () => {
    // Word 1 was just saved (100): the next doubtful one after it is 3.
    expect(nextDoubtful(review(40, 100, 95, 55, 60), 1)).toBe(3);
  });

  it('comes back to doubtful words left before it, and stops when none is left', () => {
    expect(nextDoubtful(review(40, 90, 100), 2)).toBe(0);
    expect(nextDoubtful(review(100, 90, 100), 0)).toBeNull();
  });
});
