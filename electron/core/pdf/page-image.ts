import { promisify } from 'node:util';
import { deflate } from 'node:zlib';
import sharp, { type Metadata } from 'sharp';
import { MAX_INPUT_PIXELS } from '../capture/image-input';

const deflateAsync = promisify(deflate);

/**
 * How a page goes into the PDF:
 * - `colour`: the page has colour (a red seal, a blue signature): RGB JPEG.
 * - `grey`: continuous tone without colour (photos, grey fills): greyscale JPEG.
 * - `greyText`: text and lines on paper: four grey levels, lossless (Flate). Anti-aliased edges
 *   keep their shape, the paper's grain becomes white, and a dense A4 page at 300 dpi stays
 *   near 130 KB where a JPEG of it needs 300-500 KB.
 * - `bilevel`: the scan is black and white already: one bit per pixel (Flate).
 */
export type PdfImageMode = 'colour' | 'grey' | 'greyText' | 'bilevel';

export interface PdfImage {
  mode: PdfImageMode;
  width: number;
  height: number;
  /** The scan's resolution from its header, when it states a plausible one. */
  dpi: number | null;
  filter: 'DCTDecode' | 'FlateDecode';
  colorSpace: 'DeviceRGB' | 'DeviceGray';
  bitsPerComponent: 1 | 2 | 8;
  /** The XObject's stream, already encoded with `filter`. */
  data: Buffer;
}

/** JPEG quality for colour and continuous-tone pages: seals and photos stay clean when printed. */
export const JPEG_QUALITY = 72;
/** A pixel whose channels differ by more than this (after 4×4 averaging) is coloured. */
const COLOUR_CHROMA = 40;
/** A page is colour when at least this share of its 4×4 blocks is coloured (about 8 mm² at 300 dpi on A4). */
const COLOUR_SHARE = 0.0005;
/** Pixels strictly between these levels are neither ink nor paper. */
const MID_LOW = 48;
const MID_HIGH = 207;
/** A 16×16 block is tonal (a photo, a grey fill) when most of it is mid-grey; text only has mid-grey edges. */
const TONAL_BLOCK_SHARE = 0.5;
/** A page with more tonal blocks than this share is continuous tone and keeps 256 grey levels. */
const TONAL_PAGE_SHARE = 0.01;
/** Below this share of mid-grey pixels a page is treated as already black and white. */
const BILEVEL_MID_SHARE = 0.003;
const MIN_DPI = 50;
const MAX_DPI = 2400;

/**
 * Decodes a stored page (upright, on white where it had transparency), decides how it is best
 * kept in the PDF and encodes it. The pixels keep their count: the page is never resampled.
 */
