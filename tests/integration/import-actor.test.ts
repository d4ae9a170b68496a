import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend';
import type { CallInput, CallName, CallOutput } from '../../shared/api/contract';
import { renderTextPage } from '../fixtures/scans';
import { tempDir } from '../support/temp-backend';
import { TEST_ADMIN } from '../support/web-session';

/**
 * The "digitizing" status change a page import causes is recorded under the signed-in account
 * that imported (file upload, document camera), not `system`; the hot folder, which no person
 * drives, stays `system`.
 */

const CLERK = { username: 'lequetso', password: 'mat-khau-can-bo-2', displayName: 'Lê Quét Số', role: 'clerk' };

describe('page import records who imported', () => {
  const { dir, cleanup } = tempDir('sohoa-import-actor-');
  let host: Backend;
  const tokens: Record<string, string> = {};
  let page: Buffer;

  async function callAs<N extends CallName>(who: string, name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    const result = await host.call(name, input, {
      token: tokens[who] ?? null,
      fromPerson: true,
      onSession: (token) => {
        if (token) tokens[who] = token;
      },
    });
    if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
    return result.value as CallOutput<N>;
  }

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
});
