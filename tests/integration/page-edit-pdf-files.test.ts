import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/core/backend';
import { drainFileQueue } from '../../electron/core/privacy/file-queue';
import { renderTextPage } from '../fixtures/scans';
import { call, openTempBackend } from '../support/temp-backend';

/**
 * A page edit makes the cached PDFs of its document (and dossier) stale: their records are dropped
 * and their files queued, so once the file queue runs the old PDF is gone from the store, unless
 * another record still uses the same bytes.
 */
describe('page edits free the stale cached PDFs', () => {
  let backend: Backend;
  let dir: string;
  let close: () => Promise<void>;
  let dossierId: string;

  beforeAll(async () => {
    ({ backend, dir, close } = await openTempBackend({ runOcr: false, runSync: false, watchHotFolders: false }));
    dossierId = (
      await call(backend, 'dossiers.create', {
        citizenId: '001085012345',
        citizenName: 'Nguyễn Văn Thử',
        procedureCode: '1.001193',
      })
    ).id;
  });

  afterAll(async () => {
    await close?.();
  });

  /** A one-page document in `into`, from a page of its own text. */
  async function importDocument(into: string, text: string): Promise<{ documentId: string; pageId: number }> {
    const file = path.join(dir, `${text.replace(/\W/gu, '-')}.png`);
    writeFileSync(file, await renderTextPage({ lines: [text], widthPx: 700, heightPx: 900 }));
    const [outcome] = await backend.importFiles([{ file, name: path.basename(file) }], {
      dossierId: into,
      citizenId: null,
    });
    if (!outcome?.ok || outcome.duplicate) throw new Error('import failed');
    const pageId = outcome.pageIds[0];
    if (pageId === undefined) throw new Error('no page');
    return { documentId: outcome.documentId, pageId };
  }

  const renditions = (): number =>
    (backend.db.prepare('SELECT count(*) AS n FROM pdf_renditions').get() as { n: number }).n;

  it('removes the PDFs of a rotated page’s and a deleted page’s document, keeps one still used elsewhere', async () => {
    const rotated = await importDocument(dossierId, 'Tờ khai xoay');
    const deleted = await importDocument(dossierId, 'Giấy tờ xóa');
    const shared = await importDocument(dossierId, 'Bản sao dùng chung');
    const rotatedPdf = (await backend.exports.documentPdf(rotated.documentId)).sha256;
    const deletedPdf = (await backend.exports.documentPdf(deleted.documentId)).sha256;
    const sharedPdf = (await backend.exports.documentPdf(shared.documentId)).sha256;
    const dossierPdf = (await backend.exports.dossierPdf(dossierId)).sha256;
    // The shared PDF, saved and scanned in again as another dossier's document: its bytes are
    // that document's source from now on.
    const other = (
      await call(backend, 'dossiers.create', {
        citizenId: '079190123456',
        citizenName: 'Trần Thị Thử',
        procedureCode: '1.001193',
      })
    ).id;
    const copy = path.join(dir, 'ban-sao.pdf');
    writeFileSync(copy, await backend.store.read(sharedPdf));
    const [reimported] = await backend.importFiles([{ file: copy, name: 'ban-sao.pdf' }], {
      dossierId: other,
      citizenId: null,
    });
    expect(reimported?.ok).toBe(true);
    expect(renditions()).toBe(4);

    await call(backend, 'pages.rotate', { pageId: rotated.pageId, turn: 90 });
    await call(backend, 'pages.delete', { pageId: deleted.pageId });
    await call(backend, 'pages.rotate', { pageId: shared.pageId, turn: 180 });
    // Dropped with the edits, in their transactions; the files wait for the queue.
    expect(renditions()).toBe(0);
    expect(await backend.store.has(rotatedPdf)).toBe(true);

    await drainFileQueue(backend.db, backend.store);
    expect(await backend.store.has(rotatedPdf)).toBe(false);
    expect(await backend.store.has(deletedPdf)).toBe(false);
    expect(await backend.store.has(dossierPdf)).toBe(false);
    expect(await backend.store.has(sharedPdf)).toBe(true);
    const queued = backend.db.prepare('SELECT count(*) AS n FROM privacy_file_queue').get() as { n: number };
    expect(queued.n).toBe(0);

    // A fresh PDF is built from the edited pages.
    const rebuilt = await backend.exports.documentPdf(rotated.documentId);
    expect(rebuilt.sha256).not.toBe(rotatedPdf);
    expect(await backend.store.has(rebuilt.sha256)).toBe(true);
  });
});