export async function encodePageImage(bytes: Buffer): Promise<PdfImage> {
  const input = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' as const };
  const meta = await sharp(bytes, input).metadata();
  const dpi = meta.density && meta.density >= MIN_DPI && meta.density <= MAX_DPI ? meta.density : null;
  let pipeline = sharp(bytes, input).autoOrient();
  if (meta.hasAlpha) pipeline = pipeline.flatten({ background: '#ffffff' });
  const colourInput = (meta.channels ?? 1) >= 3 && meta.space !== 'b-w' && meta.space !== 'grey16';

  let grey: Buffer;
  let width: number;
  let height: number;
  if (colourInput) {
    const { data, info } = await pipeline
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    width = info.width;
    height = info.height;
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    if (isColourful(data, width, height)) {
      const whitened = whitenPaper(data, width, height);
      const jpeg = await sharp(whitened, { raw: { width, height, channels: 3 } })
        .jpeg({ quality: JPEG_QUALITY, mozjpeg: true, chromaSubsampling: '4:2:0' })
        .toBuffer();
      const kept = keepOriginalJpeg(bytes, meta, 3, jpeg);
      return {
        mode: 'colour',
        width,
        height,
        dpi,
        filter: 'DCTDecode',
        colorSpace: 'DeviceRGB',
        bitsPerComponent: 8,
        data: kept,
      };
    }
    grey = luminance(data);
  } else {
    const { data, info } = await pipeline
      .toColourspace('b-w')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) throw new Error(`expected 1 channel, got ${info.channels}`);
    width = info.width;
    height = info.height;
    grey = data;
  }

  const histogram = histogramOf(grey);
  const total = grey.length;
  const mid = countBetween(histogram, 1, 254);
  if (mid / total < BILEVEL_MID_SHARE) {
    const data = await deflateAsync(
      packBits(grey, width, height, 1, (v) => (v >= 128 ? 1 : 0)),
      { level: 9 },
    );
    return {
      mode: 'bilevel',
      width,
      height,
      dpi,
      filter: 'FlateDecode',
      colorSpace: 'DeviceGray',
      bitsPerComponent: 1,
      data,
    };
  }

  const levels = paperAndInk(histogram, total);
  const normalized = stretch(grey, levels.ink, levels.paper);
  if (tonalShare(normalized, width, height) <= TONAL_PAGE_SHARE) {
    // Four levels, 0 / 85 / 170 / 255: ink, two edge greys, paper.
    const packed = packBits(normalized, width, height, 2, (v) => Math.min(3, Math.round(v / 85)));
    const data = await deflateAsync(packed, { level: 9 });
    return {
      mode: 'greyText',
      width,
      height,
      dpi,
      filter: 'FlateDecode',
      colorSpace: 'DeviceGray',
      bitsPerComponent: 2,
      data,
    };
  }
  const jpeg = await sharp(grey, { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .jpeg({ quality: JPEG_QUALITY, mozjpeg: true })
    .toBuffer();
  const kept = keepOriginalJpeg(bytes, meta, 1, jpeg);
  return {
    mode: 'grey',
    width,
    height,
    dpi,
    filter: 'DCTDecode',
    colorSpace: 'DeviceGray',
    bitsPerComponent: 8,
    data: kept,
  };
}

/** How a page is kept and counted: colour ink (seals, signatures), continuous grey, or black and white. */
export type ColourMode = 'colour' | 'greyscale' | 'bilevel';

/**
 * The colour mode `encodePageImage` would choose, decided the same way but without encoding:
 * what the postal workload counts pages by (colour, greyscale — `grey` and `greyText` alike — or
 * black and white), at the cost of one decode.
 */
export async function pageColourMode(bytes: Buffer): Promise<ColourMode> {
  const input = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' as const };
  const meta = await sharp(bytes, input).metadata();
  let pipeline = sharp(bytes, input).autoOrient();
  if (meta.hasAlpha) pipeline = pipeline.flatten({ background: '#ffffff' });
  if ((meta.channels ?? 1) >= 3 && meta.space !== 'b-w' && meta.space !== 'grey16') {
    const { data, info } = await pipeline
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return colourModeOfPixels(data, info.width, info.height, 3);
  }
  const { data, info } = await pipeline
    .toColourspace('b-w')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return colourModeOfPixels(data, info.width, info.height, 1);
}

/**
 * The same decision on pixels already decoded (import has the page's raster at hand, so the mode
 * is recorded then at no extra decode): interleaved 8-bit samples, 1–4 channels, alpha ignored.
 */
export function colourModeOfPixels(data: Buffer, width: number, height: number, channels: number): ColourMode {
  if (channels >= 3) {
    const rgb = channels === 3 ? data : Buffer.alloc(width * height * 3);
    if (channels !== 3) {
      for (let p = 0, i = 0, o = 0; p < width * height; p++, i += channels, o += 3) data.copy(rgb, o, i, i + 3);
    }
    return isColourful(rgb, width, height) ? 'colour' : greyMode(rgb, width * height, 3, true);
  }
  return greyMode(data, width * height, channels);
}

/**
 * Bilevel when fewer than BILEVEL_MID_SHARE of the pixels are neither 0 nor 255. Counted in place
 * (every `stride`-th byte), and it stops as soon as the share is reached: on a greyscale scan that
 * is within the first rows.
 */
function greyMode(samples: Uint8Array, pixels: number, stride = 1, rgb = false): 'greyscale' | 'bilevel' {
  // The same test as `mid / pixels < BILEVEL_MID_SHARE`, as the first count that fails it.
  let enough = 0;
  while (enough / pixels < BILEVEL_MID_SHARE) enough++;
  if (enough === 0) return 'greyscale';
  let mid = 0;
  const end = pixels * stride;
  for (let i = 0; i < end; i += stride) {
    const v = rgb ? luma(samples[i]!, samples[i + 1]!, samples[i + 2]!) : samples[i]!;
    // 1..254: (v - 1) wraps 0 to 2^32 - 1, so one unsigned comparison covers both ends.
    if ((v - 1) >>> 0 < 254 && ++mid >= enough) return 'greyscale';
  }
  return 'bilevel';
}

/**
 * A scanner's own JPEG goes in untouched when it is upright, of the right kind and no larger
 * than re-encoding it would be: no second round of compression loss.
 */
function keepOriginalJpeg(original: Buffer, meta: Metadata, channels: 1 | 3, encoded: Buffer): Buffer {
  const upright = (meta.orientation ?? 1) === 1;
  const plain = meta.format === 'jpeg' && meta.channels === channels && !meta.hasAlpha && meta.space !== 'cmyk';
  return upright && plain && original.length <= encoded.length ? original : encoded;
}

function isColourful(rgb: Buffer, width: number, height: number): boolean {
  // 4×4 averages: a scanner's colour fringes on black text are thin and average out; ink does not.
  const bw = Math.floor(width / 4);
  const bh = Math.floor(height / 4);
  const sums = new Uint32Array(bw * 3);
  let coloured = 0;
  for (let by = 0; by < bh; by++) {
    sums.fill(0);
    for (let dy = 0; dy < 4; dy++) {
      let i = (by * 4 + dy) * width * 3;
      for (let bx = 0; bx < bw; bx++) {
        const s = bx * 3;
        for (let dx = 0; dx < 4; dx++, i += 3) {
          sums[s]! += rgb[i]!;
          sums[s + 1]! += rgb[i + 1]!;
          sums[s + 2]! += rgb[i + 2]!;
        }
      }
    }
    for (let bx = 0; bx < bw; bx++) {
      const r = sums[bx * 3]!;
      const g = sums[bx * 3 + 1]!;
      const b = sums[bx * 3 + 2]!;
      if ((Math.max(r, g, b) - Math.min(r, g, b)) / 16 > COLOUR_CHROMA) coloured++;
    }
  }
  return coloured >= Math.max(8, bw * bh * COLOUR_SHARE);
}

/** Paper's grain costs JPEG bytes and shows nothing: near-white neutral pixels become white. */
function whitenPaper(rgb: Buffer, width: number, height: number): Buffer {
  const grey = luminance(rgb);
  const { paper } = paperAndInk(histogramOf(grey), grey.length);
  const out = Buffer.from(rgb);
  for (let p = 0, i = 0; p < width * height; p++, i += 3) {
    const r = out[i]!;
    const g = out[i + 1]!;
    const b = out[i + 2]!;
    if (Math.min(r, g, b) >= paper && Math.max(r, g, b) - Math.min(r, g, b) < 24) {
      out[i] = 255;
      out[i + 1] = 255;
      out[i + 2] = 255;
    }
  }
  return out;
}

/** Rec. 709 luma of sRGB pixels, as a greyscale scan of the same sheet would record it. */
function luminance(rgb: Buffer): Buffer {
  const out = Buffer.allocUnsafe(rgb.length / 3);
  const n = out.length;
  for (let p = 0, i = 0; p < n; p++, i += 3) out[p] = luma(rgb[i]!, rgb[i + 1]!, rgb[i + 2]!);
  return out;
}

function luma(r: number, g: number, b: number): number {
  return (54 * r + 183 * g + 19 * b + 128) >> 8;
}

function histogramOf(grey: Uint8Array): Uint32Array {
  const histogram = new Uint32Array(256);
  // Indexed: a for-of iterator over a few million bytes costs about ten times as much.
  const n = grey.length;
  for (let i = 0; i < n; i++) histogram[grey[i]!]!++;
  return histogram;
}

function countBetween(histogram: Uint32Array, from: number, to: number): number {
  let n = 0;
  for (let v = from; v <= to; v++) n += histogram[v]!;
  return n;
}

function percentile(histogram: Uint32Array, total: number, share: number): number {
  const target = total * share;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v] ?? 0;
    if (seen > target) return v;
  }
  return 255;
}

