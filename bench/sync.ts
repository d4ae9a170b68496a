/**
 * Push throughput of sync over loopback: N documents (default 2,000), each with its own file of
 * K KB (default 100), from a counter's outbox to a sync server on SQLite and a blob folder, in one
 * run; against the same bytes sent by plain HTTP PUTs (same concurrency, keep-alive) to a minimal
 * server that writes each body to a file. The ratio is what the protocol costs (hash checks,
 * idempotency records, the outbox, fsync before a file counts as stored).
 *
 *   npm run bench:sync            SOHOA_BENCH_SYNC_DOCS=2000 SOHOA_BENCH_SYNC_KB=100
 *
 * One JSON line per figure on stdout: {"name","value","unit",...}; progress on stderr.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { openBackend } from '../electron/core/backend';
import { nowIso } from '../electron/core/db/database';
import { writeOutbox } from '../electron/core/sync/outbox';
import { UPLOAD_CONCURRENCY } from '../electron/core/sync/push';
import { createEnrolCode } from '../sync-server/auth';
import { FolderBlobStore } from '../sync-server/blobs/blob-store';
import { startSyncServer } from '../sync-server/server';
import { openSyncStorage } from '../sync-server/storage/open-storage';

// Scan files are encrypted at rest: a throwaway passphrase for the bench's own data folders.
process.env.SOHOA_PASSPHRASE ??= 'mat-khau-do-hieu-nang';

const CONCURRENCY = UPLOAD_CONCURRENCY;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

function log(msg: string): void {
  process.stderr.write(`[bench:sync] ${msg}\n`);
}

function emit(figure: { name: string; value: number; unit: string; [extra: string]: unknown }): void {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * The reference: a server that writes each PUT body to its own file, and nothing else; `durable`
 * also flushes the file and its folder to disk before answering, as the sync server does before
 * it acknowledges a file (the floor any server that promises not to lose data pays).
 */
async function plainServer(dir: string, durable: boolean): Promise<{ url: string; close: () => Promise<void> }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    const file = path.join(dir, `${n++}`);
    const flush = async (): Promise<void> => {
      if (!durable) return;
      for (const target of [file, dir]) {
        const handle = await open(target, 'r');
        await handle.sync();
        await handle.close();
      }
    };
    pipeline(req, createWriteStream(file))
      .then(flush)
      .then(
        () => {
          res.writeHead(201, { 'content-length': 0 });
          res.end();
        },
        () => res.destroy(),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function plainUpload(url: string, files: string[]): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const queue = [...files];
  const worker = async (): Promise<void> => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const body = await readFile(file);
      await new Promise<void>((resolve, reject) => {
        const req = http.request(`${url}/upload`, {
          method: 'PUT',
          agent,
          headers: { 'content-length': body.length, 'content-type': 'application/octet-stream' },
        });
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
        });
        req.on('error', reject);
        req.end(body);
      });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
}

