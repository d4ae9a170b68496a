/**
 * The desktop backend's side of sync, with a real server in this process: migration 004, the
 * credential file, the sync calls the UI uses, what a clerk sees offline (reuse answers from
 * this counter without an error; the queue waits), and a row the protocol cannot carry, which is
 * held back alone instead of blocking the others.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/core/backend';
import { openBackend } from '../../electron/core/backend';
import { migrate } from '../../electron/core/db/migrate';
import { credentialFile, credentialMode } from '../../electron/core/sync/credential';
import { writeOutbox } from '../../electron/core/sync/outbox';
import { call, tempDir } from '../support/temp-backend';
import { enrolCode, startTestServer, syntheticScan, type TestServer } from '../support/sync-support';

const CITIZEN = '079190123456';
const FAST = { attempts: 2, baseDelayMs: 10, maxDelayMs: 50, requestTimeoutMs: 5000 };

describe('migration 004 (sync)', () => {
  it('adds delivery state to existing outbox rows and the sync tables, keeping the rows', () => {
    const { dir, cleanup } = tempDir('sohoa-sync-migration-');
    const db = new Database(path.join(dir, 'sohoa.db'));
    try {
      db.pragma('foreign_keys = ON');
      migrate(db, 3);
      db.prepare(
        `INSERT INTO outbox (id, entity, entity_id, op, payload, created_at) VALUES ('o1', 'dossier', 'd1', 'create', '{}', '2025-01-01T00:00:00.000Z')`,
      ).run();
      expect(migrate(db, 4)).toBe(4);
      expect(db.prepare('SELECT id, attempts, last_error, rejected_at FROM outbox').all()).toEqual([
        { id: 'o1', attempts: 0, last_error: null, rejected_at: null },
      ]);
      const tables = (
        db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]
      ).map((t) => t.name);
      expect(tables).toEqual(expect.arrayContaining(['sync_state', 'sync_sent_blobs', 'remote_documents']));
      // STRICT: a wrong type is refused, not stored.
      expect(() =>
        db
          .prepare(
            `INSERT INTO remote_documents (id, title, kind, page_count, unit, digitized_at, record, seq, pulled_at)
             VALUES ('r', 't', 'unfiled', 'many', 'u', 'x', '{}', 1, 'x')`,
          )
          .run(),
      ).toThrow();
    } finally {
      db.close();
      cleanup();
    }
  });
});

describe('sync client', () => {
  const temp = tempDir('sohoa-sync-client-');
  let server: TestServer;
  let counter: Backend;
  let seed = 500;

  async function importScan(backend: Backend, dossierId: string): Promise<string> {
    const file = path.join(temp.dir, `scan-${seed}.png`);
    writeFileSync(file, await syntheticScan(seed++));
    const [outcome] = await backend.importFiles([{ file, name: 'so-ho-khau.png' }], { dossierId, citizenId: null });
    if (!outcome?.ok) throw new Error('import failed');
    return outcome.documentId;
  }

  beforeAll(async () => {
    server = await startTestServer('sqlite', path.join(temp.dir, 'server'));
    counter = await openBackend({
      dataDir: path.join(temp.dir, 'counter'),
      host: 'cli',
      runOcr: false,
      syncTuning: FAST,
    });
  });

  afterAll(async () => {
    await counter?.close();
    await server?.close();
    temp.cleanup();
  });

  it('says it is not enrolled, and refuses a wrong code with the server’s own message', async () => {
    const status = await call(counter, 'sync.status', {});
    expect(status).toMatchObject({ enrolled: false, server: null, pending: 0, lastError: null });
    const summary = await call(counter, 'sync.now', {});
    expect(summary.errors).toBe(1);
    expect(summary.problems[0]?.message).toMatch(/chưa đăng ký/);
    const refused = await counter.call('sync.enrol', { server: server.url, code: 'SAI0-MA00-0000' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/Mã đăng ký không đúng/);
    const badUrl = await counter.call('sync.enrol', { server: 'file:///etc/passwd', code: 'ABCD-EFGH-JKMN' });
    expect(badUrl).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'server' } });
  });

  it('enrols, keeps the credential in a file only this user can read, and shows the queue', async () => {
    const code = await enrolCode(server.storage, '000.00.05.H26');
    const status = await call(counter, 'sync.enrol', { server: `${server.url}/`, code, deviceName: 'Quầy 1' });
    expect(status).toMatchObject({ enrolled: true, server: server.url, unit: '000.00.05.H26' });
    expect(await credentialMode(counter.dataDir)).toBe(0o600);
    expect(statSync(path.dirname(credentialFile(counter.dataDir))).mode & 0o777).toBe(0o700);

    const procedures = await call(counter, 'procedures.list', {});
    const dossier = await call(counter, 'dossiers.create', {
      citizenId: CITIZEN,
      citizenName: 'Lê Văn Cường',
      procedureCode: procedures[0]!.code,
    });
    await importScan(counter, dossier.id);
    const queued = await call(counter, 'sync.status', {});
    expect(queued.pending).toBeGreaterThanOrEqual(3);

    const summary = await call(counter, 'sync.now', {});
    expect(summary).toMatchObject({ pushed: queued.pending, pending: 0, errors: 0 });
    const after = await call(counter, 'sync.status', {});
    expect(after.lastSuccessAt).not.toBeNull();
    expect(after.lastError).toBeNull();
    const stats = await server.storage.stats();
    expect(stats.documents).toBe(1);
    expect(stats.dossiers).toBe(1);
  });

  it('holds back a change the protocol cannot carry, alone, and shows it', async () => {
    counter.db.transaction(() => writeOutbox(counter.db, 'Not A Valid Entity!', 'x', 'create', {}))();
    counter.db.transaction(() => writeOutbox(counter.db, 'note', randomUUID(), 'create', { text: 'ghi chú' }))();
    const summary = await call(counter, 'sync.now', {});
    expect(summary.pushed).toBe(1);
    expect(summary.errors).toBe(1);
    const status = await call(counter, 'sync.status', {});
    expect(status).toMatchObject({ pending: 0, refused: 1 });
    expect(status.lastError?.message).toMatch(/không đúng giao thức/);
    counter.db.prepare(`DELETE FROM outbox WHERE entity = 'Not A Valid Entity!'`).run();
  });

  it('offline: the reuse look-up answers from this counter without an error, and the queue waits', async () => {
    // A port nothing listens on: what a counter sees when the network is down.
    const closed = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const credential = credentialFile(counter.dataDir);
    const saved = readFileSync(credential, 'utf8');
    writeFileSync(credential, saved.replace(server.url, `http://127.0.0.1:${closed}`));
    try {
      const procedures = await call(counter, 'procedures.list', {});
      const dossier = await call(counter, 'dossiers.create', {
        citizenId: CITIZEN,
        citizenName: '',
        procedureCode: procedures[0]!.code,
      });
      const documentId = await importScan(counter, dossier.id);
      const offered = await call(counter, 'reuse.lookup', { citizenId: CITIZEN });
      expect(offered.map((d) => d.documentId)).toContain(documentId);

      const before = (await call(counter, 'sync.status', {})).pending;
      const summary = await call(counter, 'sync.now', {});
      expect(summary.errors).toBeGreaterThan(0);
      expect(summary.pending).toBe(before);
      const status = await call(counter, 'sync.status', {});
      expect(status.lastError?.code).toBe('OFFLINE');
      expect(status.lastError?.message).toMatch(/Không kết nối được máy chủ đồng bộ/);
      // Neither the message nor the stored error carries the citizen's number.
      expect(JSON.stringify(status)).not.toContain(CITIZEN);
    } finally {
      writeFileSync(credential, saved);
    }
    const back = await call(counter, 'sync.now', {});
    expect(back).toMatchObject({ pending: 0, errors: 0 });
  });

  it('closing the app cuts a run against a server that never answers, instead of waiting it out', async () => {
    // Accepts connections and never answers: without the cut, default retries would take minutes.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const dataDir = path.join(temp.dir, 'closing');
    const backend = await openBackend({ dataDir, host: 'cli', runOcr: false });
    try {
      const code = await enrolCode(server.storage, '000.00.05.H26');
      await call(backend, 'sync.enrol', { server: server.url, code });
      const credential = credentialFile(dataDir);
      writeFileSync(credential, readFileSync(credential, 'utf8').replace(server.url, `http://127.0.0.1:${port}`));
      const procedures = await call(backend, 'procedures.list', {});
      await call(backend, 'dossiers.create', {
        citizenId: CITIZEN,
        citizenName: '',
        procedureCode: procedures[0]!.code,
      });
      const run = backend.sync.runOnce();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await backend.close();
      const summary = await run;
      expect(summary.errors).toBeGreaterThan(0);
      expect(summary.pushed).toBe(0);
    } finally {
      await backend.close();
      silent.close();
    }
  });

  it('refuses to fetch a document nobody pulled or looked up', async () => {
    const missing = await counter.call('sync.fetchDocument', { documentId: randomUUID() });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
