/**
 * Finds QR codes on a page image, offline.
 *
 * zxing-wasm (ZXing-C++) reads rotated, blurred and small-module codes best. Its module would
 * fetch its .wasm from a CDN: it is given the bytes shipped in the npm package instead, so
 * nothing is downloaded, ever. jsqr (pure JavaScript) takes over when the WebAssembly module
 * cannot start or fails on an image.
 *
 * Callers get the text; never log it (a CCCD QR holds a citizen's ID, name and address).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import type * as ZxingReaderModule from 'zxing-wasm/reader';
import sharp from 'sharp';
import { MAX_INPUT_PIXELS } from '../capture/image-input';
import { log } from '../log';
import { toPgm } from './pgm';

export type QrDecoder = 'zxing' | 'jsqr';

export interface FoundQr {
  text: string;
  decoder: QrDecoder;
  /** Top-left corner in the page image's pixels (upright), to order codes top to bottom. */
  x: number;
  y: number;
}

/** Grey pixels, one byte each, row after row. */
export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Pages are read at most this large (long side) first: an A4 scan at 200 dpi fits, and a 300 dpi
 * scan, a larger photo or a 600 dpi scan is read smaller.
 */
export const QR_WORKING_SIDE = 2600;
/**
 * A first pass read at under this resolution is read again at full size when nothing was found:
 * an ID card's code has modules of about 0.33 mm, and below it they are under 1.8 px. zxing read
 * 0.34 mm modules on a 300 dpi page reduced to 0.45 (135 dpi), clean, JPEG 75 blurred 0.8 px and
 * JPEG 60 blurred 1.2 px alike. The OCR working copy of a 300 dpi scan in 10-14 pt type is read at
 * 140-195 dpi: every page without a code (most of them) would otherwise be read twice.
 */
export const MIN_FIRST_PASS_DPI = 140;
/**
 * Where the image states no resolution of its own: a page shrunk below this share of its size for
 * the first pass is read again at full size when nothing was found (small modules may not survive
 * a large reduction).
 */
export const FULL_SIZE_RETRY_BELOW = 0.6;
/**
 * A stated resolution under this is a default (72 or 96: cameras, screenshots, editors), not a
 * scanner's measure.
 */
const MIN_STATED_DPI = 100;
/**
 * A decode another step made is read as it is up to this much over the working side: the OCR
 * working copy of a 300 dpi page is often about 2670 px long, and a new decode and reduction of
 * the page (about 0.15 s of CPU) costs far more than reading 3 % more pixels.
 */
const KNOWN_DECODE_SLACK = 1.1;

const require = createRequire(import.meta.url);

type ZxingReader = typeof ZxingReaderModule;
let zxing: Promise<ZxingReader | null> | null = null;

