/**
 * Migration 13 and what it carries (real SQLite, sharp, MuPDF, tesseract.js with one worker):
 * a cancelled page has its own OCR status, which survives a restart and can be retried, and the
 * same page image arriving as a PNG and inside a PDF is recognized once (decoded-pixel hash).
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../electron/core/db/migrate';
import { renderMultiPageTiff, renderTextPage } from '../fixtures/scans';
import { call, openTempBackend, tempDir } from '../support/temp-backend';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

const BEFORE = Math.max(...MIGRATIONS.filter((m) => m.version < 13).map((m) => m.version));
const PAGE_SIZE = { widthPx: 1000, heightPx: 500, dpi: 200 } as const;

describe('migration 13 (cancelled OCR status, decoded-pixel hash)', () => {
  it('turns pages cancelled under the old scheme into cancelled ones and keeps the rest', () => {
    const { dir, cleanup } = tempDir('sohoa-migrate-13-');
    cleanups.push(cleanup);
    const db = new Database(path.join(dir, 'sohoa.db'));
    db.pragma('foreign_keys = ON');
    migrate(db, BEFORE);
    db.prepare(`INSERT INTO blobs (sha256, size, mime, created_at) VALUES ('a', 1, 'image/png', 'now')`).run();
    db.prepare(
      `INSERT INTO documents (id, title, source_name, source_sha256, page_count, created_at)
       VALUES ('d', 't', 'd.png', 'a', 3, 'now')`,
    ).run();
    const page = db.prepare(
      `INSERT INTO pages (document_id, page_no, image_sha256, thumb_sha256, width, height, ocr_status, ocr_error)
       VALUES ('d', ?, 'a', 'a', 10, 10, ?, ?)`,
    );
    page.run(1, 'failed', 'Đã hủy nhận dạng.');
    page.run(2, 'failed', 'Nhận dạng chữ quá thời gian cho phép (120 giây).');
    page.run(3, 'done', null);
    db.prepare(
      `INSERT INTO tags (page_id, kind, value, status) VALUES (1, 'citizenId', '001085012345', 'proposed')`,
    ).run();

    expect(migrate(db, 13)).toBe(13);
    expect(db.prepare('SELECT page_no, ocr_status, ocr_error FROM pages ORDER BY page_no').all()).toEqual([
      { page_no: 1, ocr_status: 'cancelled', ocr_error: null },
      { page_no: 2, ocr_status: 'failed', ocr_error: 'Nhận dạng chữ quá thời gian cho phép (120 giây).' },
      { page_no: 3, ocr_status: 'done', ocr_error: null },
    ]);
    // The new column keeps the default and refuses statuses that do not exist.
    expect(() => db.prepare(`UPDATE pages SET ocr_status = 'paused' WHERE page_no = 3`).run()).toThrow(/CHECK/);
    page.run(4, 'queued', null);
    expect(db.prepare(`SELECT pixel_sha256 FROM pages WHERE page_no = 4`).get()).toEqual({ pixel_sha256: null });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // The page's tag still points at it (the table was not rebuilt under it).
    expect(db.prepare('SELECT page_id FROM tags').all()).toEqual([{ page_id: 1 }]);
    db.close();
  });
});

describe('cancelled OCR (real backend)', () => {
  it('stays cancelled across a crash while the rest of the queue resumes, and is retried on request', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const pages = await Promise.all(
      [['THÔNG BÁO'], ['ĐƠN ĐỀ NGHỊ'], ['GIẤY HẸN']].map((lines) => renderTextPage({ ...PAGE_SIZE, lines })),
    );
    const file = path.join(dir, 'ba-trang.tif');
    writeFileSync(file, await renderMultiPageTiff(pages));

    // The first process queues three pages, cancels one and dies before recognizing anything.
    const first = await openTempBackend({ dataDir: path.join(dir, 'data'), runOcr: false });
    const [outcome] = await first.backend.importFiles([{ file, name: 'ba-trang.tif' }], {
      dossierId: null,
      citizenId: null,
    });
    if (!outcome?.ok) throw new Error('import failed');
    const [a, b, c] = outcome.pageIds as [number, number, number];
    expect(await call(first.backend, 'ocr.cancel', { pageIds: [b] })).toEqual({ cancelled: 1 });
    expect((await call(first.backend, 'pages.get', { id: b })).ocrStatus).toBe('cancelled');
    await first.close();

    const second = await openTempBackend({ dataDir: path.join(dir, 'data') });
    try {
      await second.backend.ocr.waitForPages([a, c]);
      const status = (id: number): Promise<string> =>
        call(second.backend, 'pages.get', { id }).then((page) => page.ocrStatus);
      expect([await status(a), await status(b), await status(c)]).toEqual(['done', 'cancelled', 'done']);
      const page = await call(second.backend, 'pages.get', { id: b });
      expect(page.ocrCancelled).toBe(true);
      expect(page.ocrError).toBeNull();
      // Retrying only touches cancelled pages.
      expect(await call(second.backend, 'ocr.retry', { pageIds: [a, b, c] })).toEqual({ queued: 1 });
      await second.backend.ocr.waitForPages([b]);
      const retried = await call(second.backend, 'pages.get', { id: b });
      expect(retried.ocrStatus).toBe('done');
      expect(retried.text).toMatch(/ĐƠN/);
    } finally {
      await second.close();
    }
  });
});

describe('the same page as a PNG and inside a PDF (real backend)', () => {
  it('is recognized once, even when both are queued together: the PDF page reuses the PNG page’s OCR', async () => {
    // Two workers: the PDF's page is taken while the PNG's is still being recognized.
    const { backend, dir, close } = await openTempBackend({ ocrWorkers: 2 });
    try {
      const png = await renderTextPage({ ...PAGE_SIZE, lines: ['GIẤY XÁC NHẬN', 'Số định danh: 079190123456'] });
      const pngFile = path.join(dir, 'xac-nhan.png');
      writeFileSync(pngFile, png);
      // The scan wrapped in a PDF as a scanner would: one lossless image over the whole page.
      const pdf = await PDFDocument.create();
      const image = await pdf.embedPng(png);
      const pt = (px: number): number => (px * 72) / PAGE_SIZE.dpi;
      pdf
        .addPage([pt(PAGE_SIZE.widthPx), pt(PAGE_SIZE.heightPx)])
        .drawImage(image, { x: 0, y: 0, width: pt(PAGE_SIZE.widthPx), height: pt(PAGE_SIZE.heightPx) });
      const pdfFile = path.join(dir, 'xac-nhan.pdf');
      writeFileSync(pdfFile, await pdf.save());

      const target = { dossierId: null, citizenId: null };
      const [fromPng, fromPdf] = await backend.importFiles(
        [
          { file: pngFile, name: 'xac-nhan.png' },
          { file: pdfFile, name: 'xac-nhan.pdf' },
        ],
        target,
      );
      if (!fromPng?.ok || !fromPdf?.ok) throw new Error('import failed');
      await backend.ocr.waitForPages([...fromPng.pageIds, ...fromPdf.pageIds]);

      const row = (id: number | undefined): { image_sha256: string; pixel_sha256: string; ocr_text: string } =>
        backend.db.prepare('SELECT image_sha256, pixel_sha256, ocr_text FROM pages WHERE id = ?').get(id) as {
          image_sha256: string;
          pixel_sha256: string;
          ocr_text: string;
        };
      const [pngPage, pdfPage] = [row(fromPng.pageIds[0]), row(fromPdf.pageIds[0])];
      // Different stored files (MuPDF's rendering even differs by anti-aliasing) ...
      expect(pdfPage.image_sha256).not.toBe(pngPage.image_sha256);
      expect(pdfPage.pixel_sha256).toMatch(/^[0-9a-f]{64}$/);
      // ... the same page, so tesseract ran once.
      expect(backend.ocr.stats).toEqual({ recognized: 1, reused: 1 });
      // The queue's summary in the top bar: both pages done, no time left.
      expect(await call(backend, 'ocr.status', {})).toEqual({
        queued: 0,
        running: 0,
        done: 2,
        failed: 0,
        secondsLeft: 0,
      });
      expect(pdfPage.ocr_text).toBe(pngPage.ocr_text);
      expect(pngPage.ocr_text).toContain('079190123456');

      // The same form with one digit changed is another page: recognized, never reused.
      const other = await renderTextPage({ ...PAGE_SIZE, lines: ['GIẤY XÁC NHẬN', 'Số định danh: 079190123458'] });
      const otherFile = path.join(dir, 'xac-nhan-2.png');
      writeFileSync(otherFile, other);
      const [fromOther] = await backend.importFiles([{ file: otherFile, name: 'xac-nhan-2.png' }], target);
      if (!fromOther?.ok) throw new Error('PNG import failed');
      await backend.ocr.waitForPages(fromOther.pageIds);
      expect(backend.ocr.stats).toEqual({ recognized: 2, reused: 1 });
      expect(row(fromOther.pageIds[0]).ocr_text).toContain('079190123458');
    } finally {
      await close();
    }
  });
});

describe('OCR settings (real backend)', () => {
  it('stores the review threshold, worker count, models and languages, applies them at once and after a restart', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const dataDir = path.join(dir, 'data');
    const first = await openTempBackend({ dataDir, runOcr: false, ocrWorkers: undefined });
    try {
      const before = await call(first.backend, 'ocr.settings', {});
      expect(before.reviewThreshold).toBe(70);
      expect(before.workers).toBe(before.defaultWorkers);
      expect(before.model).toBe('fast');
      expect(before.languages).toBe('vie');
      expect(
        await call(first.backend, 'ocr.updateSettings', {
          reviewThreshold: 85,
          workers: 3,
          model: 'best',
          languages: 'vie+eng',
        }),
      ).toEqual({ reviewThreshold: 85, workers: 3, model: 'best', languages: 'vie+eng' });
      expect(first.backend.ocr.workers).toBe(3);
      expect(first.backend.ocr.model).toBe('best');
      expect(first.backend.ocr.languages).toBe('vie+eng');
      // Out of range, an unknown model, unknown languages: each refused.
      for (const invalid of [
        { reviewThreshold: 101, workers: 0, model: 'best', languages: 'vie' },
        { reviewThreshold: 80, workers: 2, model: 'legacy', languages: 'vie' },
        { reviewThreshold: 80, workers: 2, model: 'fast', languages: 'fra' },
      ]) {
        expect((await first.backend.call('ocr.updateSettings', invalid)).ok).toBe(false);
      }
    } finally {
      await first.close();
    }
    const second = await openTempBackend({ dataDir, runOcr: false, ocrWorkers: undefined });
    try {
      expect(second.backend.ocr.workers).toBe(3);
      expect(second.backend.ocr.model).toBe('best');
      expect(second.backend.ocr.languages).toBe('vie+eng');
      expect(await call(second.backend, 'ocr.settings', {})).toMatchObject({
        reviewThreshold: 85,
        workers: 3,
        model: 'best',
        languages: 'vie+eng',
      });
    } finally {
      await second.close();
    }
  });
});
