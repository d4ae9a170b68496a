import type { OcrInput } from '../imaging/ocr-input';
import { toPageFrame } from './page-frame';
import type { OcrPool, OcrResult } from './pool';

/**
 * A page read as one column that gave fewer characters than this share of its letters (ink blobs
 * counted before OCR) missed its text. Upright, the bench's forms, letters, registers and ID cards
 * read 1.03 to 1.17 characters a letter (letters that touch are one blob; dots and marks are
 * none); turned a quarter, every one of them read none at all.
 */
const MISSED_TEXT_SHARE = 0.25;
/** Too few letters to judge by counting (a page number, a signature). */
const MIN_LETTERS_TO_JUDGE = 40;

/**
 * Reads a page's OCR working copy, its words boxed in the page's own pixels. A page is read as one
 * column (see Segmentation): rows stay whole and in order, and it costs less than full layout
 * analysis. That mode reads nothing of text running down the page, which cleanup leaves when it
 * cannot tell how the page lies (a table turned to landscape, a page mostly picture): such a page
 * is read again with full layout analysis, which finds vertical text, and the reading with more
 * text is kept. Only that second reading costs more, and only on those pages.
 */
export async function readPage(
  pool: OcrPool,
  input: OcrInput,
  page: { width: number; height: number },
  onProgress?: (progress: number) => void,
): Promise<OcrResult> {
  const options = { ...(input.dpi ? { dpi: input.dpi } : {}), ...(onProgress ? { onProgress } : {}) };
  const column = await pool.recognize(input.image, options);
  let result = column;
  if (missedText(column, input.letters)) {
    // This reading reports its progress too, from 0 again: read as one column, text running down
    // the page gave tesseract no words to count progress by, so the clerk had seen none at all.
    const layout = await pool.recognize(input.image, { ...options, segmentation: 'layout' });
    if (charactersRead(layout) > charactersRead(column)) result = layout;
  }
  return toPageFrame(result, input, page);
}

function missedText(result: OcrResult, letters: number): boolean {
  return letters >= MIN_LETTERS_TO_JUDGE && charactersRead(result) < letters * MISSED_TEXT_SHARE;
}

function charactersRead(result: OcrResult): number {
  let count = 0;
  for (const word of result.words) count += word.t.length;
  return count;
}
