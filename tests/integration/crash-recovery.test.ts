/**
 * Crash recovery of the `sohoa ingest` command: a batch killed (SIGKILL, no chance to clean up)
 * again and again, at moments spread from start-up through decoding, storing, committing and OCR,
 * then run once more to the end, must leave exactly what one clean run leaves: one document per
 * file, each page once, every page recognised, every job done, a sound database, and a store whose
 * every file is referenced and intact.
 *
 * Real processes, real SQLite, real sharp and tesseract.js. First one clean run into a separate
 * folder serves as the reference result and as a clock: its progress lines ("[i/n] file: ...",
 * printed as each file is committed) mark how long start-up, import and OCR take on this machine.
 * Each kill is then timed from the spawn or from one of the killed run's own progress lines, by a
 * seeded fraction of the matching phase, so the kills land in each phase on a fast or a slow
 * machine alike. Where exactly each kill lands still depends on the machine's load, so nothing is
 * asserted about it; the landing points are printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMultiPageTiff, renderTextPage } from '../fixtures/scans';
import { BlobStore } from '../../electron/core/files/blob-store';
import { KeyVault } from '../../electron/core/files/key-vault';
import { TEST_PASSPHRASE, tempDir } from '../support/temp-backend';

const CLI = fileURLToPath(new URL('../../bin/sohoa.mjs', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SHA256 = /^[a-f0-9]{64}$/;

/** Inputs and the pages each must yield. */
const INPUTS: { name: string; pages: number }[] = [
  { name: 'a-xac-nhan-cu-tru.jpg', pages: 1 },
  { name: 'b-don-de-nghi.png', pages: 1 },
  { name: 'c-giay-uy-quyen.jpg', pages: 1 },
  { name: 'd-ho-so-3-trang.tif', pages: 3 },
];
const TOTAL_PAGES = INPUTS.reduce((sum, input) => sum + input.pages, 0);

/** Far above a clean run (~8 s on 2 cores); only reached when a run is stuck. */
const RUN_LIMIT_MS = 150_000;
const SEED = 20231201;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** When to kill a run: `afterMs` after the spawn (anchor 0) or after its `anchor`-th progress line. */
interface KillPlan {
  phase: string;
  anchor: number;
  afterMs: number;
}

/**
 * Eight kills from a clean run's timeline, in this order: one early in start-up (module loading,
 * before the database exists); one while the next single pages are imported (after the first
 * file's line); two while the 3-page TIFF is decoded and stored page by page (after the third
 * file's line); one later in start-up, now on an existing database (opening, migrations check,
 * duplicate checks); three in OCR (after the last file's line). Anchoring to the killed run's own
 * lines, and hitting the import before any run can get past it, keeps a run that is faster or
 * slower than the reference from skipping a phase. OCR kills stay in the first half of the OCR
 * time, because every killed run makes some progress there.
 */
function killPlan(reference: Run, seed: number): KillPlan[] {
  const random = mulberry32(seed);
  const [first = 1000, , third = first + 100, fourth = third + 300] = reference.progressAt;
  const tiff = Math.max(100, fourth - third);
  const ocr = Math.max(1000, reference.exitAt - fourth);
  const plan: [string, number, number, number][] = [
    // phase, anchor, from, to (ms after the anchor)
    ['start-up', 0, 0.15 * first, 0.35 * first],
    ['first files', 1, 0, Math.max(50, third - first)],
    ['TIFF pages', 3, 0, 0.5 * tiff],
    ['TIFF pages', 3, 0.5 * tiff, tiff],
    ['start-up', 0, 0.4 * first, 0.7 * first],
    ['OCR', 4, 150, 0.12 * ocr],
    ['OCR', 4, 0.15 * ocr, 0.28 * ocr],
    ['OCR', 4, 0.3 * ocr, 0.45 * ocr],
  ];
  return plan.map(([phase, anchor, from, to]) => ({
    phase,
    anchor,
    afterMs: Math.max(10, Math.round(from + random() * (to - from))),
  }));
}

function lines(title: string): string[] {
  // Six lines: enough ink for the OCR preprocessing's contrast stretch (see bad-input.test.ts).
  return [
    title,
    'Họ và tên: Nguyễn Văn An',
    'Số định danh cá nhân: 001085012345',
    'Nơi cư trú: phường Bến Nghé, Quận 1',
    'Mã thủ tục: 1.001193',
    'Ngày 01 tháng 12 năm 2023',
  ];
}

