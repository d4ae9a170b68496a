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
  it('is a one-byte-a-pixel PGM of the page as scanned, with the scan’s dpi', async () => {
    const png = await renderTextPage({ lines, noiseSeed: 3 });
    const input = await prepareForOcr(png);
    const { width, height, pixels } = pgmHeader(input.image);
    expect([width, height]).toEqual([input.width, input.height]);
    expect(pixels.length).toBe(width * height);
    expect(input.scale).toBe(1);
    expect(input.dpi).toBe(200);
    // Read as it is: the very pixels of the scan.
    const { data } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
    expect(pixels.equals(data)).toBe(true);
  });

  it('is enlarged when the letters are too small, its dpi with it, and stays one grey channel', async () => {
    const small = await renderTextPage({ lines: lines.slice(0, 3), fontSizePt: 5, noiseSeed: 4 });
    const input = await prepareForOcr(small);
    expect(input.scale).toBeGreaterThan(1);
    const { width, height, pixels } = pgmHeader(input.image);
    expect(pixels.length).toBe(width * height);
    expect(width).toBe(Math.round(1654 * input.scale));
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

  it('reads a 300 dpi scan at about 200 dpi: the resolution OCR needs, not the scanner’s', async () => {
    const page = await renderTextPage({ lines, noiseSeed: 7, ...a4AtDpi(300) });
    const input = await prepareForOcr(page);
    expect(input.scale).toBeLessThan(0.8);
    expect(input.scale).toBeGreaterThan(0.55);
    expect(input.dpi).toBe(Math.round(300 * input.scale));
    const { width } = pgmHeader(input.image);
    expect(width).toBe(Math.round(2480 * input.scale));
  });

  it('shares its decode with the steps after OCR on the same image, and only with those', async () => {
    const png = await renderTextPage({ lines: lines.slice(0, 2), noiseSeed: 6 });
    const input = await prepareForOcr(png);
    // The same Buffer (the page OCR just read): OCR's own decode, not a second one.
    expect((await decodeGrey(png)).grey).toBe(input.grey);
    // The same bytes in another Buffer (read from the store again): decoded anew, to the same pixels.
    const again = await decodeGrey(Buffer.from(png));
    expect(again.grey).not.toBe(input.grey);
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
