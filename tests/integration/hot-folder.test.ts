/**
 * Scanner hot folder: a file is taken only once completely written, archived (never deleted),
 * imported exactly once even when the process is killed between any two steps, and a copy of a
 * stored file is flagged as a duplicate. Real files, real SQLite, real child processes killed with
 * SIGKILL. The clock is the service's own (injected), so "quiet for a while" needs no sleeping.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/core/backend';
import { ARCHIVE_DIR, HotFolderService, type HotFolderOptions } from '../../electron/core/hot-folder/hot-folder';
import { JobQueue } from '../../electron/core/jobs/job-queue';
import { importFile } from '../../electron/core/pages/page-import';
import { renderTextPage } from '../fixtures/scans';
import { call, openTempBackend, tempDir } from '../support/temp-backend';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = path.join(REPO, 'tests', 'support', 'hot-folder-child.ts');
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

let scanA: Buffer;
let scanB: Buffer;
beforeAll(async () => {
  const page = (title: string, seed: number): Promise<Buffer> =>
    renderTextPage({
      lines: [title, 'Họ và tên: Lê Hoàng Phúc', 'Số định danh cá nhân: 048085006789', 'Ngày 05 tháng 12 năm 2023'],
      widthPx: 1100,
      heightPx: 800,
      noiseSeed: seed,
      jpegQuality: 85,
    });
  [scanA, scanB] = await Promise.all([page('GIẤY KHAI SINH', 1), page('GIẤY CHỨNG NHẬN KẾT HÔN', 2)]);
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Rig {
  backend: Backend;
  folder: string;
  dataDir: string;
  clock: { now: number };
  service: HotFolderService;
}

/** A backend without OCR (imports queue it) and a hot folder on a temp folder with a test clock. */
async function rig(dataDir?: string, folder?: string, extra: Partial<HotFolderOptions> = {}): Promise<Rig> {
  const opened = await openTempBackend({ runOcr: false, ...(dataDir ? { dataDir } : {}) });
  cleanups.push(opened.close);
  let watched = folder;
  if (!watched) {
    const made = tempDir('sohoa-hot-');
    cleanups.push(made.cleanup);
    watched = made.dir;
  }
  const clock = { now: Date.now() };
  const jobs = new JobQueue(opened.backend.db);
  const service = new HotFolderService({
    db: opened.backend.db,
    importFiles: async (files, target) => {
      const outcomes = [];
      for (const { file, name } of files)
        outcomes.push(
          await importFile({ db: opened.backend.db, store: opened.backend.store, jobs }, file, name, target),
        );
      return outcomes;
    },
    folders: [watched],
    quietMs: 60_000,
    now: () => clock.now,
    ...extra,
  });
  cleanups.push(() => service.stop());
  return { backend: opened.backend, folder: watched, dataDir: opened.dir, clock, service };
}

function claims(
  backend: Backend,
): { name: string; status: string; document_id: string | null; archive_path: string }[] {
  return backend.db
    .prepare('SELECT name, status, document_id, archive_path FROM hot_folder_claims ORDER BY id')
    .all() as {
    name: string;
    status: string;
    document_id: string | null;
    archive_path: string;
  }[];
}

function documentsWith(backend: Backend, bytes: Buffer): { id: string; dossier_id: string | null }[] {
  return backend.db.prepare('SELECT id, dossier_id FROM documents WHERE source_sha256 = ?').all(sha256(bytes)) as {
    id: string;
    dossier_id: string | null;
  }[];
}