async function writeInputs(dir: string): Promise<void> {
  const small = { widthPx: 1000, heightPx: 700, dpi: 150 };
  writeFileSync(
    path.join(dir, INPUTS[0]!.name),
    await renderTextPage({ lines: lines('GIẤY XÁC NHẬN CƯ TRÚ'), ...small, jpegQuality: 85 }),
  );
  writeFileSync(path.join(dir, INPUTS[1]!.name), await renderTextPage({ lines: lines('ĐƠN ĐỀ NGHỊ'), ...small }));
  writeFileSync(
    path.join(dir, INPUTS[2]!.name),
    await renderTextPage({ lines: lines('GIẤY ỦY QUYỀN'), ...small, jpegQuality: 80, skewDeg: 1, noiseSeed: 3 }),
  );
  // Full A4 pages at 200 dpi in the TIFF: decoding and re-encoding them (each page is stored as a
  // PNG) takes long enough for kills to land between pages, before the document is committed.
  const tiffPages = await Promise.all([1, 2, 3].map((n) => renderTextPage({ lines: lines(`TRANG ${n} CỦA HỒ SƠ`) })));
  writeFileSync(path.join(dir, INPUTS[3]!.name), await renderMultiPageTiff(tiffPages));
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** ms after spawn at which each "[i/n] file: ..." progress line (one per imported file) arrived. */
  progressAt: number[];
  exitAt: number;
}

const live = new Set<ChildProcess>();

