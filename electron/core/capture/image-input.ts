import { open, stat } from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';
import { AppFailure } from '../../../shared/api/errors';

/** Larger than an A3 page at 600 dpi; anything bigger is refused before it is decoded. */
export const MAX_INPUT_PIXELS = 120_000_000;
const THUMB_WIDTH = 240;

export type ImageFormat = 'jpeg' | 'png' | 'tiff' | 'webp' | 'bmp';

export interface DecodedPage {
  pageNo: number;
  image: Buffer;
  mime: string;
  width: number;
  height: number;
  thumb: Buffer;
}

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

/** Checks that a file can be imported at all, before anything is stored. */
export async function checkImageFile(file: string): Promise<{ format: ImageFormat; pages: number }> {
  const info = await stat(file);
  if (info.size === 0) refuse('Tệp rỗng (0 byte), không có trang nào để nhập.', 'The file is empty (0 bytes).');
  const format = await sniffFormat(file);
  if (format === 'pdf')
    refuse(
      'Chưa hỗ trợ nhập tệp PDF ở phiên bản này; hãy quét ra JPEG, PNG hoặc TIFF.',
      'PDF import is not supported yet.',
    );
  if (format === null)
    refuse(
      'Tệp không phải là ảnh quét được hỗ trợ (JPEG, PNG, TIFF, WebP, BMP), dù tên tệp có thể gợi ý khác.',
      'The file is not a supported image (JPEG, PNG, TIFF, WebP, BMP), whatever its name says.',
    );
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
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width * height > MAX_INPUT_PIXELS)
    refuse(
      `Ảnh quá lớn (${width}×${height} điểm ảnh); tối đa ${MAX_INPUT_PIXELS / 1_000_000} triệu điểm ảnh mỗi trang.`,
      `The image is too large (${width}×${height} pixels); at most ${MAX_INPUT_PIXELS / 1_000_000} megapixels a page.`,
    );
  if (width === 0 || height === 0) refuse('Ảnh không có kích thước hợp lệ.', 'The image has no valid size.');
  return { format, pages: Math.max(1, meta.pages ?? 1) };
}

/**
 * Decodes one page fully (so a truncated file fails here, not later in OCR) and returns the image
 * to archive plus a thumbnail. A single-page JPEG or PNG is archived byte for byte as scanned;
 * the pages of a multi-page file are stored as lossless PNG.
 */
export async function decodePage(
  file: string,
  format: ImageFormat,
  pageIndex: number,
  pageCount: number,
  originalBytes: () => Promise<Buffer>,
): Promise<DecodedPage> {
  const options = { limitInputPixels: MAX_INPUT_PIXELS, page: pageIndex, failOn: 'error' as const };
  try {
    const { data, info } = await sharp(file, options).autoOrient().raw().toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
    const thumb = await sharp(data, raw)
      .resize({ width: THUMB_WIDTH, withoutEnlargement: true })
      .jpeg({ quality: 75, mozjpeg: false })
      .toBuffer();
    const keepOriginal = pageCount === 1 && (format === 'jpeg' || format === 'png');
    const image = keepOriginal ? await originalBytes() : await sharp(data, raw).png({ compressionLevel: 6 }).toBuffer();
    const mime = keepOriginal && format === 'jpeg' ? 'image/jpeg' : 'image/png';
    return { pageNo: pageIndex + 1, image, mime, width: info.width, height: info.height, thumb };
  } catch (error) {
    if (error instanceof AppFailure) throw error;
    refuse(
      `Không giải mã được trang ${pageIndex + 1}: tệp ảnh bị hỏng hoặc bị cắt cụt.`,
      `Page ${pageIndex + 1} cannot be decoded: the image is damaged or truncated.`,
    );
  }
}
