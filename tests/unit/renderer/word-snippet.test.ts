import { describe, expect, it } from 'vitest';
import { snippetGeometry } from '../../../renderer/src/features/ocr/word-snippet';

describe('the enlarged word beside the review editor', () => {
  const page = { width: 1654, height: 2339 };

  it('shows the word with a third of its height around it, scaled to the height asked', () => {
    // A 30 px high word: 10 px of margin each side, so 50 px of page shown 100 px high (2x).
    const g = snippetGeometry([400, 600, 520, 630], page, 100, 1000);
    expect(g).toEqual({
      width: 280,
      height: 100,
      backgroundWidth: 3308,
      backgroundHeight: 4678,
      offsetX: -780,
      offsetY: -1180,
    });
  });

  it('keeps a long word within the width allowed, and the margin within the page', () => {
    const g = snippetGeometry([0, 0, 1200, 30], page, 100, 300);
    // Cut at the page's top-left corner; 1210 px wide scaled to 300.
    expect(g?.width).toBe(300);
    expect(g?.offsetX).toBeCloseTo(0);
    expect(g?.offsetY).toBeCloseTo(0);
    expect(g && g.height).toBeLessThan(100);
  });

  it('shows nothing for an empty box or an image of unknown size', () => {
    expect(snippetGeometry([10, 10, 10, 40], page, 56, 320)).toBeNull();
    expect(snippetGeometry([10, 10, 50, 40], { width: 0, height: 0 }, 56, 320)).toBeNull();
  });
});
