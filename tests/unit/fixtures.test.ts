import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { createWorker } from 'tesseract.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  A4_200DPI,
  PageOverflowError,
  SAMPLE_PAGES,
  characterErrorRate,
  foldDiacritics,
  pngDeclaring,
  renderMultiPageTiff,
  renderTextPage,
  textFileNamedPng,
  truncatedJpeg,
  zeroByteFile,
} from '../fixtures/scans.ts';

const require = createRequire(import.meta.url);

async function greyPixels(img: Buffer, page?: number): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(img, page === undefined ? {} : { page })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

describe('renderTextPage', () => {
  const lines = ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Số định danh cá nhân: 001085012345'];

  it('draws an A4 200 dpi greyscale PNG by default, ink inside the margins', async () => {
    const png = await renderTextPage({ lines });
    const meta = await sharp(png).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 1654, height: 2339, channels: 1, density: 200 });

    const { data, width, height } = await greyPixels(png);
    let minX = width;
    let minY = height;
    let maxY = 0;
    let dark = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if ((data[y * width + x] ?? 255) < 128) {
          dark++;
          minX = Math.min(minX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
      }
    }
    const margin = Math.round((A4_200DPI.dpi * 2) / 2.54);
    expect(dark).toBeGreaterThan(1000);
    expect(minX).toBeGreaterThanOrEqual(margin);
    expect(minY).toBeGreaterThanOrEqual(margin);
    // Two 12 pt lines at 1.5 line height: about 100 px of text, not a blank page nor a poster.
    expect(maxY - minY).toBeGreaterThan(60);
    expect(maxY - minY).toBeLessThan(160);
  });

  it('writes JPEG with a JFIF density when a quality is given, and honours size, dpi and rgb', async () => {
    const jpeg = await renderTextPage({ lines, widthPx: 1240, heightPx: 1754, dpi: 150, jpegQuality: 70, rgb: true });
    expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    // APP0 "JFIF" straight after SOI, density unit 1 (dpi), 150 x 150: what leptonica reads.
    expect(jpeg.subarray(6, 11).toString('latin1')).toBe('JFIF\0');
    expect([jpeg[13], jpeg.readUInt16BE(14), jpeg.readUInt16BE(16)]).toEqual([1, 150, 150]);
    const meta = await sharp(jpeg).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 1240, height: 1754, channels: 3, density: 150 });
  });

  it('is deterministic, and the noise seed changes the bytes', async () => {
    const opts = { lines, widthPx: 1200, heightPx: 800, skewDeg: 1.5, noiseSeed: 42, jpegQuality: 75 };
    const a = await renderTextPage(opts);
    const b = await renderTextPage(opts);
    const c = await renderTextPage({ ...opts, noiseSeed: 43 });
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });

  it('skews the content but keeps the page size, with white corners', async () => {
    const straight = await greyPixels(await renderTextPage({ lines, widthPx: 1200, heightPx: 800 }));
    const skewed = await greyPixels(await renderTextPage({ lines, widthPx: 1200, heightPx: 800, skewDeg: 3 }));
    expect([skewed.width, skewed.height]).toEqual([1200, 800]);
    expect(skewed.data[0]).toBe(255);
    expect(skewed.data[skewed.data.length - 1]).toBe(255);
    expect(skewed.data.equals(straight.data)).toBe(false);
  });

  it('refuses text that does not fit rather than dropping it', async () => {
    const many = Array.from({ length: 80 }, (_, i) => `Dòng số ${i + 1}`);
    await expect(renderTextPage({ lines: many })).rejects.toBeInstanceOf(PageOverflowError);
  });
});

describe('SAMPLE_PAGES', () => {
  it('has unique names, every kind, a dense page, NFC text, and every page fits on A4', async () => {
    const names = SAMPLE_PAGES.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(SAMPLE_PAGES.map((p) => p.kind))).toEqual(new Set(['form', 'letter', 'dense']));
    expect(
      Math.max(...SAMPLE_PAGES.filter((p) => p.kind === 'dense').map((p) => p.lines.length)),
    ).toBeGreaterThanOrEqual(35);
    for (const p of SAMPLE_PAGES) for (const l of p.lines) expect(l).toBe(l.normalize('NFC'));
    const all = SAMPLE_PAGES.flatMap((p) => p.lines).join('\n');
    for (const needle of ['001085012345', '079 1 90 123456', 'Mã thủ tục: 1.001193', '000.00.01.H26-231201-0001']) {
      expect(all).toContain(needle);
    }
    await Promise.all(SAMPLE_PAGES.map((p) => renderTextPage({ lines: p.lines })));
  });
});

