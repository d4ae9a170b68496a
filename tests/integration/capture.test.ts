/**
 * Capture inputs and automatic cleanup, end to end through the real import: MuPDF for PDFs, sharp
 * for images, SQLite and the blob store. Pages have known truth (turn, skew, blank, resolution).
 * Most files are imported with `importFile` directly, which queues OCR without running it: what is
 * tested here is what reaches the database, not tesseract (one CLI run at the end does OCR).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportOutcome, Page } from '../../shared/api/contract';
import type { Backend } from '../../electron/core/backend';
import { analyzePage } from '../../electron/core/capture/cleanup';
import { judgeTextLayer } from '../../electron/core/capture/text-layer';
import { JobQueue } from '../../electron/core/jobs/job-queue';
import { importFile, type ImportTarget } from '../../electron/core/pages/page-import';
import {
  bmpOf,
  ccittTiff,
  encryptedPdf,
  exifRotatedJpeg,
  hugeTiffHeader,
  javascriptPdf,
  mojibake,
  pageNumberOnly,
  scannedPdf,
  stripDiacritics,
  tiffCompression,
  truthPage,
  withDarkBorder,
} from '../fixtures/capture';
import { renderIdCardPage } from '../fixtures/id-card-pages';
import { renderMultiPageTiff, renderTextPage, SAMPLE_PAGES } from '../fixtures/scans';
import { call, openTempBackend, tempDir } from '../support/temp-backend';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const INBOX: ImportTarget = { dossierId: null, citizenId: null };
const FORM = SAMPLE_PAGES[0]!;

let backend: Backend;
let closeBackend: () => Promise<void>;
let inputs: { dir: string; cleanup: () => void };

beforeAll(async () => {
  ({ backend, close: closeBackend } = await openTempBackend({ runOcr: false }));
  inputs = tempDir('sohoa-capture-in-');
});
afterAll(async () => {
  await closeBackend?.();
  inputs?.cleanup();
});

async function importBytes(name: string, bytes: Buffer, target: ImportTarget = INBOX): Promise<ImportOutcome> {
  const file = path.join(
    inputs.dir,
    `${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}-${name.replace(/[\\/]/g, '_')}`,
  );
  writeFileSync(file, bytes);
  return importFile({ db: backend.db, store: backend.store, jobs: new JobQueue(backend.db) }, file, name, target);
}

async function getPages(outcome: ImportOutcome): Promise<Page[]> {
  if (!outcome.ok) throw new Error(`refused: ${outcome.error.message}`);
  return Promise.all(outcome.pageIds.map((id) => call(backend, 'pages.get', { id })));
}

function thumbOf(pageId: number): string {
  return (backend.db.prepare('SELECT thumb_sha256 FROM pages WHERE id = ?').get(pageId) as { thumb_sha256: string })
    .thumb_sha256;
}

function row(pageId: number): { dpi: number; image: string; original: string | null; mime: string } {
  return backend.db
    .prepare(
      `SELECT pg.dpi, pg.image_sha256 AS image, pg.original_sha256 AS original, b.mime
       FROM pages pg JOIN blobs b ON b.sha256 = pg.image_sha256 WHERE pg.id = ?`,
    )
    .get(pageId) as { dpi: number; image: string; original: string | null; mime: string };
}

function hasOcrJob(pageId: number): boolean {
  return (
    backend.db
      .prepare(`SELECT 1 FROM jobs WHERE kind = 'ocr' AND subject = ? AND status = 'queued'`)
      .get(String(pageId)) !== undefined
  );
}

function expectRefused(outcome: ImportOutcome, reason: RegExp): void {
  expect(outcome.ok).toBe(false);
  if (outcome.ok) return;
  expect(outcome.error.code).toBe('UNSUPPORTED_FILE');
  expect(outcome.error.message).toMatch(reason);
  expect(outcome.error.messageEn ?? '').not.toBe('');
}

describe('PDF import (MuPDF)', () => {
  it('renders an image-only scanner PDF page by page at each page’s native resolution', async () => {
    const colourJpeg = await renderTextPage({
      lines: FORM.lines.slice(0, 8),
      dpi: 300,
      widthPx: 1240,
      heightPx: 1754,
      rgb: true,
      jpegQuality: 85,
    });
    const bilevel = await renderTextPage({ lines: SAMPLE_PAGES[1]!.lines, noiseSeed: 2 });
    const outcome = await importBytes(
      'may-quet.pdf',
      await scannedPdf([
        { image: colourJpeg, dpi: 300 },
        { image: bilevel, dpi: 200, ccitt: true },
      ]),
    );
    const [jpegPage, ccittPage] = await getPages(outcome);
    expect(jpegPage).toMatchObject({ pageNo: 1, width: 1240, height: 1754, textSource: 'ocr', blank: false });
    expect(ccittPage).toMatchObject({ pageNo: 2, width: 1648, height: 2336, textSource: 'ocr', blank: false });
    const jpegRow = row(jpegPage!.id);
    const ccittRow = row(ccittPage!.id);
    expect(jpegRow.dpi).toBe(300);
    expect(ccittRow.dpi).toBe(200);
    // The colour page is the scanner's JPEG itself, byte for byte; the fax page a 2-colour PNG.
    expect(jpegRow.mime).toBe('image/jpeg');
    expect((await backend.store.read(jpegRow.image)).equals(colourJpeg)).toBe(true);
    expect(ccittRow.mime).toBe('image/png');
    expect((await sharp(await backend.store.read(ccittRow.image)).metadata()).isPalette).toBe(true);
    // Image-only pages go to OCR.
    expect(hasOcrJob(jpegPage!.id) && hasOcrJob(ccittPage!.id)).toBe(true);
  });

  it('keeps a good text layer (no OCR) and recognizes a page whose layer lost its diacritics', async () => {
    const scan = await renderTextPage({ lines: FORM.lines, noiseSeed: 4 });
    const good = await importBytes(
      'ban-ky-so.pdf',
      await scannedPdf([{ image: scan, dpi: 200, textLayer: FORM.lines }]),
    );
    const [kept] = await getPages(good);
    expect(kept).toMatchObject({ textSource: 'pdf', ocrStatus: 'done' });
    expect(kept!.text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(hasOcrJob(kept!.id)).toBe(false);
    // The kept text is searchable and tagged like recognized text.
    expect(kept!.tags.map((tag) => tag.value)).toContain('001085012345');

    const poor = await importBytes(
      'ocr-may-quet.pdf',
      await scannedPdf([{ image: scan, dpi: 200, textLayer: stripDiacritics(FORM.lines) }]),
    );
    const [redone] = await getPages(poor);
    expect(redone).toMatchObject({ textSource: 'ocr', ocrStatus: 'queued' });
    expect(hasOcrJob(redone!.id)).toBe(true);
  });

  it('recognizes a good layer again when the clerk forces it, at import or afterwards', async () => {
    const scan = await renderTextPage({ lines: SAMPLE_PAGES[3]!.lines, noiseSeed: 8 });
    const pdf = await scannedPdf([{ image: scan, dpi: 200, textLayer: SAMPLE_PAGES[3]!.lines }]);
    const [forced] = await getPages(await importBytes('ep-ocr.pdf', pdf, { ...INBOX, forceOcr: true }));
    expect(forced).toMatchObject({ textSource: 'ocr', ocrStatus: 'queued' });

    const other = await scannedPdf([{ image: scan, dpi: 200, textLayer: [...SAMPLE_PAGES[3]!.lines, 'Bản sao'] }]);
    const [kept] = await getPages(await importBytes('giu-lop-chu.pdf', other));
    expect(kept!.textSource).toBe('pdf');
    expect(await call(backend, 'pages.forceOcr', { id: kept!.id })).toEqual({ queued: true });
    expect(hasOcrJob(kept!.id)).toBe(true);
    expect(await call(backend, 'pages.get', { id: kept!.id })).toMatchObject({
      ocrStatus: 'queued',
      textSource: 'ocr',
    });
  });

  it('refuses encrypted, JavaScript-carrying and damaged PDFs clearly, and the batch goes on', async () => {
    const scan = await renderTextPage({
      lines: ['GIẤY BIÊN NHẬN', 'Số định danh: 079190123456'],
      widthPx: 900,
      heightPx: 700,
    });
    const good = await scannedPdf([{ image: scan, dpi: 200 }]);
    const batch = [
      await importBytes('mat-khau.pdf', encryptedPdf()),
      await importBytes('co-javascript.pdf', await javascriptPdf(scan)),
      await importBytes('bi-cat.pdf', good.subarray(0, Math.floor(good.length * 0.6))),
      await importBytes('rac.pdf', Buffer.from('%PDF-1.7\nđây không phải PDF\n%%EOF\n')),
      await importBytes('tot.pdf', good),
    ];
    expectRefused(batch[0]!, /mật khẩu/);
    expectRefused(batch[1]!, /JavaScript/);
    expectRefused(batch[2]!, /không đầy đủ|hỏng/);
    expectRefused(batch[3]!, /hỏng|không có trang/);
    expect(batch[4]!.ok).toBe(true);
  });
});

describe('other inputs', () => {
  it('imports a multi-page bilevel CCITT G4 TIFF, WebP and BMP', async () => {
    const one = await renderTextPage({ lines: SAMPLE_PAGES[4]!.lines, noiseSeed: 5 });
    const two = await renderTextPage({ lines: SAMPLE_PAGES[2]!.lines, noiseSeed: 6 });
    const tiff = await ccittTiff([one, two]);
    expect(tiffCompression(tiff)).toBe(4); // CCITT Group 4
    const tiffPages = await getPages(await importBytes('fax.tif', tiff));
    expect(tiffPages.map((page) => page.pageNo)).toEqual([1, 2]);

    const small = await renderTextPage({
      lines: ['GIẤY XÁC NHẬN CƯ TRÚ', 'Họ và tên: Phạm Minh Đức', 'Số định danh: 001085012345'],
      widthPx: 1000,
      heightPx: 800,
    });
    const webp = await getPages(await importBytes('anh.webp', await sharp(small).webp({ quality: 90 }).toBuffer()));
    const bmp = await getPages(await importBytes('anh.bmp', await bmpOf(small)));
    expect(webp[0]).toMatchObject({ width: 1000, height: 800 });
    expect(bmp[0]).toMatchObject({ width: 1000, height: 800 });
  });

  it('turns a phone photo upright by its EXIF orientation and reports the turn', async () => {
    const upright = await truthPage(3, { rotation: 0, skew: 0 });
    const photo = await exifRotatedJpeg(upright);
    const stored = await sharp(photo).metadata();
    expect(stored.width).toBeGreaterThan(stored.height); // stored sideways
    const [page] = await getPages(await importBytes('dien-thoai.jpg', photo));
    expect(page).toMatchObject({ rotation: 90, width: 1654, height: 2339 });
  });
});

describe('automatic cleanup with known truth', () => {
  const truth = [
    { rotation: 0, skew: 0 },
    { rotation: 180, skew: 4 },
    { rotation: 90, skew: -3 },
    { rotation: 270, skew: 7 },
    { rotation: 0, skew: -9.5 },
  ] as const;

  it('detects and fixes orientation and skew, keeping the scan as it came', async () => {
    let greyScans = 0;
    for (const [index, sample] of truth.entries()) {
      const scan = await truthPage(index, sample);
      const [page] = await getPages(await importBytes(`trang-${index}.png`, scan));
      // Clockwise turn applied to make it upright undoes the turn it was scanned with.
      expect(page!.rotation, `page ${index}`).toBe((360 - sample.rotation) % 360);
      expect(Math.abs(page!.skew - sample.skew), `page ${index} skew ${page!.skew}`).toBeLessThanOrEqual(0.5);
      expect(page!.blank).toBe(false);
      const stored = row(page!.id);
      if (sample.rotation === 0 && sample.skew === 0) expect(stored.original).toBeNull();
      else {
        // The working copy is upright (portrait); the scan as it came is kept beside it.
        expect(stored.original).not.toBeNull();
        expect((await backend.store.read(stored.original!)).equals(scan)).toBe(true);
        expect(page!.height).toBeGreaterThan(page!.width);
        // The working copy and thumbnail keep the scan's channels: a greyscale scan is never stored as RGB.
        const channels = (await sharp(scan).metadata()).channels;
        if (channels === 1) greyScans++;
        expect((await sharp(await backend.store.read(stored.image)).metadata()).channels, `page ${index}`).toBe(
          channels,
        );
        expect((await sharp(await backend.store.read(thumbOf(page!.id))).metadata()).channels).toBe(channels);
        // Analysed again, the working copy is level and upright: nothing left to turn.
        const working = await sharp(await backend.store.read(stored.image))
          .raw()
          .toBuffer({ resolveWithObject: true });
        const again = await analyzePage(
          {
            data: working.data,
            width: working.info.width,
            height: working.info.height,
            channels: working.info.channels as 1,
          },
          null,
        );
        expect([again.rotation, again.skew], `page ${index}`).toEqual([0, 0]);
      }
    }
    expect(greyScans).toBeGreaterThan(0);
  });

  it('keeps a one-line page upright, and turns one scanned sideways back', async () => {
    // 16 x 9 cm at 200 dpi with one short line: a sheet feeder's second page.
    const line = await renderTextPage({ lines: ['Trang 2'], widthPx: 1260, heightPx: 709, noiseSeed: 11 });
    const [upright] = await getPages(await importBytes('mot-dong.png', line));
    expect(upright!.rotation).toBe(0);
    expect(upright!.width).toBeGreaterThan(upright!.height);
    const sideways = await sharp(line).rotate(90).png().toBuffer();
    const [turned] = await getPages(await importBytes('mot-dong-xoay.png', sideways));
    expect(turned!.rotation).toBe(270);
    expect(turned!.width).toBeGreaterThan(turned!.height);
  });

  it('flags blank pages, a lone page number included, and does not send them to OCR', async () => {
    const empty = await renderTextPage({ lines: [], noiseSeed: 21 });
    const numbered = await pageNumberOnly(7);
    const sparse = await renderTextPage({ lines: ['GIẤY XÁC NHẬN', 'Nguyễn Văn An'], noiseSeed: 22 });
    const [emptyPage] = await getPages(await importBytes('trang-trang.png', empty));
    const [numberedPage] = await getPages(await importBytes('so-trang.png', numbered));
    const [sparsePage] = await getPages(await importBytes('it-chu.png', sparse));
    expect(emptyPage).toMatchObject({ blank: true, blankConfirmed: false, ocrStatus: 'done' });
    expect(numberedPage).toMatchObject({ blank: true, ocrStatus: 'done' });
    expect(sparsePage).toMatchObject({ blank: false, ocrStatus: 'queued' });
    expect(hasOcrJob(emptyPage!.id) || hasOcrJob(numberedPage!.id)).toBe(false);
    // Never dropped: the clerk decides. "Not blank" sends the page to OCR.
    expect(await call(backend, 'pages.confirmBlank', { id: numberedPage!.id, blank: false })).toMatchObject({
      blank: false,
      blankConfirmed: true,
    });
    expect(hasOcrJob(numberedPage!.id)).toBe(true);
    expect(await call(backend, 'pages.confirmBlank', { id: emptyPage!.id, blank: true })).toMatchObject({
      blank: true,
      blankConfirmed: true,
    });
    expect(hasOcrJob(emptyPage!.id)).toBe(false);
  });

  it('crops dark scanner borders', async () => {
    const page = await renderTextPage({ lines: SAMPLE_PAGES[6]!.lines.slice(0, 10), noiseSeed: 31 });
    const bordered = await withDarkBorder(page, 90);
    const [stored] = await getPages(await importBytes('vien-den.png', bordered));
    expect(stored!.width).toBeLessThanOrEqual(1654 + 10);
    expect(stored!.height).toBeLessThanOrEqual(2339 + 10);
    expect(stored!.width).toBeGreaterThan(1654 - 40);
    const cleaned = await sharp(await backend.store.read(row(stored!.id).image))
      .extract({ left: 0, top: 0, width: 20, height: stored!.height })
      .greyscale()
      .stats();
    expect(cleaned.channels[0]!.mean).toBeGreaterThan(200); // the left edge is paper, not border
  });

  it('warns below 200 dpi and on a blurred page, proposing a rescan', async () => {
    const low = await truthPage(1, { rotation: 0, skew: 0 }, 150);
    const [lowPage] = await getPages(await importBytes('150dpi.png', low));
    expect(lowPage!.qualityWarnings).toEqual([{ kind: 'lowResolution', dpi: 150 }]);
    const sharpPage = await truthPage(2, { rotation: 0, skew: 0 });
    const blurred = await sharp(sharpPage).blur(2.5).png().toBuffer();
    const [blurPage] = await getPages(await importBytes('mo.png', blurred));
    const [clearPage] = await getPages(await importBytes('ro.png', sharpPage));
    expect(blurPage!.qualityWarnings.map((warning) => warning.kind)).toContain('blurred');
    expect(clearPage!.qualityWarnings).toEqual([]);
  });
});

describe('orientation is judged by text lines, not by a QR code', () => {
  it('keeps an upright ID-card scan upright and turns a sideways one back', async () => {
    for (const [rotateDeg, expected] of [
      [0, 0],
      [90, 270],
    ] as const) {
      const { data, info } = await sharp(await renderIdCardPage({ rotateDeg }))
        .greyscale()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const analysis = await analyzePage({ data, width: info.width, height: info.height, channels: 1 }, 200);
      expect(analysis.rotation, `card turned ${rotateDeg}°`).toBe(expected);
    }
  });
});

describe('text layer quality (per page heuristic)', () => {
  const text = [...FORM.lines, ...SAMPLE_PAGES[3]!.lines].join('\n');
  it('keeps Vietnamese with its marks, and English', () => {
    expect(judgeTextLayer(text).quality).toBe('good');
    expect(judgeTextLayer('This certificate is issued to the holder for the purposes stated above.').quality).toBe(
      'good',
    );
  });
  it('calls dropped diacritics, mojibake and unknown glyphs poor', () => {
    expect(judgeTextLayer(stripDiacritics([text]).join(''))).toEqual({ quality: 'poor', reason: 'diacriticsDropped' });
    expect(judgeTextLayer(mojibake([text]).join(''))).toMatchObject({ quality: 'poor' });
    expect(judgeTextLayer(text.replace(/[ăâđêôơư]/g, '\uFFFD'))).toEqual({ quality: 'poor', reason: 'replacement' });
    // TCVN3 (ABC) text shown as Latin-1: "Céng hßa x· héi chñ nghÜa ViÖt Nam".
    expect(judgeTextLayer('Céng hßa x· héi chñ nghÜa ViÖt Nam §éc lËp - Tù do - H¹nh phóc '.repeat(3))).toMatchObject({
      quality: 'poor',
    });
  });
  it('has nothing to judge on a page without text', () => {
    expect(judgeTextLayer('  12  ').quality).toBe('none');
  });
});

describe('bad input', () => {
  it('refuses a 20000x20000 TIFF before decoding it, and sanitizes hostile names', async () => {
    expectRefused(await importBytes('khong-lo.tif', hugeTiffHeader()), /quá lớn/);
    const scan = await renderTextPage({ lines: ['ĐƠN ĐỀ NGHỊ'], widthPx: 800, heightPx: 600, noiseSeed: 3 });
    const pdf = await scannedPdf([{ image: scan, dpi: 150 }]);
    const hostile = await importBytes('../../etc/Tờ khai – Nguyễn Thị Ánh.pdf'.normalize('NFD'), pdf);
    expect(hostile).toMatchObject({ ok: true, name: 'Tờ khai – Nguyễn Thị Ánh.pdf' });
  });
});

describe('sohoa ingest --json', () => {
  it('prints blank, rotation and skew for every page, and its progress on stderr', async () => {
    const data = tempDir('sohoa-capture-cli-');
    try {
      const folder = tempDir('sohoa-capture-cli-in-');
      const upsideDown = await renderTextPage({
        lines: [
          'GIẤY XÁC NHẬN',
          'Họ và tên: Trần Thị Bích Ngọc',
          'Số định danh: 079190123456',
          'Ngày 02 tháng 9 năm 2023',
        ],
        widthPx: 1200,
        heightPx: 800,
        noiseSeed: 12,
        skewDeg: 3,
      });
      writeFileSync(path.join(folder.dir, 'a-nguoc.png'), await sharp(upsideDown).rotate(180).png().toBuffer());
      writeFileSync(path.join(folder.dir, 'b-trang.png'), await pageNumberOnly(2));
      const result = spawnSync(
        process.execPath,
        [path.join(REPO, 'bin', 'sohoa.mjs'), 'ingest', folder.dir, '--data', data.dir, '--json'],
        { cwd: REPO, encoding: 'utf8', env: { ...process.env, SOHOA_OCR_WORKERS: '1' } },
      );
      folder.cleanup();
      expect(result.status, result.stderr).toBe(0);
      const lines = result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatchObject({ page: 1, blank: false, rotation: 180 });
      expect(Math.abs(Number(lines[0]!.skew) - 3)).toBeLessThanOrEqual(0.5);
      expect(String(lines[0]!.text)).toMatch(/079190123456/);
      expect(lines[1]).toMatchObject({ page: 1, blank: true, rotation: 0, skew: 0, text: '' });
      // Progress goes to stderr as each file's pages are done; stdout stays JSON only.
      expect(result.stderr).toMatch(/^OCR: 1\/2 trang/mu);
      expect(result.stderr).toMatch(/^OCR: 2\/2 trang\n/mu);
    } finally {
      data.cleanup();
    }
  });

  it('tells a long file’s import and OCR progress every ten pages', async () => {
    const data = tempDir('sohoa-capture-cli-long-');
    const folder = tempDir('sohoa-capture-cli-long-in-');
    try {
      const pages = [];
      for (let i = 1; i <= 12; i++) {
        pages.push(await renderTextPage({ lines: [`Trang số ${String(i)} của hồ sơ`], widthPx: 1000, heightPx: 500 }));
      }
      writeFileSync(path.join(folder.dir, 'ho-so.tif'), await renderMultiPageTiff(pages));
      const result = spawnSync(
        process.execPath,
        [path.join(REPO, 'bin', 'sohoa.mjs'), 'ingest', folder.dir, '--data', data.dir, '--json'],
        { cwd: REPO, encoding: 'utf8', env: { ...process.env, SOHOA_OCR_WORKERS: '1' } },
      );
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout.trim().split('\n')).toHaveLength(12);
      const progress = result.stderr.split('\n').filter((line) => /trang/u.test(line));
      expect(progress).toEqual([
        '  ho-so.tif: trang 10/12',
        '  ho-so.tif: trang 12/12',
        '[1/1] ho-so.tif: 12 trang',
        expect.stringMatching(/^OCR: 10\/12 trang( · còn (dưới 1|khoảng \d+) phút)?$/u),
        'OCR: 12/12 trang',
      ]);
    } finally {
      folder.cleanup();
      data.cleanup();
    }
  });
});
