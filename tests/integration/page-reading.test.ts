/**
 * How a page is read (real tesseract.js, real models): as one column, so a numbered register keeps
 * each row whole, number first; and again with full layout analysis only when the column reading
 * missed text that runs down the page.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareForOcr } from '../../electron/core/imaging/ocr-input';
import { ensureLanguageFolder } from '../../electron/core/ocr/language-data';
import { OcrPool } from '../../electron/core/ocr/pool';
import { readPage } from '../../electron/core/ocr/read-page';
import { normalizeForCer, renderTextPage, SAMPLE_PAGES } from '../fixtures/scans';
import { tempDir } from '../support/temp-backend';

const register = SAMPLE_PAGES.find((page) => page.name === 'danh-sach-ho-so');
const letter = SAMPLE_PAGES.find((page) => page.kind === 'letter');

/** The register's title, header row and first `rows` rows, on a page just tall enough, at `dpi`. */
function registerPage(rows: number, dpi: number): Promise<Buffer> {
  if (!register) throw new Error('no register sample');
  const px = (cm: number): number => Math.round((cm / 2.54) * dpi);
  return renderTextPage({
    lines: register.lines.slice(0, 3 + rows),
    dpi,
    widthPx: px(19),
    heightPx: px(4 + rows * 1.2),
    noiseSeed: 11,
  });
}

describe('reading a page (real tesseract.js)', () => {
  let pool: OcrPool;
  let cleanup: () => void;

  beforeAll(async () => {
    const dir = tempDir('sohoa-page-reading-');
    cleanup = dir.cleanup;
    pool = new OcrPool({ langPath: await ensureLanguageFolder(dir.dir), languages: 'vie+eng', size: 1 });
  });

  afterAll(async () => {
    await pool?.close();
    cleanup?.();
  });

  it('keeps every row of a numbered register whole and in order, its number first', async () => {
    // At 300 dpi, full layout analysis takes the row numbers for a column of their own and drops
    // or garbles them; ten rows are enough for it to.
    const png = await registerPage(10, 300);
    const input = await prepareForOcr(png);
    const read = await readPage(pool, input, input);
    const lines = read.text
      .split('\n')
      .map((line) => normalizeForCer(line))
      .filter(Boolean);
    const rows = lines.filter((line) => line.includes('000.00.01.H26-231201-'));
    expect(rows).toEqual(register?.lines.slice(3, 13));
    expect(lines.indexOf('STT. Mã hồ sơ. Người nộp. Thủ tục')).toBe(lines.indexOf(rows[0] ?? '') - 1);
  });

  it('reads text running down the page with layout analysis, and an upright page once', async () => {
    if (!letter) throw new Error('no letter sample');
    const upright = await renderTextPage({ lines: letter.lines, noiseSeed: 7 });
    const before = pool.recognizedPages;
    const straight = await readPage(pool, await prepareForOcr(upright), { width: 1654, height: 2339 });
    expect(pool.recognizedPages - before).toBe(1);

    // As cleanup leaves a page it cannot tell the way of: turned a quarter.
    const turned = await sharp(upright).rotate(90).png().toBuffer();
    const input = await prepareForOcr(turned);
    const sideways = await readPage(pool, input, input);
    expect(pool.recognizedPages - before).toBe(3);
    const words = (text: string): string[] => normalizeForCer(text).split(/\s+/).filter(Boolean);
    const found = words(sideways.text);
    const expected = words(straight.text);
    expect(expected.length).toBeGreaterThan(20);
    expect(expected.filter((word) => found.includes(word)).length).toBeGreaterThan(expected.length * 0.9);
  });
});
