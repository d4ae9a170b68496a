import { createHash } from 'node:crypto';
import sharp, { type OutputInfo } from 'sharp';
import { MAX_INPUT_PIXELS } from '../capture/image-input';
import { letOthersIn } from '../event-loop';
import { toPgm, type PixelRect } from './pgm';
import { rememberGreyDecode } from './qr-reader';

/** A page whose darkest pixel is at most this already has real ink. */
const DARK_INK = 80;
/** Darker than this counts as ink when measuring letters. */
const INK = 128;
/** Four pixels, each with its high bit set: four paper pixels (>= INK) in one 32-bit read. */
const PAPER_QUAD = 0x80808080 | 0;
/** A 16-bit lane gains at most 2 x 255 per quad: 128 quads fit. */
const MAX_QUADS_IN_LANES = 128;
/**
 * The median height of the page's letters (connected ink blobs, diacritics left out) that tesseract
 * reads at, in pixels: about what 10 pt type measures at 200 dpi. Its LSTM reads every text line
 * scaled to a fixed height (36 px for the whole line, marks included) anyway, so a larger image buys
 * no accuracy and costs thresholding and layout analysis time in proportion to its pixels: a 300 dpi
 * scan read as it is costs about 45 % more CPU than the same page at 200 dpi, natively and in
 * WebAssembly alike, for the same text. A smaller one loses strokes. Measured with the fast
 * Vietnamese model on the bench's pages and on JPEG-blurred ones (9-14 pt at 150-300 dpi), against
 * the 22 px read before: 18 px cost 6-10 % less tesseract CPU a page at the same character error
 * rate (0.02 % against 0.05 %, 0.05 % against 0.05 %, 0.17 % against 0.15 %); 16 px cost 9 % less
 * but erred on 0.13 % of the bench's characters, 14 px on 0.29 %. Letters are measured, not the scan's
 * stated dpi: a form in 8 pt at 300 dpi and a letter in 14 pt at 200 dpi need different scales,
 * and many scans state no (or a wrong) dpi.
 */
const TARGET_GLYPH_PX = 18;
/** Ink smaller than this both ways is a speck of dust, not part of the text's box. */
const MIN_MARK_PX = 3;
/**
 * Paper kept around the ink when the working copy is cut to it, in letter heights: marks above the
 * first line are inside it, and tesseract finds text that touches an image's edge less well.
 */
const CROP_MARGIN_GLYPHS = 2;
/** A cut that keeps more of the page than this saves too little to be worth a copy. */
const MAX_CROPPED_SHARE = 0.9;
/** Within this band the page is read as it is (resampling costs time and softens strokes). */
const MIN_GLYPH_PX = 14;
const MAX_GLYPH_PX = 20;
/**
 * The side of a page's print, in cells. At 16 x 16 two people's ID cards of the same template,
 * photographed alike, differed by at most 4 levels in any cell and passed for the same image, so
 * every new card paid a full decode of up to 20 earlier ones (about 0.1 s of CPU for an A4 page)
 * before it was read; at 32 x 32 they differ by 25. The same image decoded twice (PNG and JPEG at quality 75)
 * differs by 1 at either size.
 */
export const PRINT_SIDE = 32;
/** Prints stored before they were 32 x 32. */
const LEGACY_PRINT_SIDE = 16;
/**
 * Two decodings of one scan (a PNG, and the same image rendered from a PDF) differ by a few grey
 * levels of anti-aliasing along edges: about 20 levels at most, measured with MuPDF. A different
 * page, even one digit different on the same form, has pixels that go from paper to ink (200
 * levels): such a page is never taken for the same one.
 */
export const SAME_PAGE_MAX_DIFF = 32;
const PRINT_MAX_DIFF = 8;

/**
 * Whether two thumbnails (`print`) are close enough for the full comparison to be worth it. A page
 * stored with a legacy print is compared with a current one at 16 x 16.
 */
export function printsClose(a: Uint8Array, b: Uint8Array): boolean {
  [a, b] = [comparablePrint(a, b), comparablePrint(b, a)];
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (Math.abs((a[i] ?? 0) - (b[i] ?? 0)) > PRINT_MAX_DIFF) return false;
  return true;
}

