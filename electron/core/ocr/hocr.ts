import type { OcrLine, OcrWord } from './pool';

/**
 * Words and lines from tesseract's hOCR. tesseract writes hOCR in C++ inside the worker, while
 * tesseract.js builds its `blocks` tree by walking the result iterator from JavaScript, one call
 * per symbol: on a dense page that walk cost about a sixth of the recognition time. hOCR carries
 * everything kept here (word boxes and confidences, line boxes, baselines, row heights).
 */
export function wordsAndLinesFromHocr(hocr: string): { words: OcrWord[]; lines: OcrLine[] } {
  const words: OcrWord[] = [];
  const lines: OcrLine[] = [];
  // Every span is a line or a word; tesseract never nests anything else inside a line.
  const span =
    /<span class='(ocr_line|ocr_header|ocr_caption|ocr_textfloat|ocrx_word)'[^>]*?title=(["'])(.*?)\2[^>]*>/gu;
  let line: OcrLine | null = null;
  for (let match = span.exec(hocr); match !== null; match = span.exec(hocr)) {
    const kind = match[1];
    const title = match[3] ?? '';
    const box = bbox(title);
    if (!box) continue;
    if (kind !== 'ocrx_word') {
      line = toLine(box, title);
      lines.push(line);
      continue;
    }
    const end = hocr.indexOf('</span>', span.lastIndex);
    const text = decodeEntities(hocr.slice(span.lastIndex, end < 0 ? undefined : end).replace(/<[^>]*>/gu, ''));
    if (text.trim() === '') continue;
    const confidence = Number(/x_wconf (-?\d+(?:\.\d+)?)/u.exec(title)?.[1]);
    words.push({ t: text.normalize('NFC'), c: Number.isFinite(confidence) ? Math.round(confidence) : 0, b: box });
    if (line) line.n++;
  }
  return { words, lines: lines.filter((l) => l.n > 0) };
}

function bbox(title: string): [number, number, number, number] | null {
  const m = /bbox (\d+) (\d+) (\d+) (\d+)/u.exec(title);
  if (!m) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
}

function toLine(b: [number, number, number, number], title: string): OcrLine {
  const [x0, , x1, y1] = b;
  // hOCR's baseline is "slope offset", relative to the box's bottom-left corner.
  const base = /baseline (-?[\d.]+) (-?[\d.]+)/u.exec(title);
  const slope = Number(base?.[1]);
  const offset = Number(base?.[2]);
  const bl: OcrLine['bl'] =
    Number.isFinite(slope) && Number.isFinite(offset) && x1 > x0
      ? [x0, round1(y1 + offset), x1, round1(y1 + offset + slope * (x1 - x0))]
      : [x0, y1, x1, y1];
  const size = Number(/x_size ([\d.]+)/u.exec(title)?.[1]);
  const descenders = Math.abs(Number(/x_descenders (-?[\d.]+)/u.exec(title)?.[1]));
  return {
    b,
    bl,
    h: Number.isFinite(size) && size > 0 ? round1(size) : b[3] - b[1],
    d: Number.isFinite(descenders) ? round1(descenders) : 0,
    n: 0,
  };
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/giu, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}