function archived(folder: string): string[] {
  const root = path.join(folder, ARCHIVE_DIR);
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

/** Moves the test clock past the quiet period and scans twice (a file must look the same twice). */
async function settle(r: Rig): Promise<void> {
  r.clock.now += 3_600_000;
  await r.service.scanOnce();
  await r.service.scanOnce();
}

describe('hot folder', () => {
  it('does not take a file while it is being written, then takes it whole', async () => {
    const r = await rig();
    const file = path.join(r.folder, 'scan0001.jpg');
    const half = Math.floor(scanA.length / 2);
    writeFileSync(file, scanA.subarray(0, half));
    await r.service.scanOnce();
    await r.service.scanOnce();
    // Same size twice, but written a moment ago (the clock has not moved past the quiet period).
    expect(claims(r.backend)).toHaveLength(0);

    r.clock.now += 3_600_000;
    appendFileSync(file, scanA.subarray(half, half + 1000));
    await r.service.scanOnce();
    // Quiet by the clock, but grew since the last look: still being written.
    expect(claims(r.backend)).toHaveLength(0);

    appendFileSync(file, scanA.subarray(half + 1000));
    await settle(r);
    expect(claims(r.backend)).toMatchObject([{ name: 'scan0001.jpg', status: 'imported' }]);
    // What was imported is the whole file, not the half seen first.
    expect(documentsWith(r.backend, scanA)).toHaveLength(1);
  });

  it('moves the original into archive/, never deletes it, and imports into the open dossier or the inbox', async () => {
    const r = await rig();
    writeFileSync(path.join(r.folder, 'khai-sinh.jpg'), scanA);
    await settle(r);
    expect(existsSync(path.join(r.folder, 'khai-sinh.jpg'))).toBe(false);
    const [first] = archived(r.folder);
    expect(first).toMatch(/^\d{4}-\d{2}-\d{2}[\\/]khai-sinh\.jpg$/);
    expect(readFileSync(path.join(r.folder, ARCHIVE_DIR, first!)).equals(scanA)).toBe(true);
    expect(documentsWith(r.backend, scanA)).toMatchObject([{ dossier_id: null }]);

    const dossier = await call(r.backend, 'dossiers.create', {
      citizenId: '048085006789',
      citizenName: 'Lê Hoàng Phúc',
      procedureCode: '1.001193',
    });
    r.service.setTarget(dossier.id);
    // A scanner reusing a file name: archived beside the first, not over it.
    writeFileSync(path.join(r.folder, 'khai-sinh.jpg'), scanB);
    await settle(r);
    expect(documentsWith(r.backend, scanB)).toMatchObject([{ dossier_id: dossier.id }]);
    expect(archived(r.folder).sort()).toEqual([first, first!.replace('khai-sinh.jpg', 'khai-sinh (2).jpg')].sort());
  });

  it('flags a file already stored (same sha256) as a duplicate, archived and not imported again', async () => {
    const r = await rig();
    writeFileSync(path.join(r.folder, 'lan-1.jpg'), scanA);
    await settle(r);
    writeFileSync(path.join(r.folder, 'lan-2-ban-sao.jpg'), scanA);
    await settle(r);
    const [original, copy] = claims(r.backend);
    expect(original).toMatchObject({ status: 'imported' });
    expect(copy).toMatchObject({ status: 'duplicate', document_id: original!.document_id });
    expect(documentsWith(r.backend, scanA)).toHaveLength(1);
    expect(archived(r.folder)).toHaveLength(2);
    const status = await r.service.status();
    expect(status.recent.map((claim) => claim.status)).toEqual(['duplicate', 'imported']);
  });

  it('once started, takes files by itself (watch events and periodic scans), Unicode names included', async () => {
    const r = await rig(undefined, undefined, { quietMs: 200, scanIntervalMs: 200, now: Date.now });
    r.service.start();
    // Decomposed (NFD), as macOS writes names: kept as found on disk, shown in NFC.
    const name = 'Tờ khai – Nguyễn Thị Ánh.jpg'.normalize('NFD');
    writeFileSync(path.join(r.folder, name), scanB);
    for (let i = 0; i < 300 && claims(r.backend).every((claim) => claim.status !== 'imported'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(claims(r.backend)).toMatchObject([{ name, status: 'imported' }]);
    expect(existsSync(path.join(r.folder, name))).toBe(false);
    const [doc] = documentsWith(r.backend, scanB);
    const stored = r.backend.db.prepare('SELECT source_name FROM documents WHERE id = ?').get(doc!.id) as {
      source_name: string;
    };
    expect(stored.source_name).toBe('Tờ khai – Nguyễn Thị Ánh.jpg');
  });

  it('refuses a bad file with a reason, keeps it in the archive and goes on', async () => {
    const r = await rig();
    writeFileSync(path.join(r.folder, 'a-khong-phai-anh.jpg'), 'không phải ảnh');
    writeFileSync(path.join(r.folder, 'b-tot.jpg'), scanB);
    writeFileSync(path.join(r.folder, '~$dang-ghi.tmp'), 'tệp tạm');
    await settle(r);
    const [bad, good] = claims(r.backend);
    expect(bad).toMatchObject({ name: 'a-khong-phai-anh.jpg', status: 'refused' });
    expect(good).toMatchObject({ name: 'b-tot.jpg', status: 'imported' });
    expect(claims(r.backend)).toHaveLength(2); // the temp file is left alone
    expect(archived(r.folder)).toHaveLength(2);
    const status = await r.service.status();
    expect(status.recent[1]?.error?.message).toMatch(/không phải là ảnh/);
  });

  for (const step of ['claimed', 'moved', 'committed'] as const) {
    it(`imports exactly once when the process is killed after "${step}"`, async () => {
      const data = tempDir('sohoa-hot-crash-data-');
      const folder = tempDir('sohoa-hot-crash-in-');
      cleanups.push(data.cleanup, folder.cleanup);
      writeFileSync(path.join(folder.dir, 'ho-so.jpg'), scanA);
      const killed = spawnSync(process.execPath, ['--import', 'tsx', CHILD, data.dir, folder.dir, step], {
        cwd: REPO,
        encoding: 'utf8',
      });
      expect(killed.signal, killed.stderr).toBe('SIGKILL');

      // Restart: the journal is resumed on the first pass.
      const r = await rig(data.dir, folder.dir);
      await settle(r);
      expect(claims(r.backend)).toMatchObject([{ name: 'ho-so.jpg', status: 'imported' }]);
      expect(documentsWith(r.backend, scanA)).toHaveLength(1);
      expect(existsSync(path.join(folder.dir, 'ho-so.jpg'))).toBe(false);
      expect(archived(folder.dir)).toHaveLength(1);
      // And again: nothing more happens.
      await settle(r);
      expect(claims(r.backend)).toHaveLength(1);
      expect(documentsWith(r.backend, scanA)).toHaveLength(1);
    });
  }

  it('saves watched folders through the calls, refusing paths that are not folders', async () => {
    const opened = await openTempBackend({ runOcr: false });
    cleanups.push(opened.close);
    const folder = tempDir('sohoa-hot-set-');
    cleanups.push(folder.cleanup);
    const refused = await opened.backend.call('hotFolders.set', { paths: ['relative/scan'] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const missing = await opened.backend.call('hotFolders.set', { paths: [path.join(folder.dir, 'khong-co')] });
    expect(missing).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const saved = await call(opened.backend, 'hotFolders.set', { paths: [folder.dir, folder.dir] });
    expect(saved.folders).toMatchObject([{ path: folder.dir, enabled: true, reachable: true }]);
    expect(saved.watching).toBe(false); // a CLI-hosted backend does not watch
    expect(await call(opened.backend, 'hotFolders.setTarget', { dossierId: null })).toEqual({ targetDossierId: null });
  });
});
