import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { MAX_INPUT_PIXELS } from '../capture/image-input';

/** A page whose darkest pixel is at most this already has real ink. */
const DARK_INK = 80;
/** Darker than this counts as ink when measuring letters. */
const INK = 128;
/**
 * The median height of the page's letters (connected ink blobs) that tesseract reads best at, in
 * pixels. Its LSTM reads every text line scaled to a fixed height anyway, so a larger image buys no
 * accuracy and costs thresholding and layout analysis time in proportion to its pixels; a smaller
 * one loses strokes. Letters are measured, not the scan's stated dpi: a form in 8 pt at 300 dpi and
 * a letter in 14 pt at 200 dpi need different scales, and many scans state no (or a wrong) dpi.
 */
const TARGET_GLYPH_PX = 24;
/** Within this band the page is read as it is (resampling costs time and softens strokes). */
const MIN_GLYPH_PX = 14;
const MAX_GLYPH_PX = 44;
export const PRINT_SIDE = 16;
/**
 * Two decodings of one scan (a PNG, and the same image rendered from a PDF) differ by a few grey
 * levels of anti-aliasing along edges: about 20 levels at most, measured with MuPDF. A different
 * page, even one digit different on the same form, has pixels that go from paper to ink (200
 * levels): such a page is never taken for the same one.
 */
export const SAME_PAGE_MAX_DIFF = 32;
const PRINT_MAX_DIFF = 8;

/** Whether two thumbnails (`print`) are close enough for the full comparison to be worth it. */
export function printsClose(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (Math.abs((a[i] ?? 0) - (b[i] ?? 0)) > PRINT_MAX_DIFF) return false;
  return true;
}

/** Whether two decoded pages of the same size are the same image, up to resampling noise. */
export function samePixels(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (Math.abs((a[i] ?? 0) - (b[i] ?? 0)) > SAME_PAGE_MAX_DIFF) return false;
  return true;
}

/** The stored page decoded as prepareForOcr decodes it (upright, greyscale), to compare pixels. */
export async function decodeGrey(image: Buffer): Promise<{ grey: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS })
    .autoOrient()
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    grey: info.channels === 1 ? data : firstChannel(data, info.channels),
    width: info.width,
    height: info.height,
  };
}

export interface OcrInput {
  /** The working copy tesseract reads (PNG, greyscale). */
  image: Buffer;
  width: number;
  height: number;
  /**
   * sha256 of the page's decoded greyscale pixels (and size), before any scaling: the same page
   * image stored as PNG, JPEG-in-PDF losslessly, TIFF ... gives the same key, so it is OCR'd once.
   */
  pixelSha256: string;
  /** The decoded page, greyscale, one byte a pixel (before scaling): to compare with a near twin. */
  grey: Buffer;
  /** Mean grey level, rounded: a coarse key to find pages that may be the same image. */
  meanGrey: number;
  /** 16 x 16 area-averaged thumbnail of the grey page: a finer, still tolerant, comparison. */
  print: Buffer;
  /** Scale applied to the page for OCR (1 when read as it is). */
  scale: number;
  /** Not one letter-sized blob of ink: nothing for OCR to read. */
  blank: boolean;
}

/**
 * The working copy OCR reads: upright, greyscale, contrast stretched only when faded, scaled so
 * its letters have the height tesseract needs. The archived image is never changed. The page is
 * decoded once; the pixel hash, the ink measures and the working copy all come from that decode.
 */
export async function prepareForOcr(image: Buffer): Promise<OcrInput> {
  const { data, info } = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS })
    .autoOrient()
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const meta = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  const { width, height } = info;
  // sharp may keep an alpha channel: measure and hash the first (grey) channel only.
  const grey = info.channels === 1 ? data : firstChannel(data, info.channels);
  const pixelSha256 = createHash('sha256').update(`${width}x${height}:`).update(grey).digest('hex');
  const glyph = medianGlyphHeight(grey, width, height);
  const scale = glyph === null ? 1 : ocrScale(glyph);
  let pipeline = sharp(grey, { raw: { width, height, channels: 1 } });
  if (scale !== 1) {
    pipeline = pipeline.resize({
      width: Math.max(1, Math.round(width * scale)),
      kernel: scale > 1 ? 'lanczos3' : 'mitchell',
    });
  }
  // Stretch contrast only on faded scans. On a page that already has black ink, stretching from
  // the light-grey edge of a few letters turns JPEG ringing into speckle that OCR reads as noise.
  const { min, mean } = greyStats(grey);
  if (min > DARK_INK) pipeline = pipeline.normalise();
  const density = meta.density && meta.density > 0 ? Math.round(meta.density * scale) : undefined;
  if (density) pipeline = pipeline.withMetadata({ density });
  // Compression 0: the worker decodes it at once, and zlib would cost more than it saves.
  const out = await pipeline.png({ compressionLevel: 0 }).toBuffer({ resolveWithObject: true });
  const print = await sharp(grey, { raw: { width, height, channels: 1 } })
    .resize(PRINT_SIDE, PRINT_SIDE, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer();
  return {
    image: out.data,
    width: out.info.width,
    height: out.info.height,
    pixelSha256,
    grey,
    meanGrey: Math.round(mean),
    print,
    scale,
    blank: glyph === null,
  };
}

