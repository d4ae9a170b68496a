/**
 * Encryption at rest of the stored scans (issue 8, item 4): what lies on disk, the master key and
 * its passphrase, tampering, the migration of a store written before encryption, backups, the CLI
 * with SOHOA_PASSPHRASE, browser mode's lock, and the data folder's permissions.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend';
import { restoreFrom, backupTo } from '../../electron/core/backup/backup';
import { BlobStore } from '../../electron/core/files/blob-store';
import { KEYS_FILE, KeyVault } from '../../electron/core/files/key-vault';
import { MAGIC } from '../../electron/core/files/object-crypto';
import { startWebHost } from '../../electron/web/server';
import { AppFailure } from '../../shared/api/errors';
import { renderTextPage } from '../fixtures/scans';
import { call, TEST_PASSPHRASE, tempDir } from '../support/temp-backend';

const run = promisify(execFile);
const SOHOA = path.resolve('bin/sohoa.mjs');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const KNOWN_TEXT = 'Số định danh cá nhân: 079190123456 — Trần Thị Bích Ngọc';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function objectFiles(dataDir: string): string[] {
  const objects = path.join(dataDir, 'store', 'objects');
  return readdirSync(objects).flatMap((prefix) =>
    readdirSync(path.join(objects, prefix)).map((name) => path.join(objects, prefix, name)),
  );
}

function smallPage(lines: string[]): Promise<Buffer> {
  return renderTextPage({ lines, widthPx: 827, heightPx: 1169, dpi: 100, fontSizePt: 14 });
}

async function importPages(
  backend: Backend,
  dir: string,
  count: number,
  inDossier = true,
): Promise<{ documentIds: string[]; pageIds: number[] }> {
  // A browser host's backend acts for signed-in people only: its test imports into the inbox.
  const dossier = inDossier
    ? await call(backend, 'dossiers.create', {
        citizenId: '079190123456',
        citizenName: 'Trần Thị Bích Ngọc',
        procedureCode: '1.001193',
      })
    : null;
  const files = [];
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `scan-${i}.png`);
    writeFileSync(file, await smallPage([`Giấy tờ số ${i + 1}`, 'Số định danh cá nhân: 079190123456']));
    files.push({ file, name: `scan-${i}.png` });
  }
  const outcomes = await backend.importFiles(files, { dossierId: dossier?.id ?? null, citizenId: null });
  return {
    documentIds: outcomes.flatMap((o) => (o.ok ? [o.documentId] : [])),
    pageIds: outcomes.flatMap((o) => (o.ok ? o.pageIds : [])),
  };
}

async function refusal(promise: Promise<unknown>): Promise<{ message: string; messageEn?: string }> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppFailure)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error.appError;
}

describe('stored files are encrypted at rest', () => {
  const { dir, cleanup } = tempDir('sohoa-crypto-');
  const data = path.join(dir, 'data');
  let backend: Backend;
  let pageId = 0;
  let knownSha = '';

  beforeAll(async () => {
    backend = await openBackend({ dataDir: data, host: 'cli', runOcr: false, passphrase: TEST_PASSPHRASE });
    pageId = (await importPages(backend, dir, 1)).pageIds[0] ?? 0;
    knownSha = (await backend.store.put(Buffer.from(KNOWN_TEXT))).sha256;
  });

  afterAll(async () => {
    await backend.close();
    cleanup();
  });

  it('keeps no plaintext on disk: every object has the header, no PNG signature, no known text', async () => {
    const files = objectFiles(data);
    // The scan (also the import's source file), its thumbnail and the known text.
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const raw = readFileSync(file);
      expect(raw.subarray(0, MAGIC.length).equals(MAGIC), file).toBe(true);
      expect(raw.includes(PNG_SIGNATURE), file).toBe(false);
      expect(raw.includes(Buffer.from('079190123456')), file).toBe(false);
      expect(raw.includes(Buffer.from(KNOWN_TEXT)), file).toBe(false);
      // Addressed by the plaintext's hash, which the encrypted bytes do not have.
      expect(sha256(raw)).not.toBe(path.basename(file));
    }
  });

  it('reads back exactly what was stored, whole, streamed and in ranges', async () => {
    expect((await backend.store.read(knownSha)).toString()).toBe(KNOWN_TEXT);
    for (const sha of await backend.store.list()) {
      expect(sha256(await backend.store.read(sha))).toBe(sha);
      expect(await backend.store.plainHash(sha)).toBe(sha);
      const chunks: Buffer[] = [];
      for await (const chunk of backend.store.openRead(sha)) chunks.push(chunk as Buffer);
      expect(sha256(Buffer.concat(chunks))).toBe(sha);
    }
    const whole = Buffer.from(KNOWN_TEXT);
    const ranges = await backend.store.openRanges(knownSha);
    try {
      expect(ranges.size).toBe(whole.length);
      expect((await ranges.read(5, 17)).equals(whole.subarray(5, 22))).toBe(true);
      expect((await ranges.read(16, 20)).equals(whole.subarray(16, 36))).toBe(true);
    } finally {
      await ranges.close();
    }
    const image = await backend.pageImage(pageId, 'full');
    expect(image.bytes.subarray(0, 8).equals(PNG_SIGNATURE) || image.bytes[0] === 0xff).toBe(true);
  });

  it('stores the same bytes once: re-importing finds the stored document', async () => {
    const before = objectFiles(data).length;
    const again = await backend.store.put(Buffer.from(KNOWN_TEXT));
    expect(again.sha256).toBe(knownSha);
    const file = path.join(dir, 'scan-0.png');
    const outcome = await backend.importFiles([{ file, name: 'scan-0.png' }], { dossierId: null, citizenId: null });
    expect(outcome[0]).toMatchObject({ ok: true, duplicate: true });
    expect(objectFiles(data).length).toBe(before);
  });

  it('refuses an altered file (GCM tag) and a file moved to another address, with a clear message', async () => {
    const victim = backend.store.pathOf(knownSha);
    const original = readFileSync(victim);
    try {
      const flipped = Buffer.from(original);
      flipped[flipped.length - 3] = (flipped[flipped.length - 3] ?? 0) ^ 0x01;
      writeFileSync(victim, flipped);
      const refused = await refusal(backend.store.read(knownSha));
      expect(refused.message).toContain('bị hỏng hoặc đã bị sửa đổi');
      expect(refused.messageEn).toContain('integrity');
      expect(await backend.store.plainHash(knownSha).catch(() => 'refused')).toBe('refused');
      expect(await refusal(backend.store.openRanges(knownSha))).toMatchObject({ message: refused.message });
      // The personal data is not in the message.
      expect(refused.message).not.toContain('079190123456');
    } finally {
      writeFileSync(victim, original);
    }
    // Another stored file's bytes under this address: its header is bound to its own address.
    const other = (await backend.store.list()).find((sha) => sha !== knownSha) ?? '';
    writeFileSync(victim, readFileSync(backend.store.pathOf(other)));
    try {
      await refusal(backend.store.read(knownSha));
    } finally {
      writeFileSync(victim, original);
    }
    expect((await backend.store.read(knownSha)).toString()).toBe(KNOWN_TEXT);
  });

  it('gives the data folder, the database and the key file owner-only permissions', () => {
    expect(statSync(data).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(data, 'sohoa.db')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(data, KEYS_FILE)).mode & 0o777).toBe(0o600);
    for (const suffix of ['-wal', '-shm']) {
      const file = path.join(data, `sohoa.db${suffix}`);
      if (existsSync(file)) expect(statSync(file).mode & 0o077).toBe(0);
    }
    // The key file holds the master key only wrapped: no 32-byte key in the clear.
    const keys = JSON.parse(readFileSync(path.join(data, KEYS_FILE), 'utf8')) as { slots: { type: string }[] };
    expect(keys.slots.map((slot) => slot.type)).toEqual(['passphrase']);
  });
});

describe('the data passphrase', () => {
  it('refuses a wrong passphrase in Vietnamese and changes nothing; the right one opens', async () => {
    const { dir, cleanup } = tempDir('sohoa-crypto-wrong-');
    try {
      const first = await openBackend({ dataDir: dir, host: 'cli', runOcr: false, passphrase: TEST_PASSPHRASE });
      const { sha256: sha } = await first.store.put(Buffer.from(KNOWN_TEXT));
      await first.close();
      const keysBefore = readFileSync(path.join(dir, KEYS_FILE));
      const objectBefore = readFileSync(objectFiles(dir)[0] ?? '');

      const wrong = await refusal(
        openBackend({ dataDir: dir, host: 'cli', runOcr: false, passphrase: 'khong-phai-mat-khau' }),
      );
      expect(wrong.message).toBe('Cụm mật khẩu dữ liệu không đúng; dữ liệu vẫn khóa, không có gì thay đổi.');
      expect(wrong.messageEn).toContain('Wrong data passphrase');
      // The CLI without any passphrase (no terminal to ask on) is refused too.
      const none = await refusal(openBackend({ dataDir: dir, host: 'cli', runOcr: false, passphrase: null }));
      expect(none.message).toContain('SOHOA_PASSPHRASE');
      expect(readFileSync(path.join(dir, KEYS_FILE)).equals(keysBefore)).toBe(true);
      expect(readFileSync(objectFiles(dir)[0] ?? '').equals(objectBefore)).toBe(true);

      const again = await openBackend({ dataDir: dir, host: 'cli', runOcr: false, passphrase: TEST_PASSPHRASE });
      try {
        expect((await again.store.read(sha)).toString()).toBe(KNOWN_TEXT);
      } finally {
        await again.close();
      }
    } finally {
      cleanup();
    }
  });

  it('a keychain slot and a passphrase slot open the same master key (desktop app and CLI share a folder)', async () => {
    const { dir, cleanup } = tempDir('sohoa-crypto-slots-');
    try {
      // A reversible stand-in for safeStorage: the real one needs the Electron binary.
      const sealer = {
        name: 'test-keychain',
        seal: (text: string) => Promise.resolve(Buffer.from(text).reverse().toString('base64')),
        open: (text: string) => Promise.resolve(Buffer.from(text, 'base64').reverse().toString()),
      };
      const desktop = await KeyVault.open(dir, { sealer, passphrase: TEST_PASSPHRASE });
      const store = new BlobStore(path.join(dir, 'store'), desktop);
      await store.init();
      const { sha256: sha } = await store.put(Buffer.from(KNOWN_TEXT));
      const keychainOnly = await KeyVault.open(dir, { sealer });
      expect(keychainOnly.state).toBe('open');
      const cli = await KeyVault.open(dir, { passphrase: TEST_PASSPHRASE });
      expect((await new BlobStore(path.join(dir, 'store'), cli).read(sha)).toString()).toBe(KNOWN_TEXT);
      expect((await KeyVault.open(dir, {})).state).toBe('locked');
      // The folder copied to another machine: its keychain cannot open the slot; the passphrase
      // does once, and the slot is replaced so the next start there needs none.
      const otherMachine = {
        name: 'test-keychain',
        seal: (text: string) => Promise.resolve(Buffer.from(text).toString('hex')),
        open: (text: string) => Promise.resolve(Buffer.from(text, 'hex').toString()),
      };
      expect((await KeyVault.open(dir, { sealer: otherMachine })).state).toBe('locked');
      expect((await KeyVault.open(dir, { sealer: otherMachine, passphrase: TEST_PASSPHRASE })).state).toBe('open');
      const moved = await KeyVault.open(dir, { sealer: otherMachine });
      expect((await new BlobStore(path.join(dir, 'store'), moved).read(sha)).toString()).toBe(KNOWN_TEXT);
    } finally {
      cleanup();
    }
  });
});

describe('a store written before encryption', () => {
  it('is read as it is, then encrypted in place on the first open, also after a crash half-way', async () => {
    const { dir, cleanup } = tempDir('sohoa-crypto-legacy-');
    try {
      const data = path.join(dir, 'data');
      const first = await openBackend({ dataDir: data, host: 'cli', runOcr: false, passphrase: TEST_PASSPHRASE });
      const { documentIds } = await importPages(first, dir, 2);
      const plain = new Map<string, Buffer>();
      for (const sha of await first.store.list()) plain.set(sha, await first.store.read(sha));
      await first.close();
      // Turn the folder into what an older SoHoa left: plaintext objects and no key file.
      for (const [sha, bytes] of plain) writeFileSync(path.join(data, 'store', 'objects', sha.slice(0, 2), sha), bytes);
      await rm(path.join(data, KEYS_FILE));
      await rm(path.join(data, 'store', 'all-encrypted'));
      expect(objectFiles(data).some((file) => readFileSync(file).subarray(0, 8).equals(PNG_SIGNATURE))).toBe(true);

      // A crash half-way through an earlier migration: one file already encrypted (under the key
      // that run wrote), a torn temp file left behind.
      const vault = await KeyVault.open(data, { passphrase: TEST_PASSPHRASE });
      const store = new BlobStore(path.join(data, 'store'), vault);
      const [firstSha] = [...plain.keys()];
      expect(sha256(await store.read(firstSha ?? ''))).toBe(firstSha);
      const half = path.join(dir, 'half');
      writeFileSync(half, plain.get(firstSha ?? '') ?? Buffer.alloc(0));
      await store.remove(firstSha ?? '');
      await store.putFile(half, firstSha ?? '');
      await mkdir(store.tmpDir, { recursive: true });
      writeFileSync(path.join(store.tmpDir, `${firstSha}.torn`), Buffer.from('SOHOAENC partial'));

      const reopened = await openBackend({ dataDir: data, host: 'cli', runOcr: false, passphrase: TEST_PASSPHRASE });
      try {
        for (const file of objectFiles(data)) {
          const raw = readFileSync(file);
          expect(raw.subarray(0, MAGIC.length).equals(MAGIC), file).toBe(true);
          expect(raw.includes(PNG_SIGNATURE), file).toBe(false);
        }
        for (const [sha, bytes] of plain) expect((await reopened.store.read(sha)).equals(bytes)).toBe(true);
        const reusable = await call(reopened, 'reuse.lookup', { citizenId: '079190123456' });
        expect(reusable.map((d) => d.documentId).sort()).toEqual([...documentIds].sort());
        expect((await reopened.store.encryptLegacy()).encrypted).toBe(0);
        expect(existsSync(path.join(data, 'store', 'all-encrypted'))).toBe(true);
      } finally {
        await reopened.close();
      }
    } finally {
      cleanup();
    }
  });
});

describe('backups of an encrypted store', () => {
  it('stay encrypted, verify by plaintext hash, restore with the same passphrase and refuse a wrong one', async () => {
    const { dir, cleanup } = tempDir('sohoa-crypto-backup-');
    try {
      const data = path.join(dir, 'data');
      const backupDir = path.join(dir, 'backup');
      const backend = await openBackend({ dataDir: data, host: 'cli', runOcr: false, passphrase: TEST_PASSPHRASE });
      let documentIds: string[];
      try {
        documentIds = (await importPages(backend, dir, 1)).documentIds;
        await backupTo(backend.db, backend.store, backupDir);
      } finally {
        await backend.close();
      }
      for (const file of objectFiles(backupDir)) {
        const raw = readFileSync(file);
        expect(raw.subarray(0, MAGIC.length).equals(MAGIC)).toBe(true);
        expect(raw.includes(PNG_SIGNATURE)).toBe(false);
      }

      const wrongTarget = path.join(dir, 'wrong');
      const wrong = await refusal(restoreFrom(backupDir, wrongTarget, { passphrase: 'khong-phai-mat-khau' }));
      expect(wrong.message).toContain('không đúng');
      expect(existsSync(path.join(wrongTarget, 'sohoa.db'))).toBe(false);

      const restored = path.join(dir, 'restored');
      await restoreFrom(backupDir, restored, { passphrase: TEST_PASSPHRASE });
      const reopened = await openBackend({
        dataDir: restored,
        host: 'cli',
        runOcr: false,
        passphrase: TEST_PASSPHRASE,
      });
      try {
        const reusable = await call(reopened, 'reuse.lookup', { citizenId: '079190123456' });
        expect(reusable.map((d) => d.documentId)).toEqual(documentIds);
        for (const sha of await reopened.store.list()) expect(await reopened.store.plainHash(sha)).toBe(sha);
      } finally {
        await reopened.close();
      }
    } finally {
      cleanup();
    }
  });
});

describe('the sohoa command with SOHOA_PASSPHRASE', () => {
  it('ingests and exports unattended, and refuses without the passphrase', async () => {
    const { dir, cleanup } = tempDir('sohoa-crypto-cli-');
    try {
      const data = path.join(dir, 'data');
      const scan = path.join(dir, 'giay-to.png');
      writeFileSync(scan, await smallPage(['Giấy khai sinh', 'Số định danh cá nhân: 001085012345']));
      const env = { ...process.env, SOHOA_PASSPHRASE: 'cum-mat-khau-cli-1', SOHOA_OCR_WORKERS: '1' };
      const ingested = await run(process.execPath, [SOHOA, 'ingest', scan, '--data', data, '--json'], { env });
      const line = JSON.parse(ingested.stdout.trim().split('\n')[0] ?? '{}') as { documentId?: string };
      expect(line.documentId).toEqual(expect.any(String));
      for (const file of objectFiles(data)) expect(readFileSync(file).includes(PNG_SIGNATURE)).toBe(false);

      const pdf = path.join(dir, 'out.pdf');
      await run(process.execPath, [SOHOA, 'export', line.documentId ?? '', '--pdf', pdf, '--data', data], { env });
      expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const { stdout } = await run('pdftotext', [pdf, '-']);
      expect(stdout).toContain('001085012345');

      const { SOHOA_PASSPHRASE: _unused, ...withoutPassphrase } = env;
      const refused = await run(process.execPath, [SOHOA, 'search', 'khai sinh', '--data', data], {
        env: withoutPassphrase,
      }).catch((error: { code: number; stderr: string }) => error);
      expect(refused).toMatchObject({ code: 1 });
      expect((refused as { stderr: string }).stderr).toContain('Dữ liệu đang khóa');
    } finally {
      cleanup();
    }
  });
});

describe('browser mode without SOHOA_PASSPHRASE', () => {
  it('sets the passphrase at first run, asks for it after a restart, and reads nothing before', async () => {
    const { dir, cleanup } = tempDir('sohoa-crypto-web-');
    const post = async (url: string, name: string, body: unknown, cookie = ''): Promise<Record<string, unknown>> =>
      (await fetch(`${url}/api/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify(body),
      }).then((res) => res.json())) as Record<string, unknown>;
    try {
      const open = () => openBackend({ dataDir: dir, host: 'browser', ocrWorkers: 1, passphrase: null });
      let host = await startWebHost({ dataDir: dir, backend: await open() });
      try {
        expect(await post(host.url, 'vault.status', {})).toEqual({ ok: true, value: { state: 'unset' } });
        expect(await post(host.url, 'auth.status', {})).toMatchObject({ ok: true, value: { needsSetup: true } });
        // Nothing is created before the passphrase: the administrator comes second.
        expect(await post(host.url, 'auth.setup', { username: 'quantri', password: 'mat-khau-dai-du' })).toMatchObject({
          ok: false,
          error: { code: 'UNAUTHORIZED' },
        });
        expect(await post(host.url, 'vault.setUp', { passphrase: 'ngan' })).toMatchObject({
          ok: false,
          error: { code: 'VALIDATION', field: 'passphrase' },
        });
        expect(await post(host.url, 'vault.setUp', { passphrase: TEST_PASSPHRASE })).toEqual({
          ok: true,
          value: { state: 'open' },
        });
        const setup = await fetch(`${host.url}/api/auth.setup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'quantri', password: 'mat-khau-dai-du' }),
        });
        expect(((await setup.json()) as { ok: boolean }).ok).toBe(true);
        const cookie = (setup.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
        const pageId = (await importPages(host.backend, dir, 1, false)).pageIds[0] ?? 0;
        expect(await post(host.url, 'pages.get', { id: pageId }, cookie)).toMatchObject({ ok: true });
        expect((await fetch(`${host.url}/media/pages/${pageId}/thumb`, { headers: { cookie } })).status).toBe(200);
        await host.close();

        host = await startWebHost({ dataDir: dir, backend: await open() });
        expect(await post(host.url, 'vault.status', {})).toEqual({ ok: true, value: { state: 'locked' } });
        const blocked = await post(host.url, 'pages.get', { id: pageId }, cookie);
        expect(blocked).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
        expect(JSON.stringify(blocked)).toContain('Dữ liệu đang khóa');
        expect((await fetch(`${host.url}/media/pages/${pageId}/thumb`, { headers: { cookie } })).status).toBe(404);
        // Setting a passphrase again is refused; a wrong one does not unlock.
        expect(await post(host.url, 'vault.setUp', { passphrase: 'mot-cum-khac-hoan-toan' })).toMatchObject({
          ok: false,
        });
        expect(await post(host.url, 'vault.unlock', { passphrase: 'sai-cum-mat-khau' })).toMatchObject({
          ok: false,
          error: { code: 'UNAUTHORIZED', field: 'passphrase' },
        });
        expect(await post(host.url, 'vault.unlock', { passphrase: TEST_PASSPHRASE })).toEqual({
          ok: true,
          value: { state: 'open' },
        });
        expect(await post(host.url, 'pages.get', { id: pageId }, cookie)).toMatchObject({ ok: true });
        expect((await fetch(`${host.url}/media/pages/${pageId}/thumb`, { headers: { cookie } })).status).toBe(200);
      } finally {
        await host.close();
      }
    } finally {
      cleanup();
    }
  });

  it('asks an administrator to set a passphrase for a folder made before encryption', async () => {
    const { dir, cleanup } = tempDir('sohoa-crypto-upgrade-');
    try {
      const first = await openBackend({ dataDir: dir, host: 'cli', runOcr: false, passphrase: TEST_PASSPHRASE });
      await call(first, 'users.create', {
        username: 'canbo',
        password: 'mat-khau-can-bo',
        displayName: 'Lê Văn Cán',
        role: 'clerk',
      });
      await call(first, 'users.create', {
        username: 'quantri',
        password: 'mat-khau-quan-tri',
        displayName: 'Phạm Minh Quản',
        role: 'admin',
      });
      await first.close();
      await rm(path.join(dir, KEYS_FILE));
      const backend = await openBackend({ dataDir: dir, host: 'browser', runOcr: false, passphrase: null });
      try {
        expect(backend.vault.state).toBe('unset');
        const noAdmin = await backend.call('vault.setUp', { passphrase: TEST_PASSPHRASE });
        expect(noAdmin).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
        const clerk = await backend.call('vault.setUp', {
          passphrase: TEST_PASSPHRASE,
          username: 'canbo',
          password: 'mat-khau-can-bo',
        });
        expect(clerk).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        const admin = await backend.call('vault.setUp', {
          passphrase: TEST_PASSPHRASE,
          username: 'quantri',
          password: 'mat-khau-quan-tri',
        });
        expect(admin).toEqual({ ok: true, value: { state: 'open' } });
      } finally {
        await backend.close();
      }
    } finally {
      cleanup();
    }
  });
});

describe('the database file', () => {
  it('overwrites deleted personal data instead of leaving it in free pages (secure_delete)', async () => {
    const { dir, cleanup } = tempDir('sohoa-crypto-db-');
    try {
      const backend = await openBackend({ dataDir: dir, host: 'cli', runOcr: false, passphrase: TEST_PASSPHRASE });
      const marker = 'Nguyễn Thị Xoá Hẳn 048085006789';
      try {
        expect(backend.db.pragma('secure_delete', { simple: true })).toBe(1);
        backend.db.exec('CREATE TABLE erase_probe (v TEXT)');
        backend.db.prepare('INSERT INTO erase_probe (v) VALUES (?)').run(marker.repeat(50));
        backend.db.pragma('wal_checkpoint(TRUNCATE)');
        expect(readFileSync(path.join(dir, 'sohoa.db')).includes(Buffer.from(marker))).toBe(true);
        backend.db.prepare('DELETE FROM erase_probe').run();
        backend.db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        await backend.close();
      }
      expect(readFileSync(path.join(dir, 'sohoa.db')).includes(Buffer.from(marker))).toBe(false);
      expect(statSync(path.join(dir, 'sohoa.db')).mode & 0o777).toBe(0o600);
    } finally {
      cleanup();
    }
  });
});