/**
 * Prints stored before they were 32 x 32 are 16 x 16 in three equal channels (sharp wrote them as
 * RGB). Against one of those, a current print is halved (each 2 x 2 block averaged) and the old
 * one's first channel taken.
 */
function comparablePrint(print: Uint8Array, other: Uint8Array): Uint8Array {
  const legacyCells = LEGACY_PRINT_SIDE * LEGACY_PRINT_SIDE;
  const isLegacy = (p: Uint8Array): boolean => p.length === 3 * legacyCells;
  if (isLegacy(print) && !isLegacy(other)) {
    const out = new Uint8Array(legacyCells);
    for (let i = 0; i < legacyCells; i++) out[i] = print[3 * i] ?? 0;
    return out;
  }
  if (print.length !== PRINT_SIDE * PRINT_SIDE || !isLegacy(other)) return print;
  const half = PRINT_SIDE / 2;
  const out = new Uint8Array(half * half);
  for (let y = 0; y < half; y++) {
    for (let x = 0; x < half; x++) {
      const i = 2 * y * PRINT_SIDE + 2 * x;
      const sum =
        (print[i] ?? 0) + (print[i + 1] ?? 0) + (print[i + PRINT_SIDE] ?? 0) + (print[i + PRINT_SIDE + 1] ?? 0);
      out[y * half + x] = Math.round(sum / 4);
    }
  }
  return out;
}

/** Whether two decoded pages of the same size are the same image, up to resampling noise. */
export function samePixels(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (Math.abs((a[i] ?? 0) - (b[i] ?? 0)) > SAME_PAGE_MAX_DIFF) return false;
  return true;
}

/**
 * prepareForOcr's decodes, while the image Buffer lives: the steps after OCR on the same page
 * (finding an ID card copied onto it) decode it again otherwise, 0.05-0.15 s of CPU for an A4 page.
 */
const decodedPages = new WeakMap<Buffer, { grey: Buffer; width: number; height: number }>();

/**
 * The stored page decoded as prepareForOcr decodes it (upright, greyscale), to compare pixels or
 * find a card on it. Read-only: it may be prepareForOcr's own decode.
 */
export async function decodeGrey(image: Buffer): Promise<{ grey: Buffer; width: number; height: number }> {
  const known = decodedPages.get(image);
  if (known) return known;
  const { data, info } = await uprightGrey(image);
  return {
    grey: info.channels === 1 ? data : firstChannel(data, info.channels),
    width: info.width,
    height: info.height,
  };
}

export interface OcrInput {
  /**
   * The working copy tesseract reads: binary PGM, one grey byte a pixel. Leptonica reads it with
   * no inflating or checksums, and tesseract gets a grey image at once: an RGB PNG made it
   * threshold every channel, about a quarter more CPU a page for the same text. It holds `crop`
   * of the working copy.
   */
  image: Buffer;
  /** The whole working copy's size (the page at `scale`). */
  width: number;
  height: number;
  /**
   * The part of the working copy in `image`: the ink and a margin of paper. Tesseract's thresholding
   * and layout analysis cost in proportion to the pixels they are given, a third of its time on a
   * 200 dpi page, and a page's margins hold nothing to read. Null: the whole working copy.
   */
  crop: PixelRect | null;
  /** The working copy's resolution (the scan's, times `scale`), when the scan states one; PGM carries none. */
  dpi: number | null;
  /**
   * sha256 of the page's decoded greyscale pixels (and size), before any scaling: the same page
   * image stored as PNG, JPEG-in-PDF losslessly, TIFF ... gives the same key, so it is OCR'd once.
   */
  pixelSha256: string;
  /**
   * The decoded page, greyscale, one byte a pixel (before scaling): to compare with a near twin.
   * Read-only: QR reading may reuse it as its own decode of the same image.
   */
  grey: Buffer;
  /** Mean grey level, rounded: a coarse key to find pages that may be the same image. */
  meanGrey: number;
  /** PRINT_SIDE x PRINT_SIDE thumbnail of the grey page: a finer, still tolerant, comparison. */
  print: Buffer;
  /** Scale applied to the page for OCR (1 when read as it is). */
  scale: number;
  /** Not one letter-sized blob of ink: nothing for OCR to read. */
  blank: boolean;
  /**
   * Letter-sized blobs of ink on the page, diacritics left out: about how many characters there
   * are to read, whichever way the page lies. A reading with far fewer missed the text.
   */
  letters: number;
}

