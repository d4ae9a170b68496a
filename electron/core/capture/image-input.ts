import { open, readFile, stat } from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';
import { AppFailure } from '../../../shared/api/errors';
import { decodeBmp, readBmpHeader } from './bmp';

/** Larger than an A3 page at 600 dpi; anything bigger is refused before it is decoded. */
export const MAX_INPUT_PIXELS = 120_000_000;

export type ImageFormat = 'jpeg' | 'png' | 'tiff' | 'webp' | 'bmp';

/** Recognises the file by its first bytes, never by its name. */
export async function sniffFormat(file: string): Promise<ImageFormat | 'pdf' | null> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(16);
    const { bytesRead } = await handle.read(head, 0, 16, 0);
    const b = head.subarray(0, bytesRead);
    if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
    if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
      return 'png';
    if (
      b.length >= 4 &&
      (b.subarray(0, 4).equals(Buffer.from('II*\0', 'latin1')) ||
        b.subarray(0, 4).equals(Buffer.from('MM\0*', 'latin1')))
    )
      return 'tiff';
    if (
      b.length >= 12 &&
      b.subarray(0, 4).toString('latin1') === 'RIFF' &&
      b.subarray(8, 12).toString('latin1') === 'WEBP'
    )
      return 'webp';
    if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
    if (b.length >= 5 && b.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
    return null;
  } finally {
    await handle.close();
  }
}

function refuse(message: string, messageEn: string): never {
  throw new AppFailure('UNSUPPORTED_FILE', message, messageEn);
}

/** What the header says, read before any pixel is decoded. */
export interface ImageInfo {
  width: number;
  height: number;
  pages: number;
  /** 1-2: greyscale (with alpha); 3-4: colour. */
  channels: number;
  grey: boolean;
  /** Dots per inch, when the file says. */
  density: number | null;
  /** EXIF orientation (1-8), when the file has one. */
  orientation: number | undefined;
}

/** Checks that an image file can be imported at all, before anything is stored (PDFs: pdf-input). */
export async function checkImageFile(file: string): Promise<{ format: ImageFormat; pages: number; meta: ImageInfo }> {
  const { size } = await stat(file);
  if (size === 0) refuse('Tệp rỗng (0 byte), không có trang nào để nhập.', 'The file is empty (0 bytes).');
  const format = await sniffFormat(file);
  if (format === 'pdf') throw new Error('checkImageFile: PDFs are opened by pdf-input');
  if (format === null)
    refuse(
      'Tệp không phải là ảnh quét hay tệp PDF được hỗ trợ (JPEG, PNG, TIFF, WebP, BMP, PDF), dù tên tệp có thể gợi ý khác.',
      'The file is not a supported scan (JPEG, PNG, TIFF, WebP, BMP, PDF), whatever its name says.',
    );
  if (format === 'bmp') return { format, pages: 1, meta: checked(await bmpInfo(file)) };
  let meta: Metadata;
  try {
    // Header only: reading the declared size of a decompression bomb is safe, and lets the clerk
    // be told "too large" rather than "damaged". Decoding below keeps the pixel limit.
    meta = await sharp(file, { limitInputPixels: false }).metadata();
  } catch {
    refuse(
      'Không đọc được ảnh: tệp bị hỏng hoặc không đầy đủ.',
      'The image cannot be read: the file is damaged or incomplete.',
    );
  }
  const info: ImageInfo = {
    width: meta.width ?? 0,
    height: meta.height ?? 0,
    pages: Math.max(1, meta.pages ?? 1),
    channels: meta.channels ?? 3,
    grey: (meta.channels ?? 3) <= 2 || meta.space === 'b-w',
    density: meta.density && meta.density > 0 ? meta.density : null,
    orientation: meta.orientation,
  };
  return { format, pages: info.pages, meta: checked(info) };
}

async function bmpInfo(file: string): Promise<ImageInfo> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(138);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const header = readBmpHeader(head.subarray(0, bytesRead));
    return {
      width: header.width,
      height: header.height,
      pages: 1,
      channels: header.bitsPerPixel <= 8 ? 1 : 3,
      grey: false,
      density: header.dpi,
      orientation: undefined,
    };
  } finally {
    await handle.close();
  }
}

/** Refuses a size that cannot be a page (too large to decode safely, or empty). */
function checked(info: ImageInfo): ImageInfo {
  const { width, height } = info;
  if (width * height > MAX_INPUT_PIXELS)
    refuse(
      `Ảnh quá lớn (${width}×${height} điểm ảnh); tối đa ${MAX_INPUT_PIXELS / 1_000_000} triệu điểm ảnh mỗi trang.`,
      `The image is too large (${width}×${height} pixels); at most ${MAX_INPUT_PIXELS / 1_000_000} megapixels a page.`,
    );
  if (width === 0 || height === 0) refuse('Ảnh không có kích thước hợp lệ.', 'The image has no valid size.');
  return info;
}

/**
 * Decodes one page fully (so a truncated file fails here, not later in OCR), turned upright as its
 * EXIF orientation says (phone photos), alpha flattened onto white, greyscale kept as one channel.
 */
export async function decodeImagePage(
  file: string,
  format: ImageFormat,
  pageIndex: number,
  meta: ImageInfo,
): Promise<{ data: Buffer; width: number; height: number; channels: 1 | 3 }> {
  if (format === 'bmp') return decodeBmp(await readFile(file));
  const options = { limitInputPixels: MAX_INPUT_PIXELS, page: pageIndex, failOn: 'error' as const };
  try {
    let pipeline = sharp(file, options).autoOrient().flatten({ background: '#ffffff' });
    pipeline = meta.grey ? pipeline.toColourspace('b-w') : pipeline.toColourspace('srgb');
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels === 1 ? 1 : 3 };
  } catch (error) {
    if (error instanceof AppFailure) throw error;
    refuse(
      `Không giải mã được trang ${pageIndex + 1}: tệp ảnh bị hỏng hoặc bị cắt cụt.`,
      `Page ${pageIndex + 1} cannot be decoded: the image is damaged or truncated.`,
    );
  }
}

/** Clockwise degrees an EXIF orientation asks for (mirrored variants count by their turn). */
export function exifRotation(orientation: number | undefined): 0 | 90 | 180 | 270 {
  switch (orientation) {
    case 3:
    case 4:
      return 180;
    case 5:
    case 6:
      return 90;
    case 7:
    case 8:
      return 270;
    default:
      return 0;
  }
}
