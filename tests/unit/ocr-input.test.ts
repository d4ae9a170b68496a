/**
 * The working copy tesseract reads (real sharp): one grey byte a pixel in a binary PGM, with the
 * scan's resolution carried beside it (PGM has none), scaled when the letters are too small.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeGrey, medianGlyphHeight, prepareForOcr, printsClose } from '../../electron/core/imaging/ocr-input';
import { CARD_FRONT_LINES, renderIdCardPage } from '../fixtures/id-card-pages';
import { a4AtDpi, renderTextPage, SAMPLE_PAGES } from '../fixtures/scans';

const lines = SAMPLE_PAGES[0]?.lines ?? ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'];

function pgmHeader(image: Buffer): { width: number; height: number; pixels: Buffer } {
  const match = /^P5\n(\d+) (\d+)\n255\n/.exec(image.subarray(0, 40).toString('ascii'));
  if (!match) throw new Error('not a binary PGM');
  return {
    width: Number(match[1]),
    height: Number(match[2]),
    pixels: image.subarray(match[0].length),
  };
}

describe('OCR working copy', () => {
  it('is a one-byte-a-pixel PGM of the page as scanned, cut to its ink, with the scan’s dpi', async () => {
    // 10 pt at 200 dpi: letters already the height OCR reads best at.
    const png = await renderTextPage({ lines, noiseSeed: 3, fontSizePt: 10 });
    const input = await prepareForOcr(png);
    const { width, height, pixels } = pgmHeader(input.image);
    expect([input.width, input.height]).toEqual([1654, 2339]);
    expect(input.scale).toBe(1);
    expect(input.dpi).toBe(200);
    // The text fills the top of the page: the margins and the empty rest are not read.
    const crop = input.crop!;
    expect([width, height]).toEqual([crop.width, crop.height]);
    expect(crop.width * crop.height).toBeLessThan(0.5 * input.width * input.height);
    // Read as it is: the very pixels of the scan, where they were.
    const { data } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
    for (let y = 0; y < crop.height; y++) {
      const from = (crop.top + y) * input.width + crop.left;
      expect(pixels.subarray(y * crop.width, (y + 1) * crop.width).equals(data.subarray(from, from + crop.width))).toBe(
        true,
      );
    }
    // Every stroke (three ink pixels in a row, not a lone speck of dust) is inside.
    const ink = (x: number, y: number): boolean => data[y * input.width + x]! < 128;
    for (let y = 0; y < input.height; y++) {
      for (let x = 0; x + 2 < input.width; x++) {
        if (!(ink(x, y) && ink(x + 1, y) && ink(x + 2, y))) continue;
        expect(y >= crop.top && y < crop.top + crop.height, `row ${y}`).toBe(true);
        expect(x >= crop.left && x + 2 < crop.left + crop.width, `column ${x}`).toBe(true);
      }
    }
  });

  it('is the whole page when the ink fills most of it', async () => {
    // A form framed by a rule a few millimetres inside the sheet's edge.
    const text = await renderTextPage({ lines, noiseSeed: 5 });
    const frame = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="1654" height="2339">' +
        '<rect x="30" y="30" width="1594" height="2279" fill="none" stroke="black" stroke-width="4"/></svg>',
    );
    const full = await sharp(text)
      .composite([{ input: frame }])
      .greyscale()
      .png()
      .toBuffer();
    const input = await prepareForOcr(full);
    expect(input.crop).toBeNull();
    expect(pgmHeader(input.image).pixels.length).toBe(input.width * input.height);
  });

  it('is enlarged when the letters are too small, its dpi with it, and stays one grey channel', async () => {
    const small = await renderTextPage({ lines: lines.slice(0, 3), fontSizePt: 5, noiseSeed: 4 });
    const input = await prepareForOcr(small);
    expect(input.scale).toBeGreaterThan(1);
    const { width, height, pixels } = pgmHeader(input.image);
    expect(pixels.length).toBe(width * height);
    expect(input.width).toBe(Math.round(1654 * input.scale));
    expect(input.dpi).toBe(Math.round(200 * input.scale));
  });

  it('measures letters, not diacritics: the same text at 300 dpi measures 1.5 times its 200 dpi height', async () => {
    const at200 = await renderTextPage({ lines, noiseSeed: 6 });
    const at300 = await renderTextPage({ lines, noiseSeed: 6, ...a4AtDpi(300) });
    const grey = async (png: Buffer) => {
      const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
      return medianGlyphHeight(data, info.width, info.height) ?? 0;
    };
    const ratio = (await grey(at300)) / (await grey(at200));
    expect(ratio).toBeGreaterThan(1.35);
    expect(ratio).toBeLessThan(1.65);
  });

  it('measures the same reading the paper four pixels at a time, wherever the pixels start in memory', async () => {
    // Paper noise over the whole high half of the levels, text in the middle: the mean grey
    // (which finds a page's near twins) must be every pixel's, exactly.
    const page = await renderTextPage({ lines: lines.slice(0, 6), noiseSeed: 8, ...a4AtDpi(300) });
    const { data, info } = await sharp(page).greyscale().raw().toBuffer({ resolveWithObject: true });
    let seed = 1;
    for (let i = 0; i < data.length; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      if (data[i]! >= 128) data[i] = 128 + (seed >>> 25);
    }
    let sum = 0;
    for (const level of data) sum += level;
    const noisy = await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
      .png()
      .toBuffer();
    const input = await prepareForOcr(noisy);
    expect(input.meanGrey).toBe(Math.round(sum / data.length));
    expect(input.meanGrey).toBeGreaterThan(180);

    const glyph = medianGlyphHeight(data, info.width, info.height);
    expect(glyph).toBeGreaterThan(20);
    const shifted = Buffer.alloc(data.length + 1);
    data.copy(shifted, 1);
    expect(medianGlyphHeight(shifted.subarray(1), info.width, info.height)).toBe(glyph);
  });

  it('decodes colour, alpha and EXIF-turned scans to the very grey that greyscale() gives', async () => {
    // The pixel hash finds a page read before: its decode must not drift (it was greyscale() once).
    const mark = { create: { width: 12, height: 20, channels: 3 as const, background: '#101010' } };
    const rgba = await sharp({ create: { width: 300, height: 200, channels: 4, background: '#c0402080' } })
      .composite([10, 40, 70, 100].map((left) => ({ input: mark, top: 90, left })))
      .png()
      .toBuffer();
    const turned = await sharp(rgba)
      .flatten({ background: '#ffffff' })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    for (const image of [rgba, turned]) {
      const input = await prepareForOcr(image);
      const { data, info } = await sharp(image).autoOrient().greyscale().raw().toBuffer({ resolveWithObject: true });
      const expected = Buffer.alloc(info.width * info.height);
      for (let i = 0; i < expected.length; i++) expected[i] = data[i * info.channels]!;
      expect([input.width / input.scale, input.height / input.scale].map(Math.round)).toEqual([
        info.width,
        info.height,
      ]);
      expect(input.grey.equals(expected)).toBe(true);
    }
  });

  it('reads 12 pt type scanned at 300 dpi at about 165 dpi: the resolution OCR needs, not the scanner’s', async () => {
    const page = await renderTextPage({ lines, noiseSeed: 7, ...a4AtDpi(300) });
    const input = await prepareForOcr(page);
    expect(input.scale).toBeLessThan(0.65);
    expect(input.scale).toBeGreaterThan(0.45);
    expect(input.dpi).toBe(Math.round(300 * input.scale));
    expect(input.width).toBe(Math.round(2480 * input.scale));
    expect(pgmHeader(input.image).width).toBe(input.crop?.width ?? input.width);
  });

  it('shares its decode with the steps after OCR on the same image, and only with those', async () => {
    const png = await renderTextPage({ lines: lines.slice(0, 2), noiseSeed: 6 });
    const input = await prepareForOcr(png);
    // The same Buffer (the page OCR just read): OCR's own decode, not a second one.
    expect((await decodeGrey(png)).grey === input.grey).toBe(true);
    // The same bytes in another Buffer (read from the store again): decoded anew, to the same pixels.
    const again = await decodeGrey(Buffer.from(png));
    expect(again.grey === input.grey).toBe(false);
    expect(again.grey.equals(input.grey)).toBe(true);
  });

  it('stretches a faded scan to full contrast', async () => {
    const page = await renderTextPage({ lines: lines.slice(0, 4), noiseSeed: 5 });
    // Ink no darker than 150: a faded photocopy.
    const faded = await sharp(page).greyscale().linear(0.4, 150).png().toBuffer();
    const input = await prepareForOcr(faded);
    const { pixels } = pgmHeader(input.image);
    let darkest = 255;
    for (const level of pixels) if (level < darkest) darkest = level;
    expect(darkest).toBeLessThan(40);
  });
});

describe('page prints (the quick test before two pages are compared pixel by pixel)', () => {
  /** An invented holder's card front, on the same template as every other. */
  function card(name: string): Promise<Buffer> {
    return renderIdCardPage({ lines: CARD_FRONT_LINES.map((line) => line.replace('NGUYỄN VĂN AN', name)) });
  }

  it('tell two people’s cards of the same template apart, and keep one card decoded twice together', async () => {
    const first = await card('TRẦN THỊ QUỲNH');
    const other = await prepareForOcr(await card('LÊ VĂN CƯỜNG'));
    const again = await prepareForOcr(await sharp(first).jpeg({ quality: 75 }).toBuffer());
    const firstInput = await prepareForOcr(first);
    expect(printsClose(firstInput.print, again.print)).toBe(true);
    // At 16 x 16 these two passed, and every new card was decoded against the earlier ones.
    expect(printsClose(firstInput.print, other.print)).toBe(false);
  });

  it('compare with a print stored before prints grew (16 x 16, three equal channels)', async () => {
    const page = await renderTextPage({ lines, noiseSeed: 8 });
    const otherPage = await renderTextPage({ lines: SAMPLE_PAGES[1]?.lines ?? ['Đơn đề nghị'], noiseSeed: 8 });
    // As prints were made: sharp wrote the one-channel raw page out as RGB.
    const legacyPrint = async (png: Buffer) => {
      const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
      return sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
        .resize(16, 16, { fit: 'fill', kernel: 'cubic' })
        .raw()
        .toBuffer();
    };
    const input = await prepareForOcr(page);
    expect(input.print.length).toBe(32 * 32);
    expect((await legacyPrint(page)).length).toBe(16 * 16 * 3);
    expect(printsClose(input.print, await legacyPrint(page))).toBe(true);
    expect(printsClose(await legacyPrint(page), input.print)).toBe(true);
    expect(printsClose(input.print, await legacyPrint(otherPage))).toBe(false);
  });
});
