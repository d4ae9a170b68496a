/**
 * OCR in production (real SQLite, sharp, tesseract.js with one worker, poppler): a page image OCR'd
 * once is not recognized again inside another file, queued pages can be cancelled and queued
 * again, and a clerk's word correction reaches the text, the search index, the tags and the PDF.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/core/backend';
import { renderMultiPageTiff, renderTextPage } from '../fixtures/scans';
import { call, openTempBackend } from '../support/temp-backend';

const run = promisify(execFile);

/** Small pages: a few lines each, so OCR stays quick. */
const PAGE_SIZE = { widthPx: 1000, heightPx: 500 } as const;
const idPage = (): Promise<Buffer> =>
  renderTextPage({ ...PAGE_SIZE, lines: ['GIẤY XÁC NHẬN', 'Họ và tên: Trần Thị Bình', 'Số định danh: 001085012345'] });
const letterPage = (): Promise<Buffer> =>
  renderTextPage({ ...PAGE_SIZE, lines: ['ĐƠN ĐỀ NGHỊ', 'Kính gửi: Ủy ban nhân dân phường'] });
const noticePage = (): Promise<Buffer> =>
  renderTextPage({ ...PAGE_SIZE, lines: ['THÔNG BÁO', 'Lịch tiếp công dân thứ Hai'] });

