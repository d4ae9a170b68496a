/**
 * The dossier PDF's bookmarks and the removal of superseded PDFs (real SQLite, sharp, pdf-lib,
 * MuPDF reading the outline back, poppler's pdfinfo). OCR is off: bookmarks need no text.
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import * as mupdf from 'mupdf';
import { PDFDocument, PDFName } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/core/backend';
import { nowIso } from '../../electron/core/db/database';
import { drainFileQueue, queueFiles } from '../../electron/core/privacy/file-queue';
import { renderTextPage } from '../fixtures/scans';
import { call, openTempBackend } from '../support/temp-backend';

const run = promisify(execFile);
const PAGE = { widthPx: 800, heightPx: 500 } as const;

interface Bookmark {
  title: string;
  page: number;
}

function outlineOf(bytes: Buffer): Bookmark[] {
  const doc = mupdf.Document.openDocument(bytes, 'application/pdf');
  try {
    return (doc.loadOutline() ?? []).map((item) => ({ title: item.title ?? '', page: item.page ?? -1 }));
  } finally {
    doc.destroy();
  }
}

describe('dossier PDF bookmarks and superseded PDFs (real backend)', () => {
  let backend: Backend;
  let dir: string;
  let close: () => Promise<void>;
  let dossierId: string;
  const documentIds: string[] = [];

  beforeAll(async () => {
    ({ backend, dir, close } = await openTempBackend({ runOcr: false }));
    dossierId = (
      await call(backend, 'dossiers.create', {
        citizenId: '048085006789',
        citizenName: 'Lê Văn Cường',
        procedureCode: '1.001193',
      })
    ).id;
    for (const [name, lines] of [
      ['to-khai.png', ['TỜ KHAI', 'Trang 1']],
      ['phu-luc.png', ['PHỤ LỤC', 'Trang 1'], ['PHỤ LỤC', 'Trang 2']],
      ['giay-khac.png', ['GIẤY TỜ KHÁC']],
    ] as const) {
      const file = path.join(dir, name);
      writeFileSync(file, await renderTextPage({ ...PAGE, lines: [...lines] }));
      const [outcome] = await backend.importFiles([{ file, name }], { dossierId, citizenId: null });
      if (!outcome?.ok) throw new Error(`import of ${name} failed`);
      documentIds.push(outcome.documentId);
    }
  });

  afterAll(async () => {
    await close?.();
  });

  it('has one bookmark per document, named by its checklist component, else its title, at its first page', async () => {
    const checklist = await call(backend, 'checklist.get', { dossierId });
    const component = checklist.components[0];
    if (!component) throw new Error('the sample procedure has no components');
    await call(backend, 'checklist.assign', { componentId: component.id, documentId: documentIds[0] ?? '' });

    const pdf = await backend.exports.dossierPdf(dossierId);
    const bytes = await backend.store.read(pdf.sha256);
    expect(outlineOf(bytes)).toEqual([
      { title: component.name, page: 0 },
      { title: 'phu-luc', page: 1 },
      { title: 'giay-khac', page: 2 },
    ]);
    // Readers open with the bookmarks shown; poppler reads the file as a whole.
    const file = path.join(dir, 'ho-so.pdf');
    writeFileSync(file, bytes);
    const { stdout } = await run('pdfinfo', [file]);
    expect(stdout).toMatch(/Pages:\s+3/);
    const loaded = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(loaded.catalog.get(PDFName.of('PageMode'))).toBe(PDFName.of('UseOutlines'));
  });

  it('removes the superseded dossier PDF from the store once a new one replaces it', async () => {
    const before = await backend.exports.dossierPdf(dossierId);
    expect(existsSync(backend.store.pathOf(before.sha256))).toBe(true);
    // A change to what the PDF is made of (here the document's type) makes a new PDF.
    await call(backend, 'documents.setType', { documentId: documentIds[2] ?? '', code: 'to-khai' });
    const after = await backend.exports.dossierPdf(dossierId);
    expect(after.sha256).not.toBe(before.sha256);
    expect(existsSync(backend.store.pathOf(after.sha256))).toBe(true);
    expect(existsSync(backend.store.pathOf(before.sha256))).toBe(false);
    expect(backend.db.prepare('SELECT 1 FROM blobs WHERE sha256 = ?').get(before.sha256)).toBeUndefined();
    expect(backend.db.prepare('SELECT count(*) AS n FROM privacy_file_queue').get()).toEqual({ n: 0 });
    // The document's own PDF is another rendition: untouched.
    const documentPdf = await backend.exports.documentPdf(documentIds[0] ?? '');
    expect(existsSync(backend.store.pathOf(documentPdf.sha256))).toBe(true);
  });

  it('finishes a removal a crash interrupted, and keeps a PDF something still refers to', async () => {
    const live = await backend.exports.dossierPdf(dossierId);
    // A dead PDF queued by a process that died before draining, and the live one queued by mistake.
    const dead = await backend.store.put(Buffer.from('%PDF-1.7\n% dead rendition\n'));
    backend.db
      .prepare(`INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, ?, 'application/pdf', ?)`)
      .run(dead.sha256, dead.size, nowIso());
    backend.db.transaction(() => queueFiles(backend.db, [dead.sha256, live.sha256], null))();
    await drainFileQueue(backend.db, backend.store);
    expect(existsSync(backend.store.pathOf(dead.sha256))).toBe(false);
    expect(existsSync(backend.store.pathOf(live.sha256))).toBe(true);
    expect(outlineOf(await backend.store.read(live.sha256))).toHaveLength(3);
  });
});
