import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend';
import type { CallInput, CallOutput } from '../../shared/api/contract';
import { vietnamIsoDate } from '../../shared/domain/working-days';
import { renderTextPage } from '../fixtures/scans';
import { personCalls, tempDir } from '../support/temp-backend';
import { TEST_ADMIN } from '../support/web-session';

/**
 * Who received a dossier and who moved it along is the signed-in account, not the workstation:
 * two people signed in to the same backend get their own names in the status history and their
 * own rows in the "by clerk" report; the CLI acts as its SOHOA_USER (or the administrator).
 */

const CLERK = { username: 'letiepnhan', password: 'mat-khau-can-bo-1', displayName: 'Lê Tiếp Nhận', role: 'clerk' };

describe('the signed-in account is recorded as the actor', () => {
  const { dir, cleanup } = tempDir('sohoa-actor-');
  let host: Backend;
  /** A call as a person through a host (the HTTP and IPC hosts pass the session token like this). */
  const callAs = personCalls(() => host);

  beforeAll(async () => {
    host = await openBackend({ dataDir: dir, host: 'browser', runOcr: false, runSync: false, watchHotFolders: false });
    await callAs(TEST_ADMIN.username, 'auth.setup', TEST_ADMIN);
    await callAs(TEST_ADMIN.username, 'users.create', CLERK as CallInput<'users.create'>);
    await callAs(CLERK.username, 'auth.signIn', { username: CLERK.username, password: CLERK.password });
  });

  afterAll(async () => {
    await host?.close();
    cleanup();
  });

  it('records reception and each later change under the person who made it, and reports by them', async () => {
    const received = async (who: string) =>
      callAs(who, 'dossiers.create', {
        citizenId: '001085012345',
        citizenName: 'Nguyễn Văn Thử',
        procedureCode: '1.001193',
      });
    const byClerk = await received(CLERK.username);
    await received(CLERK.username);
    const byAdmin = await received(TEST_ADMIN.username);

    const history = await callAs(TEST_ADMIN.username, 'dossiers.history', { dossierId: byClerk.id });
    expect(history.map((h) => [h.toStatus, h.actor])).toEqual([['received', CLERK.username]]);

    // Each later change is recorded under whoever made it. Recognition finishing is the app's own
    // work (the OCR runner's 'system'); here it is marked done in SQLite, OCR is not under test.
    const file = path.join(dir, 'to-khai.png');
    writeFileSync(file, await renderTextPage({ lines: ['Tờ khai'], widthPx: 900, heightPx: 500 }));
    const [imported] = await host.importFiles([{ file, name: 'to-khai.png' }], {
      dossierId: byAdmin.id,
      citizenId: null,
    });
    if (!imported?.ok) throw new Error('import failed');
    host.db.prepare(`UPDATE pages SET ocr_status = 'done' WHERE document_id = ?`).run(imported.documentId);
    const [tk, gcs] = (await callAs(TEST_ADMIN.username, 'checklist.get', { dossierId: byAdmin.id })).components;
    if (!tk || !gcs) throw new Error('checklist');
    await callAs(CLERK.username, 'checklist.assign', { componentId: tk.id, documentId: imported.documentId });
    await callAs(CLERK.username, 'checklist.markMissing', { componentId: gcs.id, reason: 'Chưa nộp' });
    await callAs(TEST_ADMIN.username, 'dossiers.recordResult', { dossierId: byAdmin.id, resultCode: 'KQ.G15.000031' });
    await callAs(CLERK.username, 'dossiers.markReturned', { dossierId: byAdmin.id });
    const moved = await callAs(TEST_ADMIN.username, 'dossiers.history', { dossierId: byAdmin.id });
    expect(moved.map((h) => [h.toStatus, h.actor])).toEqual([
      ['received', TEST_ADMIN.username],
      ['digitizing', 'system'],
      ['digitized', CLERK.username],
      ['result_recorded', TEST_ADMIN.username],
      ['returned', CLERK.username],
    ]);

    const today = vietnamIsoDate(new Date());
    const report = await callAs(TEST_ADMIN.username, 'reports.indicators', { from: today, to: today, by: 'clerk' });
    expect(report.groups.map((g) => [g.group, g.received])).toEqual([
      [CLERK.username, 2], // letiepnhan sorts before quantri
      [TEST_ADMIN.username, 1],
    ]);
  });

  it('records the CLI’s --user / SOHOA_USER account, or the administrator', async () => {
    const before = process.env.SOHOA_USER;
    try {
      for (const [user, expected] of [
        [CLERK.username, CLERK.username],
        ['', TEST_ADMIN.username],
      ] as const) {
        process.env.SOHOA_USER = user;
        const cli = await openBackend({ dataDir: dir, host: 'cli', runOcr: false, runSync: false });
        try {
          const result = await cli.call('dossiers.create', {
            citizenId: '079190123456',
            citizenName: 'Trần Thị Thử',
            procedureCode: '1.001193',
          });
          if (!result.ok) throw new Error(result.error.message);
          const { id } = result.value as CallOutput<'dossiers.create'>;
          const history = await cli.call('dossiers.history', { dossierId: id });
          expect(history.ok && (history.value as CallOutput<'dossiers.history'>)[0]?.actor).toBe(expected);
        } finally {
          await cli.close();
        }
      }
    } finally {
      if (before === undefined) delete process.env.SOHOA_USER;
      else process.env.SOHOA_USER = before;
    }
  });
});