describe('OCR reuse, cancel and review (real backend)', () => {
  let backend: Backend;
  let dir: string;
  let close: () => Promise<void>;
  let dossierId: string;
  let idPageId: number;

  function pageRow(id: number): { image_sha256: string; ocr_text: string; ocr_words: string; ocr_status: string } {
    return backend.db
      .prepare('SELECT image_sha256, ocr_text, ocr_words, ocr_status FROM pages WHERE id = ?')
      .get(id) as { image_sha256: string; ocr_text: string; ocr_words: string; ocr_status: string };
  }

  async function importBytes(name: string, bytes: Buffer): Promise<{ documentId: string; pageIds: number[] }> {
    const file = path.join(dir, name);
    writeFileSync(file, bytes);
    const [outcome] = await backend.importFiles([{ file, name }], { dossierId, citizenId: null });
    if (!outcome?.ok) throw new Error(`import of ${name} failed`);
    return outcome;
  }

  /** A decrypted copy of a stored file for pdftotext (the store keeps files encrypted at rest). */
  async function plainCopy(sha256: string): Promise<string> {
    const file = path.join(dir, `${sha256}.pdf`);
    writeFileSync(file, await backend.store.read(sha256));
    return file;
  }

  beforeAll(async () => {
    ({ backend, dir, close } = await openTempBackend({ ocrWorkers: 1 }));
    const dossier = await call(backend, 'dossiers.create', {
      citizenId: '001085012345',
      citizenName: 'Trần Thị Bình',
      procedureCode: '1.001193',
    });
    dossierId = dossier.id;
  });

  afterAll(async () => {
    await close?.();
  });

  it('reuses the OCR of a page image already recognized when it comes again inside a TIFF', async () => {
    // A one-page TIFF: pages of TIFFs are archived as lossless PNG, so the same page inside another
    // TIFF is the same stored image. (A lone PNG or JPEG is archived byte for byte as scanned.)
    const single = await importBytes('xac-nhan.tif', await renderMultiPageTiff([await idPage()]));
    idPageId = single.pageIds[0] ?? 0;
    await backend.ocr.waitForPages(single.pageIds);
    expect(backend.ocr.stats).toEqual({ recognized: 1, reused: 0 });

    const tiff = await importBytes('ho-so.tif', await renderMultiPageTiff([await letterPage(), await idPage()]));
    await backend.ocr.waitForPages(tiff.pageIds);
    const [letterId, copyId] = tiff.pageIds as [number, number];
    // The same scan inside another file is the same stored image ...
    expect(pageRow(copyId).image_sha256).toBe(pageRow(idPageId).image_sha256);
    // ... and only the new page went through tesseract.
    expect(backend.ocr.stats).toEqual({ recognized: 2, reused: 1 });
    expect(pageRow(copyId).ocr_status).toBe('done');
    expect(pageRow(copyId).ocr_text).toBe(pageRow(idPageId).ocr_text);
    expect(pageRow(copyId).ocr_words).toBe(pageRow(idPageId).ocr_words);
    expect(pageRow(letterId).ocr_text).toMatch(/ĐƠN/);
    // The copy gets its own tag proposals, as a recognized page does.
    const copy = await call(backend, 'pages.get', { id: copyId });
    expect(copy.tags.map((tag) => tag.value)).toContain('001085012345');
    const hits = await call(backend, 'search.query', { q: 'Kính gửi' });
    expect(hits.map((hit) => hit.pageId)).toContain(letterId);
  });

  it('cancels queued pages (a page being recognized finishes) and queues them again', async () => {
    // One worker: the first page is claimed at once, the other two wait in the queue.
    const tiff = await importBytes(
      'thong-bao.tif',
      await renderMultiPageTiff([await noticePage(), await letterPage(), await idPage()]),
    );
    const cancel = await call(backend, 'ocr.cancel', { dossierId });
    expect(cancel.cancelled).toBe(2);
    const [firstId, secondId, thirdId] = tiff.pageIds as [number, number, number];
    const second = await call(backend, 'pages.get', { id: secondId });
    expect(second.ocrStatus).toBe('cancelled');
    expect(second.ocrCancelled).toBe(true);
    expect(second.ocrError).toBeNull();
    const status = await call(backend, 'ocr.status', {});
    expect(status.queued).toBe(0);

    await backend.ocr.waitForPages([firstId]);
    expect(pageRow(firstId).ocr_status).toBe('done');
    expect(pageRow(thirdId).ocr_status).toBe('cancelled');

    const retry = await call(backend, 'ocr.retry', { pageIds: [firstId, secondId, thirdId] });
    expect(retry.queued).toBe(2);
    await backend.ocr.waitForPages([secondId, thirdId]);
    const again = await call(backend, 'pages.get', { id: thirdId });
    expect(again.ocrStatus).toBe('done');
    expect(again.ocrCancelled).toBe(false);
    // Both had identical twins recognized before: no new tesseract work.
    expect(backend.ocr.stats).toEqual({ recognized: 3, reused: 3 });
  });

  it('flags pages under the review threshold', async () => {
    const page = await call(backend, 'pages.get', { id: idPageId });
    expect(page.confidence).not.toBeNull();
    expect(page.needsReview).toBe(false);
    // The dossier counts its flagged pages, for the dossier list, by the same rule.
    const flagged = async (threshold: number): Promise<number> => {
      const { documents } = await call(backend, 'dossiers.get', { id: dossierId });
      const pages = documents.flatMap((d) => d.pages).filter((p) => p.ocrStatus === 'done');
      expect(pages.length).toBeGreaterThan(1);
      return pages.filter((p) => p.confidence !== null && p.confidence < threshold).length;
    };
    const listed = async (): Promise<number | undefined> =>
      (await call(backend, 'dossiers.list', {})).find((d) => d.id === dossierId)?.pagesToReview;
    expect(await listed()).toBe(await flagged(70));
    // Views that count pages to check hear that the threshold changed.
    const heard: (number | null)[] = [];
    const off = backend.events.on('ocr.reviewed', (event) => heard.push(event.pageId));
    await call(backend, 'ocr.setReviewThreshold', { threshold: 100 });
    off();
    expect(heard).toEqual([null]);
    expect((await call(backend, 'pages.get', { id: idPageId })).needsReview).toBe((page.confidence ?? 0) < 100);
    expect(await listed()).toBe(await flagged(100));
    expect(await listed()).toBeGreaterThan(0);
    expect((await call(backend, 'dossiers.get', { id: dossierId })).dossier.pagesToReview).toBe(await flagged(100));
    await call(backend, 'ocr.setReviewThreshold', { threshold: 70 });
  });

  it('a corrected word changes the stored text, search, tags and the PDF text layer', async () => {
    const review = await call(backend, 'pages.ocrReview', { pageId: idPageId });
    expect(review.threshold).toBe(70);
    const idWord = review.words.find((word) => word.text.includes('001085012345'));
    const nameWord = review.words.find((word) => word.text === 'Bình');
    if (!idWord || !nameWord) throw new Error(`words not recognized: ${review.words.map((w) => w.text).join(' ')}`);
    expect((await call(backend, 'search.query', { q: 'Quỳnh' })).map((hit) => hit.pageId)).not.toContain(idPageId);
    // An export before the correction: the cached PDF must not be served afterwards.
    const documentId = (await call(backend, 'pages.get', { id: idPageId })).documentId;
    const before = await backend.exports.documentPdf(documentId);
    expect((await run('pdftotext', [await plainCopy(before.sha256), '-'])).stdout).toContain('001085012345');

    const heard: (number | null)[] = [];
    const off = backend.events.on('ocr.reviewed', (event) => heard.push(event.pageId));
    await call(backend, 'pages.correctWord', { pageId: idPageId, index: nameWord.index, text: 'Quỳnh' });
    const after = await call(backend, 'pages.correctWord', {
      pageId: idPageId,
      index: idWord.index,
      text: '079190123456',
    });
    off();
    // The dossier list recounts the pages to check after each.
    expect(heard).toEqual([idPageId, idPageId]);
    expect(after.words[nameWord.index]).toMatchObject({ text: 'Quỳnh', confidence: 100 });

    const page = await call(backend, 'pages.get', { id: idPageId });
    // Line structure kept: the name line is its own line.
    expect(page.text.split('\n')).toContain('Họ và tên: Trần Thị Quỳnh');
    expect(page.text).not.toContain('001085012345');
    const tagValues = page.tags.filter((tag) => tag.status !== 'rejected').map((tag) => tag.value);
    expect(tagValues).toContain('079190123456');
    expect(tagValues).not.toContain('001085012345');

    expect((await call(backend, 'search.query', { q: 'Quỳnh' })).map((hit) => hit.pageId)).toContain(idPageId);

    const pdf = await backend.exports.documentPdf(page.documentId);
    const { stdout } = await run('pdftotext', [await plainCopy(pdf.sha256), '-']);
    expect(stdout).toContain('Trần Thị Quỳnh');
    expect(stdout).toContain('079190123456');
    expect(stdout).not.toContain('001085012345');
  });

  it('refuses a correction of a word that is not there, in Vietnamese', async () => {
    const result = await backend.call('pages.correctWord', { pageId: idPageId, index: 9999, text: 'x' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION');
    expect(result.error.message).toMatch(/Không tìm thấy từ/);
  });
});

describe('the same page twice in one file, two OCR workers (real backend)', () => {
  it('recognizes it once: the second copy waits for the first instead of running alongside it', async () => {
    const { backend, dir, close } = await openTempBackend({ ocrWorkers: 2 });
    try {
      const file = path.join(dir, 'hai-ban.tif');
      const copy = await noticePage();
      writeFileSync(file, await renderMultiPageTiff([copy, copy]));
      const [outcome] = await backend.importFiles([{ file, name: 'hai-ban.tif' }], {
        dossierId: null,
        citizenId: null,
      });
      if (!outcome?.ok) throw new Error('import failed');
      await backend.ocr.waitForPages(outcome.pageIds);
      expect(backend.ocr.stats).toEqual({ recognized: 1, reused: 1 });
      const texts = outcome.pageIds.map(
        (id) =>
          (backend.db.prepare('SELECT ocr_text FROM pages WHERE id = ?').get(id) as { ocr_text: string }).ocr_text,
      );
      expect(texts[0]).toMatch(/THÔNG BÁO/);
      expect(texts[1]).toBe(texts[0]);
    } finally {
      await close();
    }
  });
});