/** The zxing module, started once per process from the package's own .wasm; null if it cannot start. */
function zxingReader(): Promise<ZxingReader | null> {
  zxing ??= (async () => {
    try {
      const reader = await import('zxing-wasm/reader');
      const bytes = await readFile(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
      const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      await reader.prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
      return reader;
    } catch (error) {
      log.warn('qr', 'zxing-wasm could not start; using jsqr', error);
      return null;
    }
  })();
  return zxing;
}

/** Reads every QR code on an encoded page image (JPEG, PNG, TIFF ...), upright as displayed. */
export async function readQrCodes(image: Buffer): Promise<FoundQr[]> {
  const first = await workingCopy(image);
  if (first === null) return [];
  const found = await readGreyQrCodes(first.grey);
  const { scale } = first;
  if (found.length > 0 || !mayHaveLostModules(first)) {
    return found.map((code) => ({ ...code, x: code.x / scale, y: code.y / scale }));
  }
  return readGreyQrCodes(await greyPixels(image, 1));
}

/** Whether a first pass that found nothing read the image too reduced to be sure. */
function mayHaveLostModules(first: WorkingCopy): boolean {
  if (first.scale >= 1) return false;
  return first.dpi !== null ? first.dpi < MIN_FIRST_PASS_DPI : first.scale < FULL_SIZE_RETRY_BELOW;
}

/**
 * A grey decode of the page for the first pass: `scale` is its size over the image's (1, or below
 * 1 for a reduced copy); `dpi` its resolution where the image states one (null where it does not).
 */
interface WorkingCopy {
  grey: GreyImage;
  scale: number;
  dpi: number | null;
}

/** The copy's resolution, from the image's stated one; null where that is missing or a default. */
function copyDpi(statedDpi: number | undefined, scale: number): number | null {
  return statedDpi !== undefined && statedDpi >= MIN_STATED_DPI ? statedDpi * scale : null;
}

/**
 * The grey page the first pass reads: a decode another step already made of it when one is at
 * most about the working size (the OCR working copy of a 300 dpi scan is about 165 dpi), else a
 * new one no larger than the working side. Null for an image without pixels.
 */
async function workingCopy(image: Buffer): Promise<WorkingCopy | null> {
  const known = decodedGrey.get(image);
  if (known && Math.max(known.grey.width, known.grey.height) <= QR_WORKING_SIDE * KNOWN_DECODE_SLACK) return known;
  const meta = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  if (width === 0 || height === 0) return null;
  const scale = Math.min(1, QR_WORKING_SIDE / Math.max(width, height));
  return { grey: await greyPixels(image, scale), scale, dpi: copyDpi(meta.density, scale) };
}

/** Reads QR codes in grey pixels: zxing, or jsqr if zxing is unavailable or fails. */
export async function readGreyQrCodes(grey: GreyImage, decoder?: QrDecoder): Promise<FoundQr[]> {
  const reader = decoder === 'jsqr' ? null : await zxingReader();
  if (reader) {
    try {
      return await readWithZxing(reader, grey);
    } catch (error) {
      if (decoder === 'zxing') throw error;
      log.warn('qr', 'zxing-wasm failed on a page; trying jsqr', error);
    }
  } else if (decoder === 'zxing') {
    throw new Error('zxing-wasm is not available');
  }
  return readWithJsqr(grey);
}

/**
 * Grey decodes another step already made of a page image (the OCR working copy, just before
 * analysis reads the same Buffer's QR codes): a second decode of an A4 page costs as much as the
 * QR reading itself. Held only while the image Buffer lives; page images are never mutated.
 */
const decodedGrey = new WeakMap<Buffer, WorkingCopy>();

/**
 * Offers a decode of `image` for QR reading: upright, one grey channel, from an image without
 * alpha (where flattening changes nothing), maybe contrast-stretched (a code only needs its light
 * and dark); `scale` is its size over the image's (1, or below 1 for a reduced copy), and
 * `statedDpi` the image's own stated resolution, if any.
 */
export function rememberGreyDecode(image: Buffer, grey: GreyImage, scale = 1, statedDpi?: number): void {
  if (scale > 1) throw new RangeError('only the image itself or a reduced copy');
  decodedGrey.set(image, { grey, scale, dpi: copyDpi(statedDpi, scale) });
}

async function greyPixels(image: Buffer, scale: number): Promise<GreyImage> {
  const known = decodedGrey.get(image);
  if (known?.scale === scale) return known.grey;
  let pipeline = sharp(image, { limitInputPixels: MAX_INPUT_PIXELS }).autoOrient();
  if (scale < 1) {
    const meta = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
    const width = meta.autoOrient?.width ?? meta.width ?? 0;
    pipeline = pipeline.resize({ width: Math.max(1, Math.round(width * scale)), kernel: 'lanczos3' });
  }
  // Colour scans: the luminance is what a QR code is printed in.
  const { data, info } = await pipeline
    .flatten({ background: '#ffffff' })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels === 1) return { data, width: info.width, height: info.height };
  const grey = new Uint8Array(info.width * info.height);
  for (let i = 0; i < grey.length; i++) grey[i] = data[i * info.channels] ?? 255;
  return { data: grey, width: info.width, height: info.height };
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** RGBA with equal channels, opaque: the form jsqr takes. One 32-bit store a pixel. */
function toRgba(grey: GreyImage): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(grey.width * grey.height * 4);
  const words = new Uint32Array(rgba.buffer, rgba.byteOffset, grey.width * grey.height);
  const n = Math.min(grey.data.length, words.length);
  const spread = LITTLE_ENDIAN ? 0x010101 : 0x01010100;
  const alpha = LITTLE_ENDIAN ? 0xff000000 : 0xff;
  for (let i = 0; i < n; i++) words[i] = (alpha | (grey.data[i]! * spread)) >>> 0;
  return rgba;
}

async function readWithZxing(reader: ZxingReader, grey: GreyImage): Promise<FoundQr[]> {
  const results = await reader.readBarcodes(
    // An encoded image (not ImageData): one grey byte a pixel. zxing decodes it (stb_image) straight
    // into the luminance it reads, without building and copying four bytes a pixel (16 MB on an A4
    // page) or converting them in WebAssembly. Results were compared equal with the RGBA path on
    // the test scans, codes and positions alike.
    toPgm(grey.data, grey.width, grey.height),
    {
      formats: ['QRCode'],
      // Needed for 2 px modules. QR finder patterns are found at any angle, so rotated retries
      // only cost time; the reduced copy is made here (readQrCodes). Measured on a dense A4 page:
      // 125 ms instead of 394 ms, with every test scan still read (bench/qr.ts).
      tryHarder: true,
      tryRotate: false,
      tryInvert: false,
      tryDownscale: false,
      // CCCD cards encode UTF-8 without an ECI header; the QR default would be Latin-1.
      characterSet: 'UTF8',
      maxNumberOfSymbols: 8,
    },
  );
  return results
    .filter((result) => result.isValid)
    .map((result) => ({
      text: decodeText(result.bytes, result.text),
      decoder: 'zxing' as const,
      x: Math.min(result.position.topLeft.x, result.position.bottomLeft.x),
      y: Math.min(result.position.topLeft.y, result.position.topRight.y),
    }))
    .sort((a, b) => a.y - b.y || a.x - b.x);
}

async function readWithJsqr(grey: GreyImage): Promise<FoundQr[]> {
  // Loaded only when needed: zxing reads every code while it works, and jsqr's 300 KB of
  // JavaScript cost every start about 80 ms of CPU to load.
  const { default: jsQR } = await import('jsqr');
  // jsqr finds one code per image.
  const found = jsQR(toRgba(grey), grey.width, grey.height, { inversionAttempts: 'dontInvert' });
  if (!found) return [];
  return [
    {
      text: decodeText(Uint8Array.from(found.binaryData), found.data),
      decoder: 'jsqr',
      x: Math.min(found.location.topLeftCorner.x, found.location.bottomLeftCorner.x),
      y: Math.min(found.location.topLeftCorner.y, found.location.topRightCorner.y),
    },
  ];
}

/** The code's bytes as UTF-8 when they are valid UTF-8 (CCCD cards), else the reader's own text. */
function decodeText(bytes: Uint8Array, fallback: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).normalize('NFC');
  } catch {
    return fallback.normalize('NFC');
  }
}