/**
 * The working copy OCR reads: upright, greyscale, contrast stretched only when faded, scaled so
 * its letters have the height tesseract needs. The archived image is never changed. The page is
 * decoded once; the pixel hash, the ink measures and the working copy all come from that decode.
 */
export async function prepareForOcr(image: Buffer): Promise<OcrInput> {
  const { data, info } = await uprightGrey(image);
  const meta = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  const { width, height } = info;
  // sharp may keep an alpha channel: measure and hash the first (grey) channel only.
  const grey = info.channels === 1 ? data : firstChannel(data, info.channels);
  decodedPages.set(image, { grey, width, height });
  const pixelSha256 = createHash('sha256').update(`${width}x${height}:`).update(grey).digest('hex');
  // The hash and the ink scan take 20-30 ms each of the main thread on a 300 dpi page.
  await letOthersIn();
  const { glyph, letters, min, sum, inkBox } = inkScan(grey, width, height);
  const scale = glyph === null ? 1 : ocrScale(glyph);
  // Stretch contrast only on faded scans. On a page that already has black ink, stretching from
  // the light-grey edge of a few letters turns JPEG ringing into speckle that OCR reads as noise.
  const mean = sum / Math.max(1, grey.length); // grey holds width * height bytes: the sum is of all of them
  const faded = min > DARK_INK;
  let working = { data: grey, width, height };
  if (scale !== 1 || faded) {
    let pipeline = sharp(grey, { raw: { width, height, channels: 1 } });
    if (scale !== 1) {
      pipeline = pipeline.resize({
        width: Math.max(1, Math.round(width * scale)),
        kernel: scale > 1 ? 'lanczos3' : 'mitchell',
      });
    }
    if (faded) pipeline = pipeline.normalise();
    const out = await pipeline.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    const data = out.info.channels === 1 ? out.data : firstChannel(out.data, out.info.channels);
    working = { data, width: out.info.width, height: out.info.height };
  }
  // QR reading comes next on the same image: it reads the smaller of the two decodes. With alpha,
  // it flattens onto white first: a different decode.
  if (info.channels === 1 && !meta.hasAlpha) {
    if (scale < 1) rememberGreyDecode(image, working, working.width / width, meta.density);
    else rememberGreyDecode(image, { data: grey, width, height }, 1, meta.density);
  }
  const print = await sharp(grey, { raw: { width, height, channels: 1 } })
    .resize(PRINT_SIDE, PRINT_SIDE, { fit: 'fill', kernel: 'cubic' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  const crop = glyph === null || !inkBox ? null : cropToInk(inkBox, glyph, { width, height }, working);
  return {
    image: toPgm(working.data, working.width, working.height, crop ?? undefined),
    width: working.width,
    height: working.height,
    crop,
    dpi: meta.density && meta.density > 0 ? Math.round(meta.density * scale) : null,
    pixelSha256,
    grey,
    meanGrey: Math.round(mean),
    print,
    scale,
    blank: glyph === null,
    letters,
  };
}

/** The factor that brings the page's median letter height into the band tesseract reads best. */
export function ocrScale(glyphPx: number): number {
  if (glyphPx >= MIN_GLYPH_PX && glyphPx <= MAX_GLYPH_PX) return 1;
  // Upscaling small text helps up to about 3x; past that the scan simply lacks the detail.
  return Math.round(Math.min(3, Math.max(0.25, TARGET_GLYPH_PX / glyphPx)) * 100) / 100;
}

/**
 * The part of the working copy to read: the page's ink box with CROP_MARGIN_GLYPHS letter heights
 * of paper around it, in the working copy's pixels; null when that is most of the page anyway.
 */
function cropToInk(
  ink: InkBox,
  glyph: number,
  page: { width: number; height: number },
  working: { width: number; height: number },
): PixelRect | null {
  const margin = CROP_MARGIN_GLYPHS * glyph;
  const sx = working.width / page.width;
  const sy = working.height / page.height;
  const left = Math.max(0, Math.floor((ink.left - margin) * sx));
  const top = Math.max(0, Math.floor((ink.top - margin) * sy));
  const right = Math.min(working.width, Math.ceil((ink.right + 1 + margin) * sx));
  const bottom = Math.min(working.height, Math.ceil((ink.bottom + 1 + margin) * sy));
  const crop = { left, top, width: right - left, height: bottom - top };
  if (crop.width * crop.height > MAX_CROPPED_SHARE * working.width * working.height) return null;
  return crop;
}

/**
 * The page decoded upright, in grey (with its alpha channel, if it has one). Converted as the last
 * step (`toColourspace`) rather than with `greyscale()`: the same pixels (checked on grey and
 * colour PNG and JPEG, with and without alpha), a fifth less CPU on a 300 dpi grey page (about 50
 * against 64 ms), since nothing else runs in between.
 */
function uprightGrey(image: Buffer): Promise<{ data: Buffer; info: OutputInfo }> {
  return sharp(image, { limitInputPixels: MAX_INPUT_PIXELS })
    .autoOrient()
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
}

function firstChannel(data: Buffer, channels: number): Buffer {
  const out = Buffer.allocUnsafe(data.length / channels);
  for (let i = 0, j = 0; j < out.length; i += channels, j++) out[j] = data[i] ?? 255;
  return out;
}

/**
 * The median height of the letter-sized ink blobs on the page, or null when there are none. Blobs
 * come from one pass over the rows' dark runs with union-find (8-connected); specks (diacritics,
 * noise) and big shapes (rules, photos, seals) are left out. About 10 ms on an A4 page: typed
 * arrays only, so an A4 page's few hundred thousand runs make no garbage for the collector.
 */
export function medianGlyphHeight(grey: Uint8Array, width: number, height: number): number | null {
  return inkScan(grey, width, height).glyph;
}

/** A box on the page, edges included, in pixels. */
interface InkBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * The median letter height and the number of letters, with the page's darkest level, the sum of its
 * levels and the box around its ink (specks of dust left out) from the same pass over the pixels
 * (`grey` holds width * height of them).
 */
function inkScan(
  grey: Uint8Array,
  width: number,
  height: number,
): { glyph: number | null; letters: number; min: number; sum: number; inkBox: InkBox | null } {
  const pixels = width * height;
  if (grey.length < pixels) {
    // Missing pixels are paper.
    const padded = new Uint8Array(pixels).fill(255);
    padded.set(grey);
    grey = padded;
  }
  // Four pixels at a time where all four are paper (most of a page): a pixel is paper (>= INK,
  // 128) exactly when its high bit is set. The view needs the pixels 4-byte aligned.
  if (grey.byteOffset % 4 !== 0) grey = new Uint8Array(grey); // a copy (a Buffer's slice is a view)
  const quads = new Int32Array(grey.buffer, grey.byteOffset, pixels >> 2);
  // Per label: parent, top, bottom, left, right.
  let blobs = new Int32Array(5 * 4096);
  let labels = 0;
  // Runs of the previous and the current row: start, end (inclusive), label.
  let previous = new Int32Array(3 * (Math.ceil(width / 2) + 1));
  let current = new Int32Array(previous.length);
  let previousLength = 0;
  let sum = 0;
  // The darkest ink pixel; on a page without ink, found by a second pass below.
  let min = 255;
  for (let y = 0; y < height; y++) {
    let currentLength = 0;
    const row = y * width;
    let p = 0;
    // Two 16-bit lanes, each the sum of two bytes per quad: flushed before they can overflow.
    let lanes = 0;
    let quadsInLanes = 0;
    for (let x = 0; x < width; x++) {
      if (((row + x) & 3) === 0) {
        while (x + 4 <= width) {
          const quad = quads[(row + x) >> 2]!;
          if ((quad & PAPER_QUAD) !== PAPER_QUAD) break;
          lanes += (quad & 0xff00ff) + ((quad >>> 8) & 0xff00ff);
          x += 4;
          if (++quadsInLanes === MAX_QUADS_IN_LANES) {
            sum += (lanes & 0xffff) + (lanes >>> 16);
            lanes = 0;
            quadsInLanes = 0;
          }
        }
        if (x >= width) break;
      }
      const level = grey[row + x]!;
      sum += level;
      if (level >= INK) continue;
      if (level < min) min = level;
      const start = x;
      while (x + 1 < width) {
        const next = grey[row + x + 1]!;
        if (next >= INK) break;
        sum += next;
        if (next < min) min = next;
        x++;
      }
      if (5 * labels === blobs.length) {
        const grown = new Int32Array(blobs.length * 2);
        grown.set(blobs);
        blobs = grown;
      }
      const label = labels++;
      const at = 5 * label;
      blobs[at] = label;
      blobs[at + 1] = y;
      blobs[at + 2] = y;
      blobs[at + 3] = start;
      blobs[at + 4] = x;
      // Join every run of the row above that touches this one, diagonals included.
      while (p < previousLength && previous[p + 1]! < start - 1) p += 3;
      for (let q = p; q < previousLength && previous[q]! <= x + 1; q += 3) union(blobs, previous[q + 2]!, label);
      current[currentLength++] = start;
      current[currentLength++] = x;
      current[currentLength++] = label;
    }
    sum += (lanes & 0xffff) + (lanes >>> 16);
    const swap = previous;
    previous = current;
    current = swap;
    previousLength = currentLength;
  }
  const heights = new Int32Array(labels);
  let count = 0;
  const box = { left: width, top: height, right: -1, bottom: -1 };
  for (let label = 0; label < labels; label++) {
    const at = 5 * label;
    if (blobs[at] !== label) continue;
    const h = blobs[at + 2]! - blobs[at + 1]! + 1;
    const w = blobs[at + 4]! - blobs[at + 3]! + 1;
    if (h >= MIN_MARK_PX || w >= MIN_MARK_PX) {
      box.left = Math.min(box.left, blobs[at + 3]!);
      box.top = Math.min(box.top, blobs[at + 1]!);
      box.right = Math.max(box.right, blobs[at + 4]!);
      box.bottom = Math.max(box.bottom, blobs[at + 2]!);
    }
    // Letters: not specks, not rules or boxes, not photos.
    if (h < 5 || h > 300 || w > 4 * h || h > 6 * w + 20) continue;
    heights[count++] = h;
  }
  if (min >= INK) for (let i = 0; i < pixels; i++) if (grey[i]! < min) min = grey[i]!;
  return { ...letterHeights(heights.subarray(0, count)), min, sum, inkBox: box.right < 0 ? null : box };
}

/**
 * The median height and the count of the blobs that are letters, not diacritics. Vietnamese marks
 * are separate blobs about a third of a letter's height: below about 250 dpi most fall under the
 * speck limit, above it they count, and the plain median would drop by a fifth just as the page's
 * resolution rises. Blobs under half the upper quartile's height (marks, dots, commas) are left out.
 */
function letterHeights(heights: Int32Array): { glyph: number | null; letters: number } {
  if (heights.length === 0) return { glyph: null, letters: 0 };
  heights.sort();
  const floor = heights[Math.floor((heights.length * 3) / 4)]! / 2;
  let first = 0;
  while (heights[first]! < floor) first++;
  return { glyph: heights[first + Math.floor((heights.length - first) / 2)]!, letters: heights.length - first };
}

/** The root of a label, compressing the path on the way (labels in `blobs`, 5 entries each). */
function findRoot(blobs: Int32Array, label: number): number {
  let root = label;
  while (blobs[5 * root] !== root) root = blobs[5 * root]!;
  while (blobs[5 * label] !== root) {
    const next = blobs[5 * label]!;
    blobs[5 * label] = root;
    label = next;
  }
  return root;
}

/** Joins b's blob into a's: b's root then points at a's root, which takes the union of their boxes. */
function union(blobs: Int32Array, a: number, b: number): void {
  const ra = findRoot(blobs, a);
  const rb = findRoot(blobs, b);
  if (ra === rb) return;
  const at = 5 * ra;
  const bt = 5 * rb;
  blobs[bt] = ra;
  blobs[at + 1] = Math.min(blobs[at + 1]!, blobs[bt + 1]!);
  blobs[at + 2] = Math.max(blobs[at + 2]!, blobs[bt + 2]!);
  blobs[at + 3] = Math.min(blobs[at + 3]!, blobs[bt + 3]!);
  blobs[at + 4] = Math.max(blobs[at + 4]!, blobs[bt + 4]!);
}