describe('renderMultiPageTiff', () => {
  it('writes one page per input, each reading back losslessly; smaller pages are padded white', async () => {
    const p1 = await renderTextPage({ lines: ['Trang 1', 'Đăng ký khai sinh'], widthPx: 600, heightPx: 800 });
    const p2 = await renderTextPage({ lines: ['Trang 2'], widthPx: 600, heightPx: 800, noiseSeed: 3 });
    const p3 = await renderTextPage({ lines: ['Trang 3'], widthPx: 500, heightPx: 700, jpegQuality: 80 });
    const tiff = await renderMultiPageTiff([p1, p2, p3]);

    const meta = await sharp(tiff, { pages: -1 }).metadata();
    expect(meta.format).toBe('tiff');
    expect(meta.pages).toBe(3);
    expect(meta.pageHeight).toBe(800);

    const sources = [p1, p2, p3];
    for (let i = 0; i < 3; i++) {
      const page = await greyPixels(tiff, i);
      expect([page.width, page.height]).toEqual([600, 800]);
      const src = await greyPixels(sources[i] ?? Buffer.alloc(0));
      for (let y = 0; y < src.height; y++) {
        const row = page.data.subarray(y * page.width, y * page.width + src.width);
        expect(row.equals(src.data.subarray(y * src.width, (y + 1) * src.width))).toBe(true);
      }
      if (i === 2) expect(page.data[page.data.length - 1]).toBe(255);
    }
  });
});

describe('bad inputs', () => {
  it('zeroByteFile is empty and refused', () => {
    expect(zeroByteFile().length).toBe(0);
    // sharp refuses an empty buffer in its constructor, synchronously.
    expect(() => sharp(zeroByteFile())).toThrow(/empty/i);
  });

  it('truncatedJpeg starts like a JPEG, lacks its end and fails to decode', async () => {
    const jpeg = await truncatedJpeg();
    expect(jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(jpeg.subarray(-2)).not.toEqual(Buffer.from([0xff, 0xd9]));
    await expect(sharp(jpeg).toBuffer()).rejects.toThrow(/premature end/i);
  });

  it('textFileNamedPng is not an image', async () => {
    expect(textFileNamedPng().toString('utf8')).toContain('không phải là ảnh');
    await expect(sharp(textFileNamedPng()).metadata()).rejects.toThrow(/unsupported image format/i);
  });

  it('pngDeclaring is a small valid PNG whose header claims 50000 x 50000', async () => {
    const png = pngDeclaring();
    expect(png.length).toBeLessThan(1024);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // Every chunk's CRC is right, so a reader gets past the header to the size check.
    for (let off = 8; off < png.length;) {
      const len = png.readUInt32BE(off);
      const crc = png.readUInt32BE(off + 8 + len);
      expect(crc32(png.subarray(off + 4, off + 8 + len))).toBe(crc);
      off += 12 + len;
    }
    const meta = await sharp(png, { limitInputPixels: false }).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 50000, 50000]);
    // sharp's default pixel limit refuses it before decoding anything.
    await expect(sharp(png).metadata()).rejects.toThrow(/pixel limit/i);
    const custom = await sharp(pngDeclaring(3000, 20), { limitInputPixels: false }).metadata();
    expect([custom.width, custom.height]).toEqual([3000, 20]);
  });
});

describe('OCR of a generated page (real tesseract.js)', () => {
  let langPath = '';

  beforeAll(async () => {
    // One local folder with both gzipped best_int models, as the app does: no CDN, no cache writes.
    langPath = await mkdtemp(join(tmpdir(), 'sohoa-lang-'));
    for (const lang of ['vie', 'eng']) {
      const pkg = dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`));
      await copyFile(join(pkg, '4.0.0_best_int', `${lang}.traineddata.gz`), join(langPath, `${lang}.traineddata.gz`));
    }
  });

  afterAll(async () => {
    if (langPath) await rm(langPath, { recursive: true, force: true });
  });

  it('reads a 1.5 degree skewed, noisy JPEG form with its diacritics', async () => {
    const page = SAMPLE_PAGES.find((p) => p.name === 'to-khai-khai-sinh');
    if (!page) throw new Error('sample page missing');
    const jpeg = await renderTextPage({ lines: page.lines, skewDeg: 1.5, noiseSeed: 11, jpegQuality: 75 });

    let workerError: unknown;
    // A failed language load hangs forever (tesseract.js 7): bound it so the test fails instead.
    const worker = await withTimeout(
      createWorker('vie+eng', 1, {
        langPath,
        gzip: true,
        cacheMethod: 'none',
        errorHandler: (e: unknown) => {
          workerError = e;
        },
      }),
      20_000,
      'tesseract.js worker creation',
    );
    try {
      const { data } = await withTimeout(worker.recognize(jpeg), 20_000, 'recognize');
      expect(workerError).toBeUndefined();
      const text = data.text.normalize('NFC');

      // Headings, names, ID and dossier codes come out exactly, diacritics included.
      for (const phrase of [
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
        'Độc lập - Tự do - Hạnh phúc',
        'TỜ KHAI ĐĂNG KÝ KHAI SINH',
        'Nguyễn Văn An',
        'Nguyễn Ngọc Minh Anh',
        'Bệnh viện Từ Dũ',
        '001085012345',
        '1.001193',
        '000.00.01.H26-231201-0001',
      ]) {
        expect(text).toContain(phrase);
      }
      // A skewed, noisy JPEG still has the odd misread: the page as a whole must stay close to the truth.
      expect(characterErrorRate(page.lines.join('\n'), text)).toBeLessThan(0.05);
      expect(foldDiacritics(text)).toContain('Noi sinh: Benh vien Tu Du, Thanh pho Ho Chi Minh');
      expect(data.confidence).toBeGreaterThan(80);
    } finally {
      await worker.terminate();
    }
  }, 60_000);
});

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
