/**
 * How a page is read (real tesseract.js, real models, the default languages): as one column, so a
 * numbered register keeps each row whole, number first; again with full layout analysis only when
 * the column reading missed text that runs down the page; and a bilingual ID card's Vietnamese
 * words keep their marks.
 */
import { getPriority } from 'node:os';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareForOcr } from '../../electron/core/imaging/ocr-input';
import { toPgm } from '../../electron/core/imaging/pgm';
import { DEFAULT_OCR_LANGUAGES, ensureLanguageFolder } from '../../electron/core/ocr/language-data';
import { OcrPool } from '../../electron/core/ocr/pool';
import { OCR_THREAD_NICE } from '../../electron/core/ocr/worker-script';
import { readPage } from '../../electron/core/ocr/read-page';
import { CARD_FRONT_LINES, renderIdCardPage } from '../fixtures/id-card-pages';
import { a4AtDpi, normalizeForCer, renderTextPage, SAMPLE_PAGES } from '../fixtures/scans';
import { processThreads } from '../support/threads';
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
    pool = new OcrPool({ langPath: await ensureLanguageFolder(dir.dir), languages: DEFAULT_OCR_LANGUAGES, size: 1 });
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

  it('reads a page cut to its ink, its words boxed in the page’s own pixels as when read whole', async () => {
    if (!letter) throw new Error('no letter sample');
    for (const dpi of [200, 300]) {
      const png = await renderTextPage({ lines: letter.lines.slice(0, 4), noiseSeed: 12, ...a4AtDpi(dpi) });
      const input = await prepareForOcr(png);
      expect(input.crop, `${dpi} dpi`).not.toBeNull();
      const page = { width: a4AtDpi(dpi).widthPx, height: a4AtDpi(dpi).heightPx };
      // The same working copy, whole: the page itself, or reduced exactly as prepareForOcr does.
      const working =
        input.scale === 1
          ? input.grey
          : await sharp(input.grey, { raw: { width: page.width, height: page.height, channels: 1 } })
              .resize({ width: input.width, kernel: 'mitchell' })
              .toColourspace('b-w')
              .raw()
              .toBuffer();
      const cut = await readPage(pool, input, page);
      const whole = await readPage(
        pool,
        { ...input, crop: null, image: toPgm(working, input.width, input.height) },
        page,
      );
      expect(cut.words.map((w) => w.t)).toEqual(whole.words.map((w) => w.t));
      expect(cut.words.length).toBeGreaterThan(10);
      cut.words.forEach((word, i) => {
        const other = whole.words[i]!.b;
        word.b.forEach((v, k) => expect(Math.abs(v - other[k]!), `${dpi} dpi, ${word.t}`).toBeLessThanOrEqual(2));
      });
    }
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
    // Progress by reading (the pool's count of pages read when it came).
    const progress: [number, number][] = [];
    const sideways = await readPage(pool, input, input, (value) => progress.push([pool.recognizedPages, value]));
    expect(pool.recognizedPages - before).toBe(3);
    // Read as one column, the page gives tesseract no words to count progress by; the clerk sees
    // the second reading's progress, to the end.
    const secondReading = progress.filter(([readBefore]) => readBefore === before + 2).map(([, value]) => value);
    expect(secondReading.length).toBeGreaterThan(3);
    expect(secondReading.at(-1)).toBe(1);
    const words = (text: string): string[] => normalizeForCer(text).split(/\s+/).filter(Boolean);
    const found = words(sideways.text);
    const expected = words(straight.text);
    expect(expected.length).toBeGreaterThan(20);
    expect(expected.filter((word) => found.includes(word)).length).toBeGreaterThan(expected.length * 0.9);
  });

  it("keeps the marks of a bilingual ID card's Vietnamese words, the holder's name among them", async () => {
    // With English beside Vietnamese, tesseract let English read the words it was unsure of on
    // the card's bilingual lines: "Ho và tên / Full name: LE VĂN CƯỜNG".
    const lines = CARD_FRONT_LINES.map((line) =>
      line.replace('001085012345', '048085006789').replace('NGUYỄN VĂN AN', 'LÊ VĂN CƯỜNG'),
    );
    const input = await prepareForOcr(await renderIdCardPage({ lines }));
    const text = (await readPage(pool, input, input)).text.split('\n').map((line) => normalizeForCer(line));
    expect(text).toContain('Họ và tên / Full name: LÊ VĂN CƯỜNG');
    expect(text).toContain('Ngày sinh / Date of birth: 15/03/1985');
    expect(text).toContain('Số 12 Lê Lợi, Bến Nghé, Quận 1, TP Hồ Chí Minh');
  });

  // Linux only (other systems have no per-thread priority in Node), and the test process must not
  // already run at the OCR threads' priority or lower.
  it.runIf(process.platform === 'linux' && getPriority() < OCR_THREAD_NICE)(
    'reads on threads of lower priority than the backend that answers the clerk (Linux)',
    async () => {
      await pool.recognize(await renderTextPage({ lines: ['Ưu tiên'], dpi: 150, widthPx: 900, heightPx: 500 }));
      const threads = processThreads() ?? new Map();
      const base = threads.get(process.pid)?.nice ?? 0;
      const nice = [...threads.values()].map((thread) => thread.nice);
      // The pool's one worker: the only thread of this process set apart.
      expect(nice.filter((value) => value !== base)).toEqual([OCR_THREAD_NICE]);
    },
  );
});