/**
 * The paper's level (the median less the grain: most of a page is paper) and the ink's (the
 * darkest percent). Everything lighter than `paper` is paper; darker than `ink` is ink.
 */
function paperAndInk(histogram: Uint32Array, total: number): { paper: number; ink: number } {
  const paper = Math.max(128, percentile(histogram, total, 0.5) - 24);
  const ink = Math.min(percentile(histogram, total, 0.01), paper - 96);
  return { paper, ink: Math.max(0, ink) };
}

function stretch(grey: Buffer, ink: number, paper: number): Buffer {
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) {
    lut[v] = v <= ink ? 0 : v >= paper ? 255 : Math.round(((v - ink) * 255) / (paper - ink));
  }
  const out = Buffer.allocUnsafe(grey.length);
  const n = grey.length;
  for (let i = 0; i < n; i++) out[i] = lut[grey[i]!]!;
  return out;
}

/** Share of 16×16 blocks that are mostly mid-grey. */
function tonalShare(grey: Buffer, width: number, height: number): number {
  const size = 16;
  const bw = Math.floor(width / size);
  const bh = Math.floor(height / size);
  if (bw === 0 || bh === 0) return 0;
  const counts = new Uint16Array(bw);
  let tonal = 0;
  for (let by = 0; by < bh; by++) {
    counts.fill(0);
    for (let dy = 0; dy < size; dy++) {
      const row = (by * size + dy) * width;
      for (let x = 0; x < bw * size; x++) {
        const v = grey[row + x]!;
        if (v > MID_LOW && v < MID_HIGH) counts[(x / size) | 0]!++;
      }
    }
    for (const count of counts) if (count > size * size * TONAL_BLOCK_SHARE) tonal++;
  }
  return tonal / (bw * bh);
}

/** Packs 8-bit samples into 1- or 2-bit rows (each row starts on a byte), as PDF image data. */
function packBits(grey: Buffer, width: number, height: number, bits: 1 | 2, level: (v: number) => number): Buffer {
  const perByte = 8 / bits;
  const rowBytes = Math.ceil(width / perByte);
  const out = Buffer.alloc(rowBytes * height);
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = level(v);
  for (let y = 0; y < height; y++) {
    const src = y * width;
    const dst = y * rowBytes;
    for (let x = 0; x < width; x++) {
      const shift = 8 - bits * ((x % perByte) + 1);
      const at = dst + ((x / perByte) | 0);
      out[at]! |= lut[grey[src + x]!]! << shift;
    }
  }
  return out;
}