/** Runs the CLI; SIGKILLs it as `kill` says, and in any case after RUN_LIMIT_MS. */
function runIngest(inputDir: string, dataDir: string, kill?: KillPlan): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const since = (): number => Math.round(performance.now() - started);
    const child = spawn(process.execPath, [CLI, 'ingest', inputDir, '--data', dataDir, '--json'], {
      cwd: REPO,
      env: { ...process.env, SOHOA_OCR_WORKERS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    let stdout = '';
    let stderr = '';
    const progressAt: number[] = [];
    const timers = [setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS)];
    const arm = (): void => void timers.push(setTimeout(() => child.kill('SIGKILL'), kill?.afterMs));
    if (kill?.anchor === 0) arm();
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      for (const _ of chunk.matchAll(/^\[\d+\/\d+\] /gm)) {
        progressAt.push(since());
        if (kill && progressAt.length === kill.anchor) arm();
      }
      stderr += chunk;
    });
    child.on('error', reject);
    // 'close': exited (and reaped, so its pid no longer looks alive) and both pipes drained.
    child.on('close', (code, signal) => {
      for (const timer of timers) clearTimeout(timer);
      live.delete(child);
      resolve({ code, signal, stdout, stderr, progressAt, exitAt: since() });
    });
  });
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** What a killed run left behind, for the printed summary only. */
function landing(dataDir: string, run: Run): string {
  const imported = (run.stderr.match(/^\[\d+\/\d+\]/gm) ?? []).length;
  const db = path.join(dataDir, 'sohoa.db');
  let state = 'no database yet';
  if (existsSync(db)) {
    try {
      const conn = new Database(db, { readonly: true, fileMustExist: true });
      try {
        const count = (sql: string): number => (conn.prepare(sql).get() as { n: number }).n;
        state = `documents ${count('SELECT count(*) AS n FROM documents')}, pages ${count(
          'SELECT count(*) AS n FROM pages',
        )}, recognised ${count(`SELECT count(*) AS n FROM pages WHERE ocr_status = 'done'`)}`;
      } finally {
        conn.close();
      }
    } catch (error) {
      state = `database not readable yet (${(error as Error).message})`;
    }
  }
  const objectsDir = path.join(dataDir, 'store', 'objects');
  const objects = existsSync(objectsDir) ? filesUnder(objectsDir).length : 0;
  const exit = run.signal ? `killed (${run.signal})` : `exited ${run.code}`;
  return `${exit}; files reported ${imported}/${INPUTS.length}, ${run.stdout.split('\n').filter(Boolean).length} page lines; ${state}; store objects ${objects}`;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('ingest killed repeatedly, then run to the end', () => {
  let inputs: { dir: string; cleanup: () => void };
  let data: { dir: string; cleanup: () => void };
  let clean: { dir: string; cleanup: () => void };
  let reference: Run;
  let final: Run;
  let db: Database.Database;
  let cleanDb: Database.Database;
  const landings: string[] = [];

  beforeAll(async () => {
    inputs = tempDir('sohoa-crash-input-');
    data = tempDir('sohoa-crash-data-');
    clean = tempDir('sohoa-crash-clean-');
    await writeInputs(inputs.dir);

    // Warm tsx's transform cache, so that neither the reference run nor the first killed run
    // spends its time compiling TypeScript.
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'help'], { cwd: REPO, stdio: 'ignore' });
      child.on('error', reject).on('close', () => resolve());
    });
    // The reference: one uninterrupted run into its own folder.
    reference = await runIngest(inputs.dir, clean.dir);
    expect(reference.code, reference.stderr).toBe(0);
    landings.push(
      `clean run: files imported at ${reference.progressAt.join(', ')} ms, exit 0 at ${reference.exitAt} ms`,
    );

    for (const [index, kill] of killPlan(reference, SEED).entries()) {
      const run = await runIngest(inputs.dir, data.dir, kill);
      const when = kill.anchor === 0 ? 'after spawn' : `after progress line ${kill.anchor}`;
      landings.push(`kill ${index + 1} (${kill.phase}) ${kill.afterMs} ms ${when}: ${landing(data.dir, run)}`);
    }
    // Bounded (RUN_LIMIT_MS), so a stuck job fails the test with the run's log instead of hanging it.
    final = await runIngest(inputs.dir, data.dir);
    console.log(`${landings.join('\n')}\nfinal run: ${landing(data.dir, final)}`);
    db = new Database(path.join(data.dir, 'sohoa.db'), { fileMustExist: true });
    cleanDb = new Database(path.join(clean.dir, 'sohoa.db'), { readonly: true, fileMustExist: true });
  }, 300_000);

  afterAll(() => {
    for (const child of live) child.kill('SIGKILL');
    db?.close();
    cleanDb?.close();
    data?.cleanup();
    clean?.cleanup();
    inputs?.cleanup();
  });

  it('finishes the last run with exit code 0', () => {
    expect(final.signal, `the final run was stopped after ${RUN_LIMIT_MS} ms:\n${final.stderr}`).toBeNull();
    expect(final.code, final.stderr).toBe(0);
  });

  it('leaves a sound database', () => {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // The full-text index agrees with the pages table it is built from.
    expect(() => db.exec(`INSERT INTO pages_fts(pages_fts) VALUES ('integrity-check')`)).not.toThrow();
  });

  it('stores exactly one document per input file, with each page once', () => {
    const documents = db
      .prepare(
        `SELECT d.id, d.source_name, d.source_sha256, d.page_count, count(p.id) AS pages
         FROM documents d LEFT JOIN pages p ON p.document_id = d.id GROUP BY d.id ORDER BY d.source_name`,
      )
      .all() as { id: string; source_name: string; source_sha256: string; page_count: number; pages: number }[];
    expect(documents.map((doc) => doc.source_name)).toEqual(INPUTS.map((input) => input.name));
    for (const [index, doc] of documents.entries()) {
      const input = INPUTS[index]!;
      expect(doc.source_sha256).toBe(sha256(readFileSync(path.join(inputs.dir, input.name))));
      expect(doc.page_count).toBe(input.pages);
      expect(doc.pages).toBe(input.pages);
      const pageNos = db
        .prepare('SELECT page_no FROM pages WHERE document_id = ? ORDER BY page_no')
        .all(doc.id)
        .map((row) => (row as { page_no: number }).page_no);
      expect(pageNos).toEqual(Array.from({ length: input.pages }, (_, i) => i + 1));
    }
    const repeated = db.prepare(`SELECT document_id, page_no FROM pages GROUP BY 1, 2 HAVING count(*) > 1`).all();
    expect(repeated).toEqual([]);
    expect((db.prepare('SELECT count(*) AS n FROM pages').get() as { n: number }).n).toBe(TOTAL_PAGES);
  });

  it('recognises every page and finishes every OCR job exactly once', () => {
    const pages = db.prepare('SELECT id, ocr_status, ocr_text FROM pages ORDER BY id').all() as {
      id: number;
      ocr_status: string;
      ocr_text: string;
    }[];
    for (const page of pages) {
      expect(page.ocr_status, `page ${page.id}`).toBe('done');
      expect(page.ocr_text.trim(), `page ${page.id}`).not.toBe('');
    }
    const jobs = db
      .prepare(`SELECT kind, subject, status, owner FROM jobs ORDER BY CAST(subject AS INTEGER)`)
      .all() as {
      kind: string;
      subject: string;
      status: string;
      owner: string | null;
    }[];
    expect(jobs.map((job) => job.subject)).toEqual(pages.map((page) => String(page.id)));
    for (const job of jobs) expect(job).toMatchObject({ kind: 'ocr', status: 'done', owner: null });
    // The changes to sync were written once each, with the change that made them.
    const outbox = db
      .prepare(`SELECT entity, op, entity_id, count(*) AS n FROM outbox GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`)
      .all() as { entity: string; op: string; entity_id: string; n: number }[];
    expect(outbox.filter((row) => row.n !== 1)).toEqual([]);
    expect(outbox.filter((row) => row.entity === 'document' && row.op === 'create')).toHaveLength(INPUTS.length);
    expect(
      outbox
        .filter((row) => row.entity === 'page' && row.op === 'ocr')
        .map((row) => row.entity_id)
        .sort(),
    ).toEqual(pages.map((page) => String(page.id)).sort());
  });

  it('keeps every blob on disk, intact, and nothing on disk that no row refers to', async () => {
    const objectsDir = path.join(data.dir, 'store', 'objects');
    // Files are encrypted at rest: each is checked through the store, by its plaintext.
    const store = new BlobStore(
      path.join(data.dir, 'store'),
      await KeyVault.open(data.dir, { passphrase: TEST_PASSPHRASE }),
    );
    const blobs = db.prepare('SELECT sha256, size FROM blobs ORDER BY sha256').all() as {
      sha256: string;
      size: number;
    }[];
    expect(blobs.length).toBeGreaterThan(0);
    for (const blob of blobs) {
      const file = path.join(objectsDir, blob.sha256.slice(0, 2), blob.sha256);
      expect(existsSync(file), `blob ${blob.sha256}`).toBe(true);
      const bytes = await store.read(blob.sha256);
      expect(bytes.length, `blob ${blob.sha256}`).toBe(blob.size);
      expect(sha256(bytes), `blob ${blob.sha256}`).toBe(blob.sha256);
    }
    // Every file under objects/ (not only those store.list() would recognise) is a referenced blob.
    const known = new Set(blobs.map((blob) => blob.sha256));
    for (const file of filesUnder(objectsDir)) {
      const relative = path.relative(objectsDir, file);
      const name = path.basename(file);
      expect(name, relative).toMatch(SHA256);
      expect(path.dirname(relative), relative).toBe(name.slice(0, 2));
      expect(known.has(name), `orphan object ${relative}`).toBe(true);
    }
    // And every hash the documents and pages use is a blobs row.
    const referenced = db
      .prepare(
        `SELECT source_sha256 AS sha FROM documents UNION SELECT image_sha256 FROM pages UNION SELECT thumb_sha256 FROM pages`,
      )
      .all()
      .map((row) => (row as { sha: string }).sha);
    for (const sha of referenced) expect(known.has(sha), `referenced ${sha}`).toBe(true);
    // Blobs rows nothing refers to would be kept forever: there are none.
    expect([...known].filter((sha) => !referenced.includes(sha))).toEqual([]);
  });

  it('ends with what an uninterrupted run stores: the same blobs and the same recognised pages', () => {
    const blobsOf = (conn: Database.Database): string[] =>
      conn
        .prepare('SELECT sha256 FROM blobs ORDER BY sha256')
        .all()
        .map((row) => (row as { sha256: string }).sha256);
    expect(blobsOf(db)).toEqual(blobsOf(cleanDb));
    const pagesOf = (conn: Database.Database): unknown[] =>
      conn
        .prepare(
          `SELECT d.source_sha256, p.page_no, p.image_sha256, p.thumb_sha256, p.ocr_status, p.ocr_text
           FROM pages p JOIN documents d ON d.id = p.document_id ORDER BY d.source_sha256, p.page_no`,
        )
        .all();
    expect(pagesOf(db)).toEqual(pagesOf(cleanDb));
  });

  it('reports every page exactly once in the final JSON output', () => {
    const out = final.stdout
      .split('\n')
      .filter(Boolean)
      .map(
        (line) => JSON.parse(line) as { file: string; page: number; documentId: string; text: string; error?: unknown },
      );
    expect(out.filter((line) => line.error !== undefined)).toEqual([]);
    const keys = out.map((line) => `${path.basename(line.file)}#${line.page}`).sort();
    const expected = INPUTS.flatMap((input) =>
      Array.from({ length: input.pages }, (_, i) => `${input.name}#${i + 1}`),
    ).sort();
    expect(keys).toEqual(expected);
    // Each line points at the stored document and carries its recognised text.
    const docOf = db.prepare('SELECT id FROM documents WHERE source_name = ?');
    const textOf = db.prepare(
      'SELECT ocr_text FROM pages p JOIN documents d ON d.id = p.document_id WHERE d.id = ? AND p.page_no = ?',
    );
    for (const line of out) {
      expect(line.documentId).toBe((docOf.get(path.basename(line.file)) as { id: string }).id);
      expect(line.text).toBe((textOf.get(line.documentId, line.page) as { ocr_text: string }).ocr_text);
      expect(line.text.trim()).not.toBe('');
    }
  });
});
