/** A part of an image: its top-left corner and size, in pixels. */
export interface PixelRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Grey pixels as a binary PGM (P5) file: a short header, then one byte a pixel, which tesseract
 * and zxing read without building RGBA or decoding anything. `part` cuts a rectangle out on the
 * way: one copy of the pixels, not one to cut and another to add the header. Pixels that short
 * data lacks are black.
 */
export function toPgm(grey: Uint8Array, width: number, height: number, part?: PixelRect): Buffer {
  const rect = part ?? { left: 0, top: 0, width, height };
  const header = `P5\n${rect.width} ${rect.height}\n255\n`;
  const pgm = Buffer.allocUnsafe(header.length + rect.width * rect.height);
  const start = pgm.write(header, 'ascii');
  if (!part) {
    const pixels = grey.subarray(0, width * height);
    pgm.set(pixels, start);
    pgm.fill(0, start + pixels.length);
    return pgm;
  }
  for (let y = 0, at = start; y < rect.height; y++, at += rect.width) {
    const from = (rect.top + y) * width + rect.left;
    const row = grey.subarray(from, from + rect.width);
    pgm.set(row, at);
    pgm.fill(0, at + row.length, at + rect.width);
  }
  return pgm;
}
