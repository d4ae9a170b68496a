import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/core/backend';
import { openBackend } from '../../electron/core/backend';
import { foldText } from '../../shared/domain/fold';
import { SAMPLE_PAGES, characterErrorRate, renderMultiPageTiff, renderTextPage } from '../fixtures/scans';
import { call, tempDir } from '../support/temp-backend';

const form = SAMPLE_PAGES.find((page) => page.name === 'to-khai-khai-sinh');
const letter = SAMPLE_PAGES.find((page) => page.name === 'don-de-nghi-trich-luc');
if (!form || !letter) throw new Error('sample pages missing');

describe('a dossier from scanned pages to searchable records (real SQLite + tesseract.js)', () => {
  const { dir, cleanup } = tempDir();
  const inputs = path.join(dir, 'inputs');
  let backend: Backend;
  let dossierId: string;
  let pageIds: number[] = [];

  beforeAll(async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(inputs);
    // A slightly skewed, JPEG-compressed form and a two-page TIFF (the letter, then the form again
    // as a PNG-derived page): three pages from two files.
    writeFileSync(
      path.join(inputs, 'to-khai.jpg'),
      await renderTextPage({ lines: form.lines, skewDeg: 1.2, jpegQuality: 80 }),
    );
    const tiff = await renderMultiPageTiff([
      await renderTextPage({ lines: letter.lines }),
      await renderTextPage({ lines: ['Trang 2', 'Giấy chứng sinh số 123/2024', 'Bệnh viện Từ Dũ'] }),
    ]);
    writeFileSync(path.join(inputs, 'don.tif'), tiff);
    backend = await openBackend({ dataDir: path.join(dir, 'data'), host: 'cli', ocrWorkers: 2 });
  });

  afterAll(async () => {
    await backend?.close();
    cleanup();
  });

  it('refuses a wrong ID number with a Vietnamese message and creates a dossier for a valid one', async () => {
    const wrong = await backend.call('dossiers.create', { citizenId: '123456789012', procedureCode: '1.001193' });
    expect(wrong.ok).toBe(false);
    if (wrong.ok) return;
    expect(wrong.error.code).toBe('VALIDATION');
    expect(wrong.error.field).toBe('citizenId');
    expect(wrong.error.message).toMatch(/tỉnh|định danh/);

    const dossier = await call(backend, 'dossiers.create', {
      citizenId: '001 0 85 012345',
      citizenName: 'Nguyễn Văn An',
      procedureCode: '1.001193',
    });
    expect(dossier.citizenId).toBe('001085012345');
    expect(dossier.code).toMatch(/^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-0001$/);
    expect(dossier.status).toBe('received');
    dossierId = dossier.id;
  });

  it('imports a JPEG and a multi-page TIFF as pages with thumbnails', async () => {
    const outcomes = await backend.importFiles(
      [
        { file: path.join(inputs, 'to-khai.jpg'), name: 'to-khai.jpg' },
        { file: path.join(inputs, 'don.tif'), name: 'don.tif' },
      ],
      { dossierId, citizenId: null },
    );
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
    pageIds = outcomes.flatMap((o) => (o.ok ? o.pageIds : []));
    expect(pageIds).toHaveLength(3);
    const detail = await call(backend, 'dossiers.get', { id: dossierId });
    expect(detail.documents.map((d) => d.pages.length)).toEqual([1, 2]);
    expect(detail.dossier.status).toBe('digitizing');
    const thumb = await backend.pageImage(pageIds[0] ?? 0, 'thumb');
    expect(thumb.mime).toBe('image/jpeg');
    expect(thumb.bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it('recognizes the drawn Vietnamese text and proposes the ID, procedure and dossier codes', async () => {
    await backend.ocr.waitForPages(pageIds);
    const [formPage, letterPage] = await Promise.all(
      pageIds.slice(0, 2).map((id) => call(backend, 'pages.get', { id })),
    );
    if (!formPage || !letterPage) throw new Error('pages missing');
    expect(formPage.ocrStatus).toBe('done');
    expect(formPage.confidence).toBeGreaterThan(60);
    // The drawn phrases come out with their diacritics, and the page as a whole is close to the
    // truth (a skewed JPEG scan still has the odd misread, so not every character is demanded).
    for (const phrase of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'ĐĂNG KÝ KHAI SINH',
      'Bệnh viện Từ Dũ',
      'Quan hệ với người được khai sinh',
    ])
      expect(formPage.text).toContain(phrase);
    expect(characterErrorRate(form.lines.join('\n'), formPage.text)).toBeLessThan(0.05);
    const proposed = (kind: string) => formPage.tags.filter((tag) => tag.kind === kind).map((tag) => tag.value);
    expect(proposed('citizenId')).toContain('001085012345');
    expect(proposed('procedureCode')).toContain('1.001193');
    expect(proposed('dossierCode')).toContain('000.00.01.H26-231201-0001');
    expect(foldText(letterPage.text)).toContain(foldText('cấp bản sao trích lục khai sinh'));
    expect(letterPage.tags.find((tag) => tag.kind === 'citizenId')?.value).toBe('048085006789');
    // Recognized pages alone leave the dossier digitizing until its checklist is filled.
    expect((await call(backend, 'dossiers.get', { id: dossierId })).dossier.status).toBe('digitizing');
    const checklist = await call(backend, 'checklist.get', { dossierId });
    for (const [index, component] of checklist.components.entries()) {
      const doc = checklist.unassigned[index];
      if (doc) await call(backend, 'checklist.assign', { componentId: component.id, documentId: doc.documentId });
    }
    const detail = await call(backend, 'dossiers.get', { id: dossierId });
    expect(detail.dossier.status).toBe('digitized');
  });

  it('finds pages without diacritics, including đ, with a highlighted snippet in the original text', async () => {
    const hits = await call(backend, 'search.query', { q: 'dang ky khai sinh', limit: 20 });
    const hit = hits.find((h) => h.pageId === pageIds[0]);
    expect(hit).toBeDefined();
    if (!hit) return;
    const marked = hit.highlights.map(([from, to]) => hit.snippet.slice(from, to).toLowerCase());
    expect(marked).toEqual(expect.arrayContaining(['đăng', 'ký', 'khai', 'sinh']));
    expect(hit.citizenId).toBe('001085012345');

    const byName = await call(backend, 'search.query', { q: 'pham minh duc', limit: 20 });
    expect(byName.map((h) => h.pageId)).toContain(pageIds[1]);
    const byId = await call(backend, 'search.query', { q: '001085012345', limit: 20 });
    expect(byId.map((h) => h.pageId)).toContain(pageIds[0]);
    const byCode = await call(backend, 'search.query', { q: '000.00.01.H26-231201-0001', limit: 20 });
    expect(byCode.map((h) => h.pageId)).toContain(pageIds[0]);
    const nothing = await call(backend, 'search.query', { q: 'khong co tu nay xyzzy', limit: 20 });
    expect(nothing).toEqual([]);
  });

  it('accepts any text in the search box without an FTS syntax error', async () => {
    for (const q of [
      '"',
      'dang"ky',
      '*',
      'NEAR(a b',
      'a OR',
      '-khai',
      '^sinh',
      'AND',
      '(((',
      "'; DROP TABLE pages;--",
      '{}:',
      '\u0000',
      'đ',
    ]) {
      const result = await backend.call('search.query', { q, limit: 5 });
      expect(result.ok, q).toBe(true);
    }
  });

  it('lets the clerk confirm, correct or reject a proposed tag, and refuses a wrong correction', async () => {
    const page = await call(backend, 'pages.get', { id: pageIds[0] ?? 0 });
    const idTag = page.tags.find((tag) => tag.kind === 'citizenId');
    if (!idTag) throw new Error('no id tag');
    const confirmed = await call(backend, 'tags.update', { id: idTag.id, status: 'confirmed' });
    expect(confirmed.status).toBe('confirmed');
    const wrong = await backend.call('tags.update', { id: idTag.id, status: 'confirmed', value: '999999999999' });
    expect(wrong.ok).toBe(false);
    const corrected = await call(backend, 'tags.update', {
      id: idTag.id,
      status: 'confirmed',
      value: '079 1 90 123456',
    });
    expect(corrected.value).toBe('079190123456');
    const found = await call(backend, 'search.query', { q: '079190123456', limit: 5 });
    expect(found.map((h) => h.pageId)).toContain(pageIds[0]);
  });

  it('lists what was already digitized for the citizen (the start of reuse)', async () => {
    const docs = await call(backend, 'reuse.lookup', { citizenId: '001085012345' });
    expect(docs.map((d) => d.title).sort()).toEqual(['don', 'to-khai']);
    expect(docs.every((d) => d.dossierId === dossierId)).toBe(true);
    const none = await call(backend, 'reuse.lookup', { citizenId: '079190123456' });
    expect(none).toEqual([]);
    const bad = await backend.call('reuse.lookup', { citizenId: '12345' });
    expect(bad.ok).toBe(false);
  });
});

describe('a restart during OCR resumes the queue', () => {
  it('OCRs pages queued by a process that stopped, and reclaims a job held by a dead process', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = path.join(dir, 'page.png');
      writeFileSync(file, await renderTextPage({ lines: ['Giấy chứng sinh', 'Số định danh cá nhân: 079190123456'] }));
      const second = path.join(dir, 'page2.png');
      writeFileSync(second, await renderTextPage({ lines: ['Đơn đề nghị', 'Mã thủ tục: 1.004227'] }));

      // First life: pages are stored and queued, then the process goes away before OCR.
      const first = await openBackend({ dataDir: path.join(dir, 'data'), host: 'cli', runOcr: false, ocrWorkers: 1 });
      const outcomes = await first.importFiles(
        [
          { file, name: 'page.png' },
          { file: second, name: 'page2.png' },
        ],
        { dossierId: null, citizenId: null },
      );
      const ids = outcomes.flatMap((o) => (o.ok ? o.pageIds : []));
      // One job looks as if a crashed process (a pid that cannot exist) held it mid-OCR.
      first.db
        .prepare(`UPDATE jobs SET status = 'running', owner = ? WHERE subject = ?`)
        .run(`${(await import('node:os')).hostname()}:999999999:dead`, String(ids[1]));
      first.db.prepare(`UPDATE pages SET ocr_status = 'running' WHERE id = ?`).run(ids[1]);
      await first.close();

      const again = await openBackend({ dataDir: path.join(dir, 'data'), host: 'cli', ocrWorkers: 1 });
      try {
        await again.ocr.waitForPages(ids);
        const pages = await Promise.all(ids.map((id) => call(again, 'pages.get', { id })));
        expect(pages.map((p) => p.ocrStatus)).toEqual(['done', 'done']);
        expect(foldText(pages[0]?.text ?? '')).toContain('giay chung sinh');
        expect(foldText(pages[1]?.text ?? '')).toContain('don de nghi');
        const jobs = again.db.prepare(`SELECT status, count(*) AS n FROM jobs GROUP BY status`).all();
        expect(jobs).toEqual([{ status: 'done', n: 2 }]);
      } finally {
        await again.close();
      }
    } finally {
      cleanup();
    }
  });
});