async function main(): Promise<void> {
  const documents = envInt('SOHOA_BENCH_SYNC_DOCS', 2000);
  const fileBytes = envInt('SOHOA_BENCH_SYNC_KB', 100) * 1024;
  const work = mkdtempSync(path.join(os.tmpdir(), 'sohoa-bench-sync-'));
  const common = { documents, file_bytes: fileBytes, concurrency: CONCURRENCY, cores: os.availableParallelism() };
  try {
    const storage = await openSyncStorage({ dataDir: path.join(work, 'server') });
    const blobs = new FolderBlobStore(path.join(work, 'server', 'blobs'));
    await blobs.init();
    const server = await startSyncServer({
      storage,
      blobs,
      rateLimit: { perSecond: 100_000, burst: 100_000 },
      log: () => undefined,
    });
    const counter = await openBackend({ dataDir: path.join(work, 'counter'), host: 'cli', runOcr: false });

    log(`writing ${documents} documents of ${fileBytes / 1024} KB into the counter's store and outbox`);
    const files: string[] = [];
    const rows: { id: string; sha: string }[] = [];
    for (let i = 0; i < documents; i++) {
      const bytes = randomBytes(fileBytes);
      const sha = createHash('sha256').update(bytes).digest('hex');
      const file = counter.store.pathOf(sha);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, bytes);
      files.push(file);
      rows.push({ id: randomUUID(), sha });
    }
    const now = nowIso();
    counter.db.transaction(() => {
      const blob = counter.db.prepare(
        `INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, ?, 'image/jpeg', ?)`,
      );
      const doc = counter.db.prepare(
        `INSERT INTO documents (id, dossier_id, citizen_id, title, source_name, source_sha256, page_count, created_at)
         VALUES (?, NULL, '001085012345', ?, ?, ?, 1, ?)`,
      );
      const page = counter.db.prepare(
        `INSERT INTO pages (document_id, page_no, image_sha256, thumb_sha256, width, height) VALUES (?, 1, ?, ?, 1654, 2339)`,
      );
      for (const [i, row] of rows.entries()) {
        blob.run(row.sha, fileBytes, now);
        doc.run(row.id, `Giấy tờ ${i + 1}`, `scan-${i + 1}.jpg`, row.sha, now);
        page.run(row.id, row.sha, row.sha);
        writeOutbox(counter.db, 'document', row.id, 'create', { dossierId: null, sourceSha256: row.sha });
      }
    })();

    const { code } = await createEnrolCode(storage, { unit: 'BENCH', province: 'P', scope: 'unit', ttlHours: 1 });
    await counter.sync.enrol({ server: server.url, code });

    log('pushing through sync');
    const started = process.hrtime.bigint();
    const summary = await counter.sync.runOnce();
    const syncSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (summary.pushed !== documents || summary.errors > 0) {
      throw new Error(`sync pushed ${summary.pushed}/${documents} with ${summary.errors} errors`);
    }
    const stats = await storage.stats();
    if (stats.documents !== documents || stats.blobs !== documents) throw new Error('server is missing documents');
    await counter.close();
    await server.close();
    await storage.close();

    const reference = async (durable: boolean): Promise<number> => {
      const dir = path.join(work, durable ? 'plain-durable' : 'plain');
      mkdirSync(dir);
      const plain = await plainServer(dir, durable);
      const started = process.hrtime.bigint();
      await plainUpload(plain.url, files);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      await plain.close();
      return seconds;
    };
    log('same bytes by plain HTTP PUT');
    const plainSeconds = await reference(false);
    log('same bytes by plain HTTP PUT, each file flushed to disk before the answer');
    const durableSeconds = await reference(true);

    const megabytes = (documents * fileBytes) / 1e6;
    const load = round(os.loadavg()[0] ?? 0, 2);
    emit({
      name: 'sync.push.documents_per_s',
      value: round(documents / syncSeconds),
      unit: 'docs/s',
      ...common,
      seconds: round(syncSeconds, 2),
      load_1m: load,
    });
    emit({ name: 'sync.push.mb_per_s', value: round(megabytes / syncSeconds), unit: 'MB/s', ...common });
    emit({
      name: 'sync.plain_http.files_per_s',
      value: round(documents / plainSeconds),
      unit: 'files/s',
      ...common,
      seconds: round(plainSeconds, 2),
    });
    emit({ name: 'sync.plain_http.mb_per_s', value: round(megabytes / plainSeconds), unit: 'MB/s', ...common });
    emit({
      name: 'sync.plain_http_fsync.mb_per_s',
      value: round(megabytes / durableSeconds),
      unit: 'MB/s',
      ...common,
      seconds: round(durableSeconds, 2),
    });
    emit({
      name: 'sync.ratio_to_fsync',
      value: round(durableSeconds / syncSeconds, 3),
      unit: 'x',
      ...common,
      note: 'sync MB/s divided by plain HTTP PUT MB/s with each file flushed to disk, as sync does',
    });
    emit({
      name: 'sync.ratio',
      value: round(plainSeconds / syncSeconds, 3),
      unit: 'x',
      ...common,
      note: 'sync MB/s divided by plain HTTP PUT MB/s for the same bytes (1 = no overhead)',
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
