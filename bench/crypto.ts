/**
 * What encryption at rest costs.
 *
 *   npm run bench:crypto      (BENCH_PAGES=24, BENCH_ROUNDS=3, BENCH_AES_MB=256)
 *
 * stdout: one JSON line per figure, {"name","value","unit",...}. stderr: progress.
 * 1. Ingest throughput through the real import (decode, clean, thumbnail, store, commit; no OCR)
 *    with the encrypting store and, as the reference in the same run, a store that writes
 *    plaintext the way SoHoa did before encryption. Rounds alternate, each into a fresh folder;
 *    the median round counts.
 * 2. Raw AES-256-GCM throughput of node:crypto (encrypt and decrypt, 1 MiB chunks), the ceiling.
 * 2b. The storing step alone: every page file put into a fresh store, encrypted vs plaintext.
 * 3. Reading a stored page back (decrypt + tag check) against reading the plaintext file.
 * 4. Opening the key file with the passphrase (scrypt), the cost paid once per start.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../electron/core/db/database.ts';
import { BlobStore, hashFile } from '../electron/core/files/blob-store.ts';
import { KeyVault } from '../electron/core/files/key-vault.ts';
import { JobQueue } from '../electron/core/jobs/job-queue.ts';
import { importFile } from '../electron/core/pages/page-import.ts';
import { renderTextPage, SAMPLE_PAGES } from '../tests/fixtures/scans.ts';

const PAGES = envInt('BENCH_PAGES', 24);
const ROUNDS = envInt('BENCH_ROUNDS', 3);
const AES_MB = envInt('BENCH_AES_MB', 256);
const PASSPHRASE = 'cum-mat-khau-bench';

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw ? Number(raw) : fallback;
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${name} must be a positive integer`);
  return n;
}
const log = (msg: string): void => void process.stderr.write(`[bench:crypto] ${msg}\n`);
const emit = (figure: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(figure)}\n`);
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** The store as it was before encryption (temp file, fsync, rename of the plaintext): the reference. */
class PlaintextBlobStore extends BlobStore {
  override async put(bytes: Buffer): Promise<{ sha256: string; size: number }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await this.writePlain(sha256, bytes);
    return { sha256, size: bytes.length };
  }

  /** As page-import.ts streamed a source file before: copy, fsync, hash the copy, rename. */
  override async putFile(file: string, sha256: string): Promise<{ sha256: string; size: number }> {
    const { size } = await stat(file);
    const target = this.pathOf(sha256);
    if (await this.has(sha256)) return { sha256, size };
    const tmp = path.join(this.tmpDir, `${sha256}.${randomBytes(6).toString('hex')}`);
    await pipeline(createReadStream(file), createWriteStream(tmp, { flags: 'wx' }));
    const handle = await open(tmp, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    if ((await hashFile(tmp)) !== sha256) throw new Error('file changed');
    await mkdir(path.dirname(target), { recursive: true });
    await rename(tmp, target);
    return { sha256, size };
  }

  private async writePlain(sha256: string, bytes: Buffer): Promise<void> {
    const target = this.pathOf(sha256);
    if (await this.has(sha256)) return;
    const tmp = path.join(this.tmpDir, `${sha256}.${randomBytes(6).toString('hex')}`);
    const handle = await open(tmp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await mkdir(path.dirname(target), { recursive: true });
    await rename(tmp, target);
  }
}

async function ingestRound(work: string, files: string[], encrypted: boolean): Promise<number> {
  const dataDir = await mkdtemp(path.join(work, encrypted ? 'enc-' : 'plain-'));
  const vault = await KeyVault.open(dataDir, { passphrase: PASSPHRASE });
  const root = path.join(dataDir, 'store');
  const store = encrypted ? new BlobStore(root, vault) : new PlaintextBlobStore(root, vault);
  await store.init();
  const db = openDatabase(path.join(dataDir, 'sohoa.db'));
  const jobs = new JobQueue(db);
  try {
    const started = process.hrtime.bigint();
    for (const file of files) {
      const outcome = await importFile({ db, store, jobs }, file, path.basename(file), {
        dossierId: null,
        citizenId: null,
      });
      if (!outcome.ok) throw new Error(`import failed: ${outcome.error.code}`);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return (files.length / seconds) * 60;
  } finally {
    db.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function aesThroughput(megabytes: number): { encrypt: number; decrypt: number } {
  const key = randomBytes(32);
  const nonce = randomBytes(12);
  const chunk = randomBytes(1024 * 1024);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const sealed: Buffer[] = [];
  let started = process.hrtime.bigint();
  for (let i = 0; i < megabytes; i++) {
    const out = cipher.update(chunk);
    if (i < 8) sealed.push(out);
  }
  cipher.final();
  const encryptSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  started = process.hrtime.bigint();
  for (let i = 0; i < megabytes; i++) decipher.update(sealed[i % sealed.length] ?? chunk);
  const decryptSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { encrypt: megabytes / encryptSeconds, decrypt: megabytes / decryptSeconds };
}

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'sohoa-bench-crypto-'));
  try {
    log(`rendering ${PAGES} A4 pages at 200 dpi`);
    const files: string[] = [];
    for (let i = 0; i < PAGES; i++) {
      const sample = SAMPLE_PAGES[i % SAMPLE_PAGES.length];
      const lines = [...(sample?.lines ?? []), `Trang ${i + 1}`];
      const jpeg = i % 2 === 1;
      const file = path.join(work, `page-${i}.${jpeg ? 'jpg' : 'png'}`);
      await writeFile(file, await renderTextPage({ lines, ...(jpeg ? { jpegQuality: 85 } : {}) }));
      files.push(file);
    }

    const plain: number[] = [];
    const encrypted: number[] = [];
    await ingestRound(work, files.slice(0, 2), true); // warm-up: sharp, SQLite, code paths
    for (let round = 0; round < ROUNDS; round++) {
      // Alternating order, so neither side always runs on a warmer machine.
      const order = round % 2 === 0 ? [false, true] : [true, false];
      for (const enc of order) {
        const rate = await ingestRound(work, files, enc);
        (enc ? encrypted : plain).push(rate);
        log(`round ${round + 1}: ${enc ? 'encrypted' : 'plaintext'} ${rate.toFixed(1)} pages/min`);
      }
    }
    const plainRate = median(plain);
    const encRate = median(encrypted);
    emit({ name: 'ingest.plaintext', value: round1(plainRate), unit: 'pages/min', pages: PAGES, rounds: ROUNDS });
    emit({
      name: 'ingest.encrypted',
      value: round1(encRate),
      unit: 'pages/min',
      pages: PAGES,
      rounds: ROUNDS,
      reference: 'ingest.plaintext',
      ratio: Math.round((encRate / plainRate) * 1000) / 1000,
    });

    // The storing step alone, without decoding and cleanup around it.
    const pageBytes = await Promise.all(files.map((file) => readFile(file)));
    const totalMiB = pageBytes.reduce((n, b) => n + b.length, 0) / 1024 / 1024;
    const putRate = async (encrypted: boolean): Promise<number> => {
      const dataDir = await mkdtemp(path.join(work, 'put-'));
      const vault = await KeyVault.open(dataDir, { passphrase: PASSPHRASE });
      const root = path.join(dataDir, 'store');
      const store = encrypted ? new BlobStore(root, vault) : new PlaintextBlobStore(root, vault);
      await store.init();
      const started = process.hrtime.bigint();
      for (const bytes of pageBytes) await store.put(bytes);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      await rm(dataDir, { recursive: true, force: true });
      return totalMiB / seconds;
    };
    const putPlain: number[] = [];
    const putEnc: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      putPlain.push(await putRate(false));
      putEnc.push(await putRate(true));
    }
    emit({ name: 'store.put.plaintext', value: round1(median(putPlain)), unit: 'MiB/s', pages: PAGES });
    emit({
      name: 'store.put.encrypted',
      value: round1(median(putEnc)),
      unit: 'MiB/s',
      pages: PAGES,
      reference: 'store.put.plaintext',
      ratio: Math.round((median(putEnc) / median(putPlain)) * 1000) / 1000,
    });

    log(`AES-256-GCM on ${AES_MB} MiB`);
    const aes = aesThroughput(AES_MB);
    emit({ name: 'aes-256-gcm.encrypt', value: round1(aes.encrypt), unit: 'MiB/s', megabytes: AES_MB });
    emit({ name: 'aes-256-gcm.decrypt', value: round1(aes.decrypt), unit: 'MiB/s', megabytes: AES_MB });

    // Reading one stored page image back, as the viewer, OCR and exports do.
    const dataDir = await mkdtemp(path.join(work, 'read-'));
    const unlockStarted = process.hrtime.bigint();
    const vault = await KeyVault.open(dataDir, { passphrase: PASSPHRASE });
    const createMs = Number(process.hrtime.bigint() - unlockStarted) / 1e6;
    const reopenStarted = process.hrtime.bigint();
    await KeyVault.open(dataDir, { passphrase: PASSPHRASE });
    const unlockMs = Number(process.hrtime.bigint() - reopenStarted) / 1e6;
    emit({ name: 'vault.create', value: Math.round(createMs), unit: 'ms', kdf: 'scrypt N=2^15 r=8 p=1' });
    emit({ name: 'vault.unlock', value: Math.round(unlockMs), unit: 'ms', kdf: 'scrypt N=2^15 r=8 p=1' });
    const store = new BlobStore(path.join(dataDir, 'store'), vault);
    const plainStore = new PlaintextBlobStore(path.join(dataDir, 'plain'), vault);
    await store.init();
    await plainStore.init();
    const page = await readFile(files[0] ?? '');
    const { sha256 } = await store.put(page);
    await plainStore.put(page);
    const reads = 200;
    const time = async (read: () => Promise<Buffer>): Promise<number> => {
      const started = process.hrtime.bigint();
      for (let i = 0; i < reads; i++) await read();
      return Number(process.hrtime.bigint() - started) / 1e6 / reads;
    };
    const plainMs = await time(() => plainStore.read(sha256));
    const encMs = await time(() => store.read(sha256));
    emit({ name: 'read.page.plaintext', value: round3(plainMs), unit: 'ms', bytes: page.length });
    emit({
      name: 'read.page.encrypted',
      value: round3(encMs),
      unit: 'ms',
      bytes: page.length,
      reference: 'read.page.plaintext',
      ratio: Math.round((encMs / plainMs) * 100) / 100,
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

await main();
