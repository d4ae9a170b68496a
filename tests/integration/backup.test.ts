import { execFile } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/core/backend';
import { renderTextPage } from '../fixtures/scans';
import { call, tempDir } from '../support/temp-backend';

const run = promisify(execFile);
const SOHOA = path.resolve('bin/sohoa.mjs');

describe('sohoa backup and restore', () => {
  const { dir, cleanup } = tempDir('sohoa-backup-');
  const data = path.join(dir, 'data');
  const backupDir = path.join(dir, 'backup');
  let documentIds: string[] = [];

  beforeAll(async () => {
    const backend = await openBackend({ dataDir: data, host: 'cli', ocrWorkers: 1 });
    try {
      const dossier = await call(backend, 'dossiers.create', {
        citizenId: '079190123456',
        citizenName: 'Trần Thị Bích Ngọc',
        procedureCode: '1.001193',
      });
      const files = [];
      for (const [index, lines] of [
        ['Giấy chứng sinh', 'Bệnh viện Từ Dũ', 'Số định danh cá nhân: 079190123456', 'Ngày sinh: 02/09/1990'],
        ['Tờ khai đăng ký khai sinh', 'Quê quán: thành phố Đà Nẵng', 'Mã thủ tục: 1.001193', 'Giới tính: Nữ'],
      ].entries()) {
        const file = path.join(dir, `page-${index}.png`);
        writeFileSync(file, await renderTextPage({ lines }));
        files.push({ file, name: `page-${index}.png` });
      }
      const outcomes = await backend.importFiles(files, { dossierId: dossier.id, citizenId: null });
      documentIds = outcomes.flatMap((o) => (o.ok ? [o.documentId] : []));
      await backend.ocr.waitForPages(outcomes.flatMap((o) => (o.ok ? o.pageIds : [])));
    } finally {
      await backend.close();
    }
    await run(process.execPath, [SOHOA, 'backup', '--to', backupDir, '--data', data]);
  });

  afterAll(cleanup);

  it('restores into a new folder where every document, page image and search hit is back', async () => {
    const restored = path.join(dir, 'restored');
    const { stdout } = await run(process.execPath, [SOHOA, 'restore', '--from', backupDir, '--data', restored]);
    expect(JSON.parse(stdout)).toMatchObject({ blobs: expect.any(Number) });
    const backend = await openBackend({ dataDir: restored, host: 'cli', runOcr: false });
    try {
      expect(backend.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const reusable = await call(backend, 'reuse.lookup', { citizenId: '079190123456' });
      expect(reusable.map((d) => d.documentId).sort()).toEqual([...documentIds].sort());
      const hits = await call(backend, 'search.query', { q: 'benh vien tu du', limit: 5 });
      expect(hits).toHaveLength(1);
      const image = await backend.pageImage(hits[0]?.pageId ?? 0, 'full');
      expect(image.bytes.length).toBeGreaterThan(1000);
      // Every stored file is there and intact.
      // Stored files are encrypted at rest: their plaintext is checked.
      for (const sha of await backend.store.list()) expect(await backend.store.plainHash(sha)).toBe(sha);
      const rows = backend.db.prepare('SELECT sha256 FROM blobs').all() as { sha256: string }[];
      expect((await backend.store.list()).sort()).toEqual(rows.map((r) => r.sha256).sort());
    } finally {
      await backend.close();
    }
  });

  it('refuses a damaged backup and leaves the target folder untouched', async () => {
    const damagedCopy = path.join(dir, 'damaged');
    await run('cp', ['-r', backupDir, damagedCopy]);
    const objects = path.join(damagedCopy, 'store', 'objects');
    const prefix = readdirSync(objects)[0] ?? '';
    const victim = path.join(objects, prefix, readdirSync(path.join(objects, prefix))[0] ?? '');
    writeFileSync(victim, 'not the original bytes');
    const target = path.join(dir, 'from-damaged');
    const failed = await run(process.execPath, [SOHOA, 'restore', '--from', damagedCopy, '--data', target]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect('code' in failed && failed.code).toBe(1);
    expect('stderr' in failed && failed.stderr).toMatch(/hỏng/);
    expect(existsSync(path.join(target, 'sohoa.db'))).toBe(false);
    expect(existsSync(path.join(target, 'store'))).toBe(false);
  });

  it('refuses to restore over existing data and to back up into a non-empty folder', async () => {
    const overData = await run(process.execPath, [SOHOA, 'restore', '--from', backupDir, '--data', data]).catch(
      (error: { stderr: string }) => error,
    );
    expect('stderr' in overData && overData.stderr).toMatch(/đã có dữ liệu/);
    const again = await run(process.execPath, [SOHOA, 'backup', '--to', backupDir, '--data', data]).catch(
      (error: { stderr: string }) => error,
    );
    expect('stderr' in again && again.stderr).toMatch(/phải trống/);
  });
});
