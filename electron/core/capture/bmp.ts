/**
 * BMP, read in plain JS: sharp's prebuilt libvips has no BMP loader, and some scanner drivers and
 * old capture tools still write it. Uncompressed 1, 4, 8 (palette), 24 and 32-bit images, bottom-up
 * or top-down; RLE-compressed files are refused (no scanner writes them).
 */
import { AppFailure } from '../../../shared/api/errors';

export interface BmpHeader {
  width: number;
  height: number;
  bitsPerPixel: number;
  /** From the pixels-per-metre fields; null when unset. */
  dpi: number | null;
  topDown: boolean;
  dataOffset: number;
  headerSize: number;
  compression: number;
  paletteSize: number;
}

function damaged(): never {
  throw new AppFailure(
    'UNSUPPORTED_FILE',
    'Không đọc được ảnh: tệp bị hỏng hoặc không đầy đủ.',
    'The image cannot be read: the file is damaged or incomplete.',
  );
}

/** Reads the header (the first 54+ bytes): enough to refuse a huge image before decoding it. */
export function readBmpHeader(head: Buffer): BmpHeader {
  if (head.length < 54 || head.toString('latin1', 0, 2) !== 'BM') damaged();
  const headerSize = head.readUInt32LE(14);
  if (headerSize < 40) damaged();
  const width = head.readInt32LE(18);
  const rawHeight = head.readInt32LE(22);
  const bitsPerPixel = head.readUInt16LE(28);
  const compression = head.readUInt32LE(30);
  const ppm = head.readInt32LE(38);
  const colours = head.readUInt32LE(46);
  if (width <= 0 || rawHeight === 0 || ![1, 4, 8, 24, 32].includes(bitsPerPixel)) damaged();
  // 0: BI_RGB; 3: BI_BITFIELDS, accepted for 32-bit pixels in the usual BGRA layout.
  if (compression !== 0 && !(compression === 3 && bitsPerPixel === 32))
    throw new AppFailure(
      'UNSUPPORTED_FILE',
      'Ảnh BMP nén (RLE) chưa được hỗ trợ; hãy quét ra JPEG, PNG, TIFF hoặc PDF.',
      'Compressed (RLE) BMP is not supported; scan to JPEG, PNG, TIFF or PDF.',
    );
  return {
    width,
    height: Math.abs(rawHeight),
    bitsPerPixel,
    dpi: ppm > 0 ? Math.round(ppm * 0.0254) : null,
    topDown: rawHeight < 0,
    dataOffset: head.readUInt32LE(10),
    headerSize,
    compression,
    paletteSize: bitsPerPixel <= 8 ? colours || 1 << bitsPerPixel : 0,
  };
}

/** Decodes to RGB (one grey channel when the palette is grey, as scanners' 1- and 8-bit files are). */
export function decodeBmp(file: Buffer): { data: Buffer; width: number; height: number; channels: 1 | 3 } {
  const header = readBmpHeader(file);
  const { width, height, bitsPerPixel } = header;
  const rowSize = Math.ceil((width * bitsPerPixel) / 32) * 4;
  if (file.length < header.dataOffset + rowSize * height) damaged();
  const paletteAt = 14 + header.headerSize;
  const palette: [number, number, number][] = [];
  for (let i = 0; i < header.paletteSize; i++) {
    const at = paletteAt + i * 4;
    if (at + 3 > file.length) damaged();
    palette.push([file[at + 2]!, file[at + 1]!, file[at]!]);
  }
  const grey = palette.length > 0 && palette.every(([r, g, b]) => r === g && g === b);
  const channels = grey ? 1 : 3;
  const out = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    const row = header.dataOffset + (header.topDown ? y : height - 1 - y) * rowSize;
    for (let x = 0; x < width; x++) {
      let rgb: [number, number, number];
      if (bitsPerPixel >= 24) {
        const at = row + x * (bitsPerPixel / 8);
        rgb = [file[at + 2]!, file[at + 1]!, file[at]!];
      } else {
        const bit = x * bitsPerPixel;
        const byte = file[row + (bit >> 3)]!;
        const index = (byte >> (8 - bitsPerPixel - (bit & 7))) & ((1 << bitsPerPixel) - 1);
        rgb = palette[index] ?? [0, 0, 0];
      }
      const to = (y * width + x) * channels;
      if (channels === 1) out[to] = rgb[0];
      else {
        out[to] = rgb[0];
        out[to + 1] = rgb[1];
        out[to + 2] = rgb[2];
      }
    }
  }
  return { data: out, width, height, channels };
}
