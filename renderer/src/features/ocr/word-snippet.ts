/** A word's box in the page image's pixels: [left, top, right, bottom]. */
export type WordBox = readonly [number, number, number, number];

export interface SnippetGeometry {
  /** The snippet's size on screen, CSS pixels. */
  width: number;
  height: number;
  /** The whole page scaled as the snippet shows it, and where the snippet's corner lies on it. */
  backgroundWidth: number;
  backgroundHeight: number;
  offsetX: number;
  offsetY: number;
}

/**
 * How to show one word of the page, enlarged, beside its editor: the word's box with a margin of
 * a third of its height (the letters' marks and the neighbours that give it sense), inside the
 * page, scaled to `height` CSS pixels and never wider than `maxWidth`.
 */
export function snippetGeometry(
  box: WordBox,
  page: { width: number; height: number },
  height: number,
  maxWidth: number,
): SnippetGeometry | null {
  const [x0, y0, x1, y1] = box;
  if (page.width <= 0 || page.height <= 0 || x1 <= x0 || y1 <= y0) return null;
  const margin = (y1 - y0) / 3;
  const left = Math.max(0, x0 - margin);
  const top = Math.max(0, y0 - margin);
  const right = Math.min(page.width, x1 + margin);
  const bottom = Math.min(page.height, y1 + margin);
  if (right <= left || bottom <= top) return null;
  const scale = Math.min(height / (bottom - top), maxWidth / (right - left));
  return {
    width: Math.round((right - left) * scale),
    height: Math.round((bottom - top) * scale),
    backgroundWidth: page.width * scale,
    backgroundHeight: page.height * scale,
    offsetX: -left * scale,
    offsetY: -top * scale,
  };
}
