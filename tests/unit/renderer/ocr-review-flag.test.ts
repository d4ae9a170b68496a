import { describe, expect, it } from 'vitest';
import type { OcrStatus } from '../../../shared/api/contract';
import { flaggedForReview, nextDoubtful, pagesToReview } from '../../../renderer/src/features/ocr/review-flag';

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

describe('the next page to check in a dossier', () => {
  const page = (id: number, confidence: number | null, ocrStatus: OcrStatus = 'done') => ({
    id,
    ocrStatus,
    confidence,
  });
  // Pages 11 and 14 are flagged at 70; 12 read well, 13 is still being read, 15 is blank.
  const dossier = [page(10, 50), page(11, 60), page(12, 95), page(13, 20, 'running'), page(14, 40), page(15, null)];

  it('goes on to the next flagged page in dossier order, counting the others flagged', () => {
    expect(pagesToReview(dossier, 11, 70)).toEqual({ nextId: 14, remaining: 2 });
    expect(pagesToReview(dossier, 12, 70)).toEqual({ nextId: 14, remaining: 3 });
  });

  it('comes back round to flagged pages left behind, and has none once they are checked', () => {
    expect(pagesToReview(dossier, 14, 70)).toEqual({ nextId: 10, remaining: 2 });
    const checked = dossier.map((p) => (p.id === 10 || p.id === 11 ? { ...p, confidence: 88 } : p));
    expect(pagesToReview(checked, 14, 70)).toEqual({ nextId: undefined, remaining: 0 });
  });

  it('starts from the dossier’s first flagged page when no page is open', () => {
    expect(pagesToReview(dossier, null, 70)).toEqual({ nextId: 10, remaining: 3 });
  });

  it('has nothing to offer while the threshold is unknown', () => {
    expect(pagesToReview(dossier, 11, null)).toEqual({ nextId: undefined, remaining: 0 });
  });
});
