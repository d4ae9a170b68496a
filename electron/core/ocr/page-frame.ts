import type { OcrLine, OcrResult, OcrWord } from './pool';

/**
 * OCR may read an upscaled or downscaled working copy of the page, or the part of it that holds
 * ink (`crop`). Boxes are stored in the archived page's own pixels, so the review screen and the
 * PDF text layer can lay them over the page image as it is; this maps a result from the part read
 * to the whole working copy, then from the working copy's size to the page's.
 */
export function toPageFrame(
  result: OcrResult,
  ocrImage: { width: number; height: number; crop?: { left: number; top: number } | null },
  page: { width: number; height: number },
): OcrResult {
  const sx = page.width / ocrImage.width;
  const sy = page.height / ocrImage.height;
  const dx = ocrImage.crop?.left ?? 0;
  const dy = ocrImage.crop?.top ?? 0;
  if (!Number.isFinite(sx) || !Number.isFinite(sy) || (sx === 1 && sy === 1 && dx === 0 && dy === 0)) return result;
  const x = (v: number): number => Math.round((v + dx) * sx * 10) / 10;
  const y = (v: number): number => Math.round((v + dy) * sy * 10) / 10;
  const height = (v: number): number => Math.round(v * sy * 10) / 10;
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
    h: height(line.h),
    d: height(line.d),
  }));
  return { ...result, words, lines };
}
