import type { OcrLine, OcrResult, OcrWord } from './pool';

/**
 * OCR may read an upscaled or downscaled working copy of the page. Boxes are stored in the
 * archived page's own pixels, so the review screen and the PDF text layer can lay them over the
 * page image as it is; this maps a result from the working copy's size to the page's.
 */
export function toPageFrame(
  result: OcrResult,
  ocrImage: { width: number; height: number },
  page: { width: number; height: number },
): OcrResult {
  const sx = page.width / ocrImage.width;
  const sy = page.height / ocrImage.height;
  if (!Number.isFinite(sx) || !Number.isFinite(sy) || (sx === 1 && sy === 1)) return result;
  const x = (v: number): number => Math.round(v * sx * 10) / 10;
  const y = (v: number): number => Math.round(v * sy * 10) / 10;
  const box = (b: [number, number, number, number]): [number, number, number, number] => [
    x(b[0]),
    y(b[1]),
    x(b[2]),
    y(b[3]),
  ];
  const words: OcrWord[] = result.words.map((word) => ({ ...word, b: box(word.b) }));
  const lines: OcrLine[] = result.lines.map((line) => ({
    ...line,
    b: box(line.b),
    bl: box(line.bl),
    h: y(line.h),
    d: y(line.d),
  }));
  return { ...result, words, lines };
}
