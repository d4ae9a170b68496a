import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend';
import type { CallInput } from '../../shared/api/contract';
import { renderMultiPageTiff, renderTextPage } from '../fixtures/scans';
import { separatorSheetImages } from '../fixtures/separator-stack';
import { personCalls, tempDir } from '../support/temp-backend';
import { TEST_ADMIN } from '../support/web-session';

/**
 * The "digitizing" status change a page import causes is recorded under the signed-in account
 * that imported (file upload, document camera) or confirmed a staged stack's split, not
 * `system`; the hot folder, which no person drives, stays `system`.
 */

const CLERK = { username: 'lequetso', password: 'mat-khau-can-bo-2', displayName: 'Lê Quét Số', role: 'clerk' };

describe('page import records who imported', () => {
  const { dir, cleanup } = tempDir('sohoa-import-actor-');
  let host: Backend;
  let page: Buffer;
  const callAs = personCalls(() => host);

  const newDossier = async (): Promise<string> =>
    (
      await callAs(TEST_ADMIN.username, 'dossiers.create', {
        citizenId: '048085006789',
        citizenName: 'Phạm Văn Thử',
        procedureCode: '1.001193',
      })
    ).id;

  const history = async (dossierId: string): Promise<[string, string][]> =>
    (await callAs(TEST_ADMIN.username, 'dossiers.history', { dossierId })).map((h) => [h.toStatus, h.actor]);

  beforeAll(async () => {
    host = await openBackend({ dataDir: dir, host: 'browser', runOcr: false, runSync: false, watchHotFolders: false });
    await callAs(TEST_ADMIN.username, 'auth.setup', TEST_ADMIN);
    await callAs(TEST_ADMIN.username, 'users.create', CLERK as CallInput<'users.create'>);
    await callAs(CLERK.username, 'auth.signIn', { username: CLERK.username, password: CLERK.password });
    page = await renderTextPage({ lines: ['Tờ khai đăng ký'], widthPx: 900, heightPx: 1200 });
  });

  afterAll(async () => {
    await host?.close();
    cleanup();
  });

  it('records an upload (pages.import) under the signed-in clerk', async () => {
    const dossierId = await newDossier();
    const token = await host.uploads.receive('to-khai.png', page);
    const [outcome] = await callAs(CLERK.username, 'pages.import', { dossierId, uploads: [token] });
    expect(outcome?.ok).toBe(true);
    expect(await history(dossierId)).toEqual([
      ['received', TEST_ADMIN.username],
      ['digitizing', CLERK.username],
    ]);
  });

  it('records a document camera capture (camera.import) under the signed-in clerk', async () => {
    const dossierId = await newDossier();
    // Another image than the upload above: the same bytes would be a duplicate, with no status change.
    const photo = await renderTextPage({ lines: ['Giấy khai sinh'], widthPx: 900, heightPx: 1200 });
    const token = await host.uploads.receive('anh-chup.png', photo);
    const [capture] = await callAs(CLERK.username, 'camera.import', { dossierId, uploads: [token], documentId: null });
    expect(capture?.outcome.ok).toBe(true);
    expect(await history(dossierId)).toEqual([
      ['received', TEST_ADMIN.username],
      ['digitizing', CLERK.username],
    ]);
  });

  it('records a separated stack under whoever confirms its split (batches.confirm)', async () => {
    const dossierId = await newDossier();
    const sheetsPdf = await callAs(TEST_ADMIN.username, 'separators.pdf', { dossierId });
    const download = host.exports.download(sheetsPdf.token);
    if (!download) throw new Error('no download');
    const chunks: Buffer[] = [];
    for await (const chunk of download.open()) chunks.push(Buffer.from(chunk as Buffer));
    const [sheet] = await separatorSheetImages(Buffer.concat(chunks), dir);
    if (!sheet) throw new Error('no separator sheet');
    const stack = await renderMultiPageTiff([sheet, page]);
    const token = await host.uploads.receive('chong-giay.tif', stack);
    const [staged] = await callAs(CLERK.username, 'pages.import', { dossierId, uploads: [token] });
    expect(staged?.ok === false && staged.error.code).toBe('STAGED');
    const [batch] = await callAs(TEST_ADMIN.username, 'batches.list', { dossierId });
    if (!batch) throw new Error('no staged batch');
    await callAs(TEST_ADMIN.username, 'batches.confirm', { batchId: batch.id });
    expect(await history(dossierId)).toEqual([
      ['received', TEST_ADMIN.username],
      ['digitizing', TEST_ADMIN.username],
    ]);
  });

  it('keeps `system` for an import no person made (the hot folder’s path)', async () => {
    const dossierId = await newDossier();
    const file = path.join(dir, 'tu-may-quet.png');
    writeFileSync(file, await renderTextPage({ lines: ['Sổ hộ khẩu'], widthPx: 900, heightPx: 1200 }));
    const [outcome] = await host.importFiles([{ file, name: 'tu-may-quet.png' }], { dossierId, citizenId: null });
    expect(outcome?.ok).toBe(true);
    expect(await history(dossierId)).toEqual([
      ['received', TEST_ADMIN.username],
      ['digitizing', 'system'],
    ]);
  });

  it('tells a named import how far it is, page by page, in counts only', async () => {
    const dossierId = await newDossier();
    const stack = await renderMultiPageTiff([page, page, page]);
    const seen: unknown[] = [];
    const off = host.events.on('import.progress', (event) => seen.push(event));
    try {
      // The file names name a person: the events must not.
      const tokens = [
        await host.uploads.receive('nguyen-van-an-ho-so.tif', stack),
        // A file not imported before: a duplicate stores no page and so tells nothing.
        await host.uploads.receive('nguyen-van-an-to-khai.png', await renderTextPage({ lines: ['Tờ khai mới'] })),
      ];
      const outcomes = await callAs(CLERK.username, 'pages.import', { dossierId, uploads: tokens, importId: 'nhap-1' });
      expect(outcomes.map((o) => o.ok && o.pageIds.length)).toEqual([3, 1]);
      expect(seen).toEqual([
        { importId: 'nhap-1', file: 1, files: 2, page: 1, pages: 3 },
        { importId: 'nhap-1', file: 1, files: 2, page: 2, pages: 3 },
        { importId: 'nhap-1', file: 1, files: 2, page: 3, pages: 3 },
        { importId: 'nhap-1', file: 2, files: 2, page: 1, pages: 1 },
      ]);
      expect(JSON.stringify(seen)).not.toMatch(/nguyen/u);

      // An import that did not name itself tells nothing.
      seen.length = 0;
      const other = await host.uploads.receive('khac.png', await renderTextPage({ lines: ['Giấy khác'] }));
      await callAs(CLERK.username, 'pages.import', { dossierId, uploads: [other] });
      expect(seen).toEqual([]);
    } finally {
      off();
    }
  });
});
