import {
  beginText,
  endText,
  setCharacterSqueeze,
  setFontAndSize,
  setTextMatrix,
  setTextRenderingMode,
  showText,
  TextRenderingMode,
  type PDFHexString,
  type PDFName,
  type PDFOperator,
} from 'pdf-lib';
import type { OcrLine, OcrWord } from '../ocr/pool';

type Box = [number, number, number, number];

export interface LayoutWord {
  text: string;
  /** x0, y0, x1, y1 in page pixels */
  box: Box;
}

/** One line of the text layer: its words in reading order and the baseline they sit on. */
export interface LayoutLine {
  words: LayoutWord[];
  /** two points on the baseline, page pixels */
  baseline: Box;
  /** ascenders to descenders, pixels */
  height: number;
}

/**
 * The lines of a page's text layer. Pages recognized since migration 5 carry tesseract's own
 * lines (with real baselines); older pages only have words, which are grouped here by their
 * boxes: a word starts a new line when it does not overlap the line vertically or jumps back left.
 */
export function layoutLines(words: readonly OcrWord[], lines: readonly OcrLine[] | null): LayoutLine[] {
  if (lines && lines.reduce((n, line) => n + line.n, 0) === words.length) {
    const out: LayoutLine[] = [];
    let next = 0;
    for (const line of lines) {
      const own = words.slice(next, next + line.n);
      next += line.n;
      const kept = toLayoutWords(own);
      if (kept.length > 0) out.push({ words: kept, baseline: line.bl, height: line.h });
    }
    return out;
  }
  return groupWords(toLayoutWords(words));
}

function toLayoutWords(words: readonly OcrWord[]): LayoutWord[] {
  return words
    .map((word) => ({ text: cleanText(word.t), box: word.b }))
    .filter((word) => word.text !== '' && word.box[2] > word.box[0] && word.box[3] > word.box[1]);
}

/** NFC, no control characters, no spaces inside a word (the layer writes its own). */
function cleanText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\s]+/gu, '')
    .trim();
}

function groupWords(words: readonly LayoutWord[]): LayoutLine[] {
  const groups: LayoutWord[][] = [];
  let current: LayoutWord[] = [];
  for (const word of words) {
    const last = current.at(-1);
    if (last) {
      const top = Math.max(...current.map((w) => w.box[1]));
      const bottom = Math.min(...current.map((w) => w.box[3]));
      const overlap = Math.min(bottom, word.box[3]) - Math.max(top, word.box[1]);
      const height = Math.min(bottom - top, word.box[3] - word.box[1]);
      const sameLine = overlap > height * 0.4 && word.box[0] > last.box[0];
      if (!sameLine) {
        groups.push(current);
        current = [];
      }
    }
    current.push(word);
  }
  if (current.length > 0) groups.push(current);
  return groups.map((group) => {
    // Most letters sit on the baseline; descenders (g, p, y) pull a few boxes lower: the median holds.
    const bottoms = group.map((w) => w.box[3]).sort((a, b) => a - b);
    const baseY = bottoms[Math.floor((bottoms.length - 1) / 2)] ?? 0;
    const top = Math.min(...group.map((w) => w.box[1]));
    const bottom = Math.max(...group.map((w) => w.box[3]));
    const x0 = Math.min(...group.map((w) => w.box[0]));
    const x1 = Math.max(...group.map((w) => w.box[2]));
    return { words: group, baseline: [x0, baseY, Math.max(x1, x0 + 1), baseY], height: Math.max(1, bottom - top) };
  });
}

/** What the layer needs from the embedded font. */
export interface LayerFont {
  /** The font's name in the page's resources. */
  resourceName: PDFName;
  encode(text: string): PDFHexString;
  /** Advance width of `text` at size 1, in text space units. */
  widthAt1(text: string): number;
  /** Ascent minus descent, in ems. */
  heightEm: number;
  /** Keeps only characters the font has glyphs for (a .notdef glyph breaks PDF/A). */
  supported(text: string): string;
}

/** Where the page image sits: its height in points and the size of one pixel in points. */
export interface PageGeometry {
  heightPt: number;
  /** points per pixel, horizontally and vertically */
  sx: number;
  sy: number;
}

/**
 * Up to this skew a line's text is laid flat, on the baseline's height under the middle of the
 * line. Poppler (pdftotext, Evince, Okular) rebuilds lines from character positions and breaks
 * words apart on rotated text (tesseract's own PDF renderer, and so ocrmypdf, shows it on a
 * 2.5° page: "Hạ" / "nh phúc"); flat lines copy whole, in order. Beyond it (a page no one
 * straightened) the words follow the slant so a selection still covers them.
 */
const MAX_FLAT_SKEW_DEG = 3;
const MIN_SCALE = 1;
const MAX_SCALE = 1000;

/**
 * The invisible text (rendering mode 3) of one page, word by word on each line's baseline, each
 * word squeezed or stretched (Tz) to cover its box and followed by a space that fills the gap to
 * the next word: a reader's selection then matches the scan, and copying gives spaced words in
 * the order tesseract read them.
 */
export function textLayerOperators(lines: readonly LayoutLine[], font: LayerFont, page: PageGeometry): PDFOperator[] {
  const ops: PDFOperator[] = [];
  const spaceWidth = font.widthAt1(' ');
  for (const line of lines) {
    const [bx0, by0, bx1, by1] = line.baseline;
    const slope = bx1 > bx0 ? (by1 - by0) / (bx1 - bx0) : 0;
    const words = line.words
      .map((word) => ({ ...word, text: font.supported(word.text) }))
      .filter((word) => word.text !== '');
    const first = words[0];
    const last = words.at(-1);
    if (!first || !last) continue;
    // Angle in PDF space, where y points up.
    const slant = Math.atan2(-(by1 - by0) * page.sy, (bx1 - bx0) * page.sx);
    const flat = Math.abs(slant) <= (MAX_FLAT_SKEW_DEG * Math.PI) / 180;
    const angle = flat ? 0 : slant;
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const size = Math.max(1, (line.height * page.sy) / font.heightEm);
    const baseAt = (x: number): number => by0 + slope * (x - bx0);
    const middle = (first.box[0] + last.box[2]) / 2;
    const place = (x: number): PDFOperator =>
      setTextMatrix(
        cos,
        sin,
        -sin,
        cos,
        round(x * page.sx),
        round(page.heightPt - baseAt(flat ? middle : x) * page.sy),
      );
    ops.push(
      beginText(),
      setFontAndSize(font.resourceName, round(size)),
      setTextRenderingMode(TextRenderingMode.Invisible),
    );
    words.forEach((word, index) => {
      const widthPt = ((word.box[2] - word.box[0]) * page.sx) / Math.max(0.2, cos);
      const natural = font.widthAt1(word.text) * size;
      ops.push(place(word.box[0]), setCharacterSqueeze(scale(widthPt, natural)), showText(font.encode(word.text)));
      const next = words[index + 1];
      if (next && spaceWidth > 0) {
        const gapPt = (Math.max(0, next.box[0] - word.box[2]) * page.sx) / Math.max(0.2, cos);
        ops.push(place(word.box[2]), setCharacterSqueeze(scale(gapPt, spaceWidth * size)), showText(font.encode(' ')));
      }
    });
    ops.push(endText());
  }
  return ops;
}

function scale(wanted: number, natural: number): number {
  if (natural <= 0) return 100;
  return round(Math.min(MAX_SCALE, Math.max(MIN_SCALE, (100 * wanted) / natural)));
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