/** The factor that brings the page's median letter height into the band tesseract reads best. */
export function ocrScale(glyphPx: number): number {
  if (glyphPx >= MIN_GLYPH_PX && glyphPx <= MAX_GLYPH_PX) return 1;
  // Upscaling small text helps up to about 3x; past that the scan simply lacks the detail.
  return Math.round(Math.min(3, Math.max(0.25, TARGET_GLYPH_PX / glyphPx)) * 100) / 100;
}

function firstChannel(data: Buffer, channels: number): Buffer {
  const out = Buffer.allocUnsafe(data.length / channels);
  for (let i = 0, j = 0; j < out.length; i += channels, j++) out[j] = data[i] ?? 255;
  return out;
}

/** Darkest level and mean level, in one indexed pass (an iterator over 4 M bytes costs ~10x). */
function greyStats(grey: Buffer): { min: number; mean: number } {
  let min = 255;
  let sum = 0;
  const n = grey.length;
  for (let i = 0; i < n; i++) {
    const v = grey[i] as number;
    sum += v;
    if (v < min) min = v;
  }
  return { min, mean: sum / Math.max(1, n) };
}

/**
 * The median height of the letter-sized ink blobs on the page, or null when there are none. Blobs
 * come from one pass over the rows' dark runs with union-find (8-connected); specks (diacritics,
 * noise) and big shapes (rules, photos, seals) are left out. A few tens of ms on an A4 page.
 */
export function medianGlyphHeight(grey: Uint8Array, width: number, height: number): number | null {
  const parent: number[] = [];
  const top: number[] = [];
  const bottom: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const find = (a: number): number => {
    let root = a;
    while (parent[root] !== root) root = parent[root] ?? root;
    while (parent[a] !== root) {
      const next = parent[a] ?? root;
      parent[a] = root;
      a = next;
    }
    return root;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    parent[rb] = ra;
    top[ra] = Math.min(top[ra] ?? 0, top[rb] ?? 0);
    bottom[ra] = Math.max(bottom[ra] ?? 0, bottom[rb] ?? 0);
    left[ra] = Math.min(left[ra] ?? 0, left[rb] ?? 0);
    right[ra] = Math.max(right[ra] ?? 0, right[rb] ?? 0);
  };
  // Runs of the previous row: start, end (inclusive), label.
  let previous: number[] = [];
  for (let y = 0; y < height; y++) {
    const current: number[] = [];
    const row = y * width;
    let p = 0;
    for (let x = 0; x < width; x++) {
      if ((grey[row + x] ?? 255) >= INK) continue;
      const start = x;
      while (x + 1 < width && (grey[row + x + 1] ?? 255) < INK) x++;
      const label = parent.length;
      parent.push(label);
      top.push(y);
      bottom.push(y);
      left.push(start);
      right.push(x);
      // Join every run of the row above that touches this one, diagonals included.
      while (p < previous.length && (previous[p + 1] ?? 0) < start - 1) p += 3;
      for (let q = p; q < previous.length && (previous[q] ?? 0) <= x + 1; q += 3)
        union(previous[q + 2] ?? label, label);
      current.push(start, x, label);
    }
    previous = current;
  }
  const heights: number[] = [];
  for (let label = 0; label < parent.length; label++) {
    if (parent[label] !== label) continue;
    const h = (bottom[label] ?? 0) - (top[label] ?? 0) + 1;
    const w = (right[label] ?? 0) - (left[label] ?? 0) + 1;
    // Letters: not specks, not rules or boxes, not photos.
    if (h < 5 || h > 300 || w > 4 * h || h > 6 * w + 20) continue;
    heights.push(h);
  }
  if (heights.length === 0) return null;
  heights.sort((a, b) => a - b);
  return heights[Math.floor(heights.length / 2)] ?? null;
}
