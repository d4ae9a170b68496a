/**
 * OCR throughput and accuracy: SoHoa against native tesseract on the same pages (issue 4).
 *
 *   npm run bench:ocr     BENCH_PAGES=12 text pages (plus one ID card per four), BENCH_ROUNDS=3,
 *                         BENCH_DPI=mixed|200|300 (text pages alternate 300 and 200 dpi by default),
 *                         BENCH_BATCH=0 skips the counter batch, BENCH_BATCH_ROUNDS=3,
 *                         BENCH_NATIVE_PSM=N, BENCH_TIMEOUT_S, BENCH_KEEP=1 keeps the temp folders;
 *                         SOHOA_OCR_MODEL and SOHOA_OCR_LANGUAGES as for the app (both sides read
 *                         in the same languages)
 *
 * stdout: one JSON line per figure, {"name","value","unit",...}. stderr: progress.
 *
 * Sides, each over the same generated files:
 *  - `sohoa` (cold CLI): one `sohoa ingest` process over the folder: opens a new data folder, loads
 *    the OCR workers, imports and waits for every page. What a one-off command line batch costs.
 *  - `app` (warm app): the desktop app and browser mode keep one backend open all day, so a clerk's
 *    batch meets a started process with its OCR workers loaded. In this process: openBackend on a
 *    new data folder, workers loaded (and the app's code warmed) by throwaway pages of each kind
 *    (straight, askew, an ID card; loadOcrWorkers), then (clock on) upload the
 *    files and `pages.import` them as the browser does, until every page is recognized (clock off).
 *    Each round also tells how late the backend's event loop ran meanwhile (`event_loop_delay_ms`,
 *    p99 and max): how long a click arriving during the batch could wait to be answered; when
 *    every page was imported (`import_seconds`): how soon the clerk sees the whole batch; and, on
 *    Linux, where the CPU went by thread (`cpu_seconds_per_page_by_thread`: tesseract.js's OCR
 *    workers, the backend's thread, libvips, the rest), which parts recognition itself and which the
 *    product's own work around it (import, cleanup, straightening, hashing, thumbnails, QR codes).
 *  - `native`: THE reference of issue 4: tesseract 5, OMP_THREAD_LIMIT=1, one process per core,
 *    the npm package's 4.0.0_best_int un-gzipped. Every ratio is against it.
 *  - `native_fast`: the same with the fast model SoHoa ships and reads with by default
 *    (tessdata_fast, language-data.ts), so engine against engine on the same model can be read
 *    beside the ratio (`vs_native_fast`). The main set only, to keep the bench short.
 *  - `ocr.engine.cpu_ratio` (main set): native tesseract with the fast model reads the very working
 *    copies the first warm app round's OCR workers read (same languages, one column, each at the dpi
 *    tesseract.js was told), one process a core for its share of them: its CPU a page over the OCR
 *    workers'. Engine against engine on identical input, apart from everything else SoHoa does.
 *
 * Rounds: wall time on this shared machine swings ±30% with other tenants' load, so the sides run
 * in turn within each round (sohoa, native, app, native_fast, then again), each SoHoa run on a new
 * data folder; figures are per-side medians over the rounds, each round's values and load kept in
 * `rounds`. CPU seconds per page move much less with load than wall time: read them beside it.
 *
 * Page sets:
 *  - `ocr.*`: sparse forms, letters, dense pages and ID cards, every page with text to recognize.
 *  - `ocr.batch.*`: a counter's scanner batch: the text pages, the blank reverse sides of duplex
 *    scans (one per four pages), and ID cards that arrive twice (once a PNG, once the same scan
 *    inside a PDF). Native tesseract reads every file (the PDF's twin as its PNG: it cannot open
 *    PDFs); SoHoa skips blank pages and recognizes a scan it has seen once. A blank page's
 *    reference text is empty.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import type { ImportOutcome } from '../shared/api/contract.ts';
import { openBackend, type Backend } from '../electron/core/backend.ts';
import { prepareForOcr } from '../electron/core/imaging/ocr-input.ts';
import {
  DEFAULT_OCR_LANGUAGES,
  DEFAULT_OCR_MODEL,
  isOcrLanguages,
  isOcrModel,
  OCR_LANGUAGES,
  packagedModelFile,
  type OcrLanguages,
  type OcrModel,
} from '../electron/core/ocr/language-data.ts';
import { CARD_FRONT_LINES, renderIdCardPage } from '../tests/fixtures/id-card-pages.ts';
import {
  SAMPLE_PAGES,
  a4AtDpi,
  levenshtein,
  normalizeForCer,
  renderTextPage,
  type SamplePage,
  type SamplePageKind,
} from '../tests/fixtures/scans.ts';
import { processThreads, type ThreadStat } from '../tests/support/threads.ts';

// Scan files are encrypted at rest: a throwaway passphrase for the bench's own synthetic data
// folders (the CLI child inherits it).
process.env.SOHOA_PASSPHRASE ??= 'bench-ocr-synthetic';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOHOA_BIN = join(ROOT, 'bin', 'sohoa.mjs');
/** Issue 4's reference model: the npm package's best_int, un-gzipped for native tesseract. */
const REFERENCE_MODEL = '4.0.0_best_int';

/**
 * The models and languages SoHoa runs in this bench: a new data folder has no stored choice, so
 * the defaults, unless SOHOA_OCR_MODEL and SOHOA_OCR_LANGUAGES (which the backend and the CLI
 * child honour too) say otherwise. Native tesseract reads in the same languages: the languages are
 * a setting either could choose, and reading English too costs both engines about 8 % more.
 */
const envModel = process.env.SOHOA_OCR_MODEL;
const SOHOA_MODEL: OcrModel = isOcrModel(envModel) ? envModel : DEFAULT_OCR_MODEL;
const envLanguages = process.env.SOHOA_OCR_LANGUAGES;
const LANGUAGES: OcrLanguages = isOcrLanguages(envLanguages) ? envLanguages : DEFAULT_OCR_LANGUAGES;

/** Which traineddata a side read, and in which languages, printed in every line of that side. */
interface ModelLabel {
  model: string;
  /** The gzipped file of the vie model, relative to the repository. */
  traineddata: string;
  languages: OcrLanguages;
}

function shippedModel(model: OcrModel): ModelLabel {
  return { model, traineddata: relative(ROOT, packagedModelFile('vie', model)), languages: LANGUAGES };
}

function referenceModelFile(lang: string): string {
  const require = createRequire(import.meta.url);
  return join(
    dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`)),
    REFERENCE_MODEL,
    `${lang}.traineddata.gz`,
  );
}

type PageKind = SamplePageKind | 'blank' | 'idcard';

interface BenchPage {
  file: string;
  kind: PageKind;
  reference: string;
  /** The file native tesseract reads for this page, when it cannot read `file` (a PDF). */
  nativeFile?: string;
}

interface RunResult {
  seconds: number;
  /** CPU seconds (user + system); undefined where the platform does not tell. */
  cpuSeconds: number | undefined;
  /** Recognised text by file name; a page missing here counts as entirely wrong. */
  texts: Map<string, string>;
  failures: string[];
  /**
   * Images tesseract read (the warm app only): every page recognized, a page read again with full
   * layout analysis (read-page.ts), and each ID card field read line by line. Blank and reused
   * pages are not read at all.
   */
  readings?: number;
  /** V8's full collections in the process while the clock ran (the warm app only; see gc-tuning.ts). */
  fullGcs?: number;
  /**
   * How late the backend's event loop ran while the clock ran (the warm app only): what a click
   * (IPC or HTTP) arriving during the batch could wait before being answered, in ms.
   */
  loopDelayMs?: { p99: number; max: number };
  /**
   * Seconds until every page was imported (the warm app only): stored, with its thumbnail in the
   * dossier, while OCR goes on. How soon the clerk sees the whole batch.
   */
  importSeconds?: number;
  /** CPU seconds by the kind of thread that spent them (the warm app on Linux only): see ThreadSplit. */
  cpuByThread?: ThreadSplit;
}

/**
 * Where a warm app's CPU went, by thread: tesseract's (the OCR workers), the backend's own thread
 * (import, page analysis, straightening, hashing, the database), libvips' (decoding, resizing and
 * encoding images) and the rest (V8's compiler and collector threads, libuv's pool). It tells how
 * much of a page's cost is recognition itself, and how much the product's own work around it.
 */
interface ThreadSplit {
  ocr_workers: number;
  backend_main: number;
  image_library: number;
  other: number;
}

interface Figure {
  name: string;
  value: number;
  unit: string;
  [extra: string]: unknown;
}

function log(msg: string): void {
  process.stderr.write(`[bench:ocr] ${msg}\n`);
}

function emit(f: Figure): void {
  process.stdout.write(`${JSON.stringify(f)}\n`);
}

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

// ---------------------------------------------------------------------------------------------
// Pages with known text

/** Kinds taken in turn (form, letter, dense, form, ...) so any N is a fair mix, dense pages included. */
function pickPages(n: number): SamplePage[] {
  const byKind = new Map<SamplePageKind, SamplePage[]>();
  for (const p of SAMPLE_PAGES) byKind.set(p.kind, [...(byKind.get(p.kind) ?? []), p]);
  const kinds = [...byKind.keys()];
  const out: SamplePage[] = [];
  for (let i = 0; out.length < n; i++) {
    const kind = kinds[i % kinds.length];
    const pool = kind ? byKind.get(kind) : undefined;
    const page = pool?.[Math.floor(i / kinds.length) % pool.length];
    if (page) out.push(page);
  }
  return out;
}

/**
 * The resolutions the text pages are scanned at (BENCH_DPI): `mixed` (the default) alternates 300
 * and 200 dpi, the two settings a counter's scanner is left at (200 dpi is the archival minimum,
 * DOMAIN.md; 300 dpi the usual default); `200` or `300` scans every page at one.
 */
function scanResolutions(): readonly number[] {
  const raw = process.env.BENCH_DPI ?? 'mixed';
  if (raw === 'mixed') return [300, 200];
  if (raw === '200' || raw === '300') return [Number(raw)];
  throw new RangeError(`BENCH_DPI must be mixed, 200 or 300, got "${raw}"`);
}

/** Printed in every figure: what the text pages were scanned at. */
const SCAN_DPI = scanResolutions().join('/');

async function generateTextPages(dir: string, n: number): Promise<BenchPage[]> {
  const skews = [0, 0.8, -0.6];
  const resolutions = scanResolutions();
  const pages: BenchPage[] = [];
  for (const [i, sample] of pickPages(n).entries()) {
    // Seed and skew differ per page, so a repeated sample is a different file: SoHoa stores files
    // by content hash and would skip an identical one.
    const dpi = resolutions[i % resolutions.length] ?? 200;
    const png = await renderTextPage({
      lines: sample.lines,
      noiseSeed: i + 1,
      skewDeg: skews[i % skews.length] ?? 0,
      ...a4AtDpi(dpi),
    });
    const file = `${String(i + 1).padStart(3, '0')}-${sample.name}-${dpi}dpi.png`;
    await writeFile(join(dir, file), png);
    pages.push({ file, kind: sample.kind, reference: normalizeForCer(sample.lines.join('\n')) });
  }
  return pages;
}

/** Invented citizens for the ID cards. */
const CARD_HOLDERS = [
  ['079190123456', 'TRẦN THỊ QUỲNH'],
  ['001085012345', 'NGUYỄN VĂN AN'],
  ['048085006789', 'LÊ VĂN CƯỜNG'],
  ['079190123457', 'PHẠM THỊ HOA'],
] as const;

/** The n-th invented card (0-based): its scan and the printed text as reference. */
async function renderCard(n: number): Promise<{ png: Buffer; reference: string }> {
  const [id, name] = CARD_HOLDERS[n % CARD_HOLDERS.length] ?? CARD_HOLDERS[0];
  const lines = CARD_FRONT_LINES.map((line) => line.replace('001085012345', id).replace('NGUYỄN VĂN AN', name));
  // Past the fourth holder a card repeats: a slight tilt (cards lie askew on the glass) keeps each
  // file distinct, or SoHoa would rightly reuse the first one's text.
  const rotateDeg = Math.floor(n / CARD_HOLDERS.length) * 0.7;
  const png = await renderIdCardPage({
    lines,
    payload: `${id}||${name}|15031985|Nam|Số 12 Lê Lợi|01052021`,
    ...(rotateDeg ? { rotateDeg } : {}),
  });
  return { png, reference: normalizeForCer(lines.join('\n')) };
}

/** The main set: the text pages and one ID card per four of them (at least one). */
async function generateMainSet(dir: string, textPages: number): Promise<BenchPage[]> {
  const pages = await generateTextPages(dir, textPages);
  const cards = Math.max(1, Math.floor(textPages / 4));
  for (let n = 0; n < cards; n++) {
    const { png, reference } = await renderCard(n);
    const file = `card-${String(n + 1).padStart(2, '0')}.png`;
    await writeFile(join(dir, file), png);
    pages.push({ file, kind: 'idcard', reference });
  }
  return pages;
}

/**
 * A counter batch: the text pages, a blank duplex back after every fourth, and per four pages one
 * ID card filed twice (PNG, then the same scan inside a PDF). Returned in file-name order.
 */
async function generateBatch(dir: string, textPages: BenchPage[], textDir: string): Promise<BenchPage[]> {
  const pages: BenchPage[] = [];
  for (const [i, page] of textPages.entries()) {
    await writeFile(join(dir, page.file), await readFile(join(textDir, page.file)));
    pages.push(page);
    if ((i + 1) % 4 !== 0) continue;
    const n = (i + 1) / 4;
    const blank = `${page.file.slice(0, 3)}b-blank.png`;
    await writeFile(join(dir, blank), await renderTextPage({ lines: [], noiseSeed: 100 + n }));
    pages.push({ file: blank, kind: 'blank', reference: '' });
    const { png, reference } = await renderCard(n - 1);
    const cardPng = `${page.file.slice(0, 3)}c-the.png`;
    await writeFile(join(dir, cardPng), png);
    pages.push({ file: cardPng, kind: 'idcard', reference });
    const cardPdf = `${page.file.slice(0, 3)}d-the.pdf`;
    await writeFile(join(dir, cardPdf), await wrapInPdf(png, 200));
    pages.push({ file: cardPdf, kind: 'idcard', reference, nativeFile: cardPng });
  }
  return pages;
}

/** The scan as a scanner's PDF: one lossless image over the whole page at its resolution. */
async function wrapInPdf(png: Buffer, dpi: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const image = await pdf.embedPng(png);
  const width = (image.width * 72) / dpi;
  const height = (image.height * 72) / dpi;
  pdf.addPage([width, height]).drawImage(image, { x: 0, y: 0, width, height });
  return pdf.save();
}

/** Native tesseract wants the models uncompressed in one folder. */
async function prepareTessdata(dir: string, gzFileOf: (lang: string) => string): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const lang of OCR_LANGUAGES)
    await writeFile(join(dir, `${lang}.traineddata`), gunzipSync(await readFile(gzFileOf(lang))));
  return dir;
}

// ---------------------------------------------------------------------------------------------
// The sides

interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number; onStderr?: (chunk: string) => void },
): Promise<ProcessResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => {
      err.push(c);
      opts.onStderr?.(c.toString('utf8'));
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) reject(new Error(`${basename(cmd)} ${args[0] ?? ''} timed out after ${opts.timeoutMs} ms`));
      else
        resolvePromise({
          code,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        });
    });
  });
}

/** Cold CLI: one `sohoa ingest` over the folder, until every page is OCR'd. */
async function runSohoaCli(pagesDir: string, dataDir: string, timeoutMs: number): Promise<RunResult> {
  const cpuBefore = await childCpuSeconds();
  const started = performance.now();
  const res = await run(process.execPath, [SOHOA_BIN, 'ingest', pagesDir, '--data', dataDir, '--json'], {
    cwd: ROOT,
    env: process.env,
    timeoutMs,
    onStderr: (chunk) => {
      for (const line of chunk.split('\n')) if (line.trim()) log(`sohoa: ${line}`);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const texts = new Map<string, string>();
  const failures: string[] = [];
  for (const line of res.stdout.split('\n')) {
    if (!line.trim()) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      failures.push(`not JSON: ${line.slice(0, 120)}`);
      continue;
    }
    const rec = asIngestLine(parsed);
    if (!rec) {
      failures.push(`unexpected line: ${line.slice(0, 120)}`);
      continue;
    }
    if (rec.error) failures.push(`${basename(rec.file)}: ${rec.error}`);
    // Single-page files: one line per file; pages of a file would be joined in order.
    const key = basename(rec.file);
    texts.set(key, texts.has(key) ? `${texts.get(key) ?? ''}\n${rec.text}` : rec.text);
  }
  if (res.code !== 0)
    failures.push(`sohoa exited with ${res.code}: ${res.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return { seconds, cpuSeconds: await cpuSince(cpuBefore), texts, failures };
}

function asIngestLine(v: unknown): { file: string; text: string; error?: string } | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.file !== 'string') return null;
  const err = o.error;
  const error =
    typeof err === 'object' && err !== null && typeof (err as Record<string, unknown>).message === 'string'
      ? String((err as Record<string, unknown>).message)
      : undefined;
  if (typeof o.text !== 'string') return error ? { file: o.file, text: '', error } : null;
  return error ? { file: o.file, text: o.text, error } : { file: o.file, text: o.text };
}

/**
 * Warm app: a backend already running with its OCR workers loaded, as the desktop app and browser
 * mode are when a clerk's batch arrives. Only the batch is timed.
 */
async function runWarmApp(
  pagesDir: string,
  files: string[],
  work: string,
  timeoutMs: number,
  copiesDir?: string,
): Promise<RunResult> {
  const backend = await openBackend({
    dataDir: join(work, 'data'),
    host: 'cli',
    runSync: false,
    watchHotFolders: false,
  });
  try {
    const model = await modelInUse(backend);
    if (model !== SOHOA_MODEL) throw new Error(`the backend reads with ${model}, the bench expected ${SOHOA_MODEL}`);
    await loadOcrWorkers(backend, join(work, 'warm-up'));
    let fullGcs = 0;
    const gcs = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const { detail } = entry as PerformanceEntry & { detail?: { kind?: number } };
        if (detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) fullGcs++;
      }
    });
    gcs.observe({ entryTypes: ['gc'] });
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const cpuBefore = process.cpuUsage();
    const threadsBefore = processThreads();
    const readingsBefore = backend.ocr.stats.recognized;
    const started = performance.now();
    const outcomes = await importLikeBrowser(backend, pagesDir, files);
    const importSeconds = (performance.now() - started) / 1000;
    const pageIds = outcomes.flatMap((o) => (o.ok ? o.pageIds : []));
    const finished = await settlesWithin(backend.ocr.waitForPages(pageIds), timeoutMs);
    const seconds = (performance.now() - started) / 1000;
    gcs.disconnect();
    loopDelay.disable();
    // process.cpuUsage counts every thread of this process: the tesseract.js workers, sharp's
    // threads, the import. Nothing else runs in the process meanwhile.
    const cpu = process.cpuUsage(cpuBefore);
    const threadsAfter = processThreads();
    const { texts, failures } = storedTexts(backend, outcomes);
    if (!finished) failures.push(`pages still queued after ${timeoutMs} ms`);
    if (copiesDir) await writeOcrCopies(backend, pageIds, copiesDir);
    return {
      seconds,
      cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2),
      texts,
      failures,
      readings: backend.ocr.stats.recognized - readingsBefore,
      fullGcs,
      loopDelayMs: { p99: round1(loopDelay.percentile(99) / 1e6), max: round1(loopDelay.max / 1e6) },
      importSeconds,
      cpuByThread: threadsBefore && threadsAfter ? splitByThread(threadsBefore, threadsAfter) : undefined,
    };
  } finally {
    await backend.close();
  }
}

/** The working copies tesseract read in a warm app round, for the engine comparison (ENGINE_COPIES). */
interface OcrCopy {
  file: string;
  /** The resolution tesseract.js was told (the scan's, times the working copy's scale), if known. */
  dpi: number | null;
}

const ENGINE_COPIES = 'copies.json';

/**
 * Writes the working copy tesseract read for each page (after the clock stopped: prepareForOcr
 * makes the same copy again from the stored page), listed in ENGINE_COPIES with the dpi it was told.
 */
async function writeOcrCopies(backend: Backend, pageIds: number[], dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const copies: OcrCopy[] = [];
  const row = backend.db.prepare(`SELECT image_sha256, blank FROM pages WHERE id = ?`);
  for (const id of pageIds) {
    const page = row.get(id) as { image_sha256: string; blank: number } | undefined;
    if (!page || page.blank) continue;
    const input = await prepareForOcr(await backend.store.read(page.image_sha256));
    if (input.blank) continue;
    // A PNG that states the dpi tesseract.js was told (native tesseract reads it from the file):
    // one native process reads a whole list of copies, each at its own resolution.
    const file = `${id}.png`;
    await writeFile(join(dir, file), await pgmAsPng(input.image, input.dpi));
    copies.push({ file, dpi: input.dpi });
  }
  await writeFile(join(dir, ENGINE_COPIES), JSON.stringify(copies));
}

/** A binary PGM (imaging/pgm.ts: `P5 width height 255`, then one byte a pixel) as a PNG. */
async function pgmAsPng(pgm: Buffer, dpi: number | null): Promise<Buffer> {
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/u.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('not a binary 8-bit PGM');
  const [width, height] = [Number(header[1]), Number(header[2])];
  const image = sharp(pgm.subarray(header[0].length), { raw: { width, height, channels: 1 } }).toColourspace('b-w');
  return (dpi ? image.withMetadata({ density: dpi }) : image).png().toBuffer();
}

/**
 * The CPU spent between two readings, by kind of thread. The OCR workers are the threads at a
 * lower priority than the backend's (worker-script.ts lowers them on Linux); when none is, as in a
 * process that already runs at the lowest priority, they cannot be told apart and there is no split.
 * Threads that ended meanwhile are not counted (no OCR worker ends during a round).
 */
function splitByThread(before: Map<number, ThreadStat>, after: Map<number, ThreadStat>): ThreadSplit | undefined {
  const main = after.get(process.pid);
  if (!main) return undefined;
  const split: ThreadSplit = { ocr_workers: 0, backend_main: 0, image_library: 0, other: 0 };
  let ocrThreads = 0;
  for (const [tid, thread] of after) {
    const spent = thread.cpuSeconds - (before.get(tid)?.cpuSeconds ?? 0);
    if (tid === process.pid) split.backend_main += spent;
    else if (thread.name.includes('vips')) split.image_library += spent;
    else if (thread.nice > main.nice) {
      split.ocr_workers += spent;
      ocrThreads++;
    } else split.other += spent;
  }
  return ocrThreads > 0 ? split : undefined;
}

/**
 * The product has no call that starts the OCR workers and says when they are ready. Throwaway
 * pages, two per worker in one import, keep the first worker busy loading and reading while the
 * next pages arrive, so every worker is started and has read a page before the clock starts.
 * Like a clerk's first pages of the day they take every path the set takes (every other one lies
 * askew and is straightened; an ID card is read, its card found and its fields read), so the app's
 * own code is compiled and optimized before the clock starts too, as it is in an app open all day.
 * Their text and the card's holder appear nowhere in the bench's set, so no bench page can reuse
 * their result.
 */
async function loadOcrWorkers(backend: Backend, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < 2 * backend.ocr.workers; i++) {
    const file = `khoi-dong-${i + 1}.png`;
    const lines = [`Trang khởi động bộ nhận dạng số ${i + 1}`, 'Không thuộc tập đo.'];
    await writeFile(
      join(dir, file),
      await renderTextPage({ lines, noiseSeed: 9000 + i, ...(i % 2 === 1 ? { skewDeg: 0.9 } : {}) }),
    );
    files.push(file);
  }
  const [id, name] = ['052190000001', 'ĐẶNG THỊ KHỞI'];
  const cardLines = CARD_FRONT_LINES.map((line) => line.replace('001085012345', id).replace('NGUYỄN VĂN AN', name));
  const card = 'khoi-dong-the.png';
  await writeFile(
    join(dir, card),
    await renderIdCardPage({ lines: cardLines, payload: `${id}||${name}|01011990|Nữ|Số 1 Trần Phú|01012022` }),
  );
  files.push(card);
  const outcomes = await importLikeBrowser(backend, dir, files);
  await backend.ocr.waitForPages(outcomes.flatMap((o) => (o.ok ? o.pageIds : [])));
  // The card's fields are read in the background once OCR saw the card: wait for that reading too
  // (this call is answered by it), so it does not run on the clock.
  const cardPage = outcomes.at(-1);
  if (cardPage?.ok && cardPage.pageIds[0] !== undefined) {
    const fields = await backend.call('idCards.readFields', { pageId: cardPage.pageIds[0] });
    if (!fields.ok) throw new Error(`idCards.readFields failed: ${fields.error.code}`);
  }
}

async function modelInUse(backend: Backend): Promise<string> {
  const settings = await backend.call('ocr.settings', {});
  if (!settings.ok) throw new Error(`ocr.settings failed: ${settings.error.code}`);
  const { model, languages } = settings.value as { model: string; languages: string };
  if (languages !== LANGUAGES) throw new Error(`the backend reads ${languages}, the bench expected ${LANGUAGES}`);
  return model;
}

/** As the browser mode does: each file into the upload area, then one `pages.import` of them all. */
async function importLikeBrowser(backend: Backend, dir: string, files: string[]): Promise<ImportOutcome[]> {
  const uploads: string[] = [];
  for (const file of files) uploads.push(await backend.uploads.receive(file, await readFile(join(dir, file))));
  const result = await backend.call('pages.import', { dossierId: null, uploads });
  if (!result.ok) throw new Error(`pages.import failed: ${result.error.code}`);
  return result.value as ImportOutcome[];
}

/** Each file's stored text, read back from the database (its pages joined in order). */
function storedTexts(backend: Backend, outcomes: ImportOutcome[]): { texts: Map<string, string>; failures: string[] } {
  const texts = new Map<string, string>();
  const failures: string[] = [];
  const pageRow = backend.db.prepare(`SELECT ocr_status, ocr_text FROM pages WHERE id = ?`);
  for (const outcome of outcomes) {
    if (!outcome.ok) {
      failures.push(`${outcome.name}: ${outcome.error.code}`);
      continue;
    }
    const parts: string[] = [];
    for (const id of outcome.pageIds) {
      const row = pageRow.get(id) as { ocr_status: string; ocr_text: string | null } | undefined;
      if (row?.ocr_status !== 'done') failures.push(`${outcome.name}: page ${id} is ${row?.ocr_status ?? 'missing'}`);
      parts.push(row?.ocr_text ?? '');
    }
    texts.set(outcome.name, parts.join('\n'));
  }
  return { texts, failures };
}

async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Native tesseract: one single-threaded process per core, each taking the next page. */
async function runNative(
  pagesDir: string,
  files: { file: string; read: string }[],
  tessdata: string,
  o: { cores: number; psm: string | undefined; timeoutMs: number },
): Promise<RunResult> {
  const texts = new Map<string, string>();
  const failures: string[] = [];
  const env = { ...process.env, OMP_THREAD_LIMIT: '1' };
  const queue = [...files];
  const cpuBefore = await childCpuSeconds();
  const started = performance.now();
  const lane = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const args = [join(pagesDir, next.read), 'stdout', '-l', LANGUAGES, '--tessdata-dir', tessdata];
      if (o.psm) args.push('--psm', o.psm);
      try {
        const res = await run('tesseract', args, { env, timeoutMs: o.timeoutMs });
        if (res.code === 0) texts.set(next.file, res.stdout);
        else failures.push(`${next.file}: tesseract exited with ${res.code}: ${res.stderr.trim()}`);
      } catch (e) {
        failures.push(`${next.file}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.cores, files.length) }, lane));
  const seconds = (performance.now() - started) / 1000;
  return { seconds, cpuSeconds: await cpuSince(cpuBefore), texts, failures };
}

/**
 * User + system CPU of this process's waited-for children (Linux /proc/self/stat, fields 16-17 in
 * clock ticks, 100 per second on Linux). Undefined elsewhere.
 */
async function childCpuSeconds(): Promise<number | undefined> {
  const procStat = await readFile('/proc/self/stat', 'utf8').catch(() => undefined);
  if (!procStat) return undefined;
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = procStat.slice(procStat.lastIndexOf(')') + 2).split(' ');
  const cutime = Number(fields[13]);
  const cstime = Number(fields[14]);
  return Number.isFinite(cutime) && Number.isFinite(cstime) ? (cutime + cstime) / 100 : undefined;
}

async function cpuSince(before: number | undefined): Promise<number | undefined> {
  const after = await childCpuSeconds();
  return before === undefined || after === undefined ? undefined : round(after - before, 2);
}

// ---------------------------------------------------------------------------------------------
// Scoring and rounds

interface CerSummary {
  cer: number;
  byKind: Record<string, number>;
  missing: number;
}

/** Micro-averaged CER: total edits over total reference characters, overall and per kind. */
function scoreCer(pages: BenchPage[], texts: Map<string, string>): CerSummary {
  const sums = new Map<string, { edits: number; chars: number }>();
  let missing = 0;
  const add = (key: string, edits: number, chars: number): void => {
    const s = sums.get(key) ?? { edits: 0, chars: 0 };
    sums.set(key, { edits: s.edits + edits, chars: s.chars + chars });
  };
  for (const p of pages) {
    const text = texts.get(p.file);
    if (text === undefined) missing++;
    const ref = Array.from(p.reference);
    const hyp = Array.from(normalizeForCer(text ?? ''));
    const edits = levenshtein(ref, hyp);
    add('all', edits, ref.length);
    add(p.kind, edits, ref.length);
  }
  const rate = (key: string): number => {
    const s = sums.get(key);
    return s && s.chars > 0 ? round(s.edits / s.chars, 4) : 0;
  };
  const byKind: Record<string, number> = {};
  for (const key of sums.keys()) if (key !== 'all') byKind[key] = rate(key);
  return { cer: rate('all'), byKind, missing };
}

type SideName = 'sohoa' | 'native' | 'app' | 'native_fast';

interface Side {
  name: SideName;
  /** Printed in the side's lines: which path of SoHoa, or which reference. */
  label: string;
  model: ModelLabel;
  run(round: number): Promise<RunResult>;
}

/** One side's run in one round. */
interface RoundSample {
  round: number;
  ok: boolean;
  pagesPerMin: number;
  cpuPerPage: number | undefined;
  seconds: number;
  load1m: number;
  cer: CerSummary;
  readings: number | undefined;
  fullGcs: number | undefined;
  loopDelayMs: RunResult['loopDelayMs'];
  importSeconds: number | undefined;
  cpuByThreadPerPage: ThreadSplit | undefined;
}

interface PageSet {
  /** Figure names start with it: `ocr`, `ocr.batch`. */
  prefix: string;
  dir: string;
  pages: BenchPage[];
  rounds: number;
  /** Also run native tesseract on the fast model (engine against engine; the main set only, for time). */
  withNativeFast: boolean;
}

/** Runs every side in turn, round after round, over the same files. */
async function runRounds(set: PageSet, sides: Side[]): Promise<Map<SideName, RoundSample[]>> {
  const samples = new Map<SideName, RoundSample[]>(sides.map((s) => [s.name, []]));
  const n = set.pages.length;
  for (let round = 1; round <= set.rounds; round++) {
    for (const side of sides) {
      // Other tenants' work skews wall times: keep the load beside each run.
      const load1m = round2(loadavg()[0] ?? 0);
      log(`${set.prefix} round ${round}/${set.rounds}: ${side.name} (${side.label}; load ${load1m})`);
      const res = await runSide(side, round);
      const cer = scoreCer(set.pages, res.texts);
      for (const f of res.failures) log(`${side.name} failure: ${f}`);
      const sample: RoundSample = {
        round,
        ok: res.failures.length === 0 && cer.missing === 0,
        pagesPerMin: round1((n / res.seconds) * 60),
        cpuPerPage: res.cpuSeconds === undefined ? undefined : round2(res.cpuSeconds / n),
        seconds: round2(res.seconds),
        load1m,
        cer,
        readings: res.readings,
        fullGcs: res.fullGcs,
        loopDelayMs: res.loopDelayMs,
        importSeconds: res.importSeconds === undefined ? undefined : round2(res.importSeconds),
        cpuByThreadPerPage: res.cpuByThread ? perPage(res.cpuByThread, n) : undefined,
      };
      log(
        `  ${sample.pagesPerMin} pages/min, ${sample.cpuPerPage ?? '?'} CPU-s/page, CER ${cer.cer}${sample.ok ? '' : ' FAILED'}`,
      );
      samples.get(side.name)?.push(sample);
    }
  }
  return samples;
}

/** A side that throws (a backend that cannot open) fails its round; the other sides still run. */
async function runSide(side: Side, round: number): Promise<RunResult> {
  const started = performance.now();
  try {
    return await side.run(round);
  } catch (error) {
    const seconds = (performance.now() - started) / 1000;
    const message = error instanceof Error ? error.message : String(error);
    return { seconds, cpuSeconds: undefined, texts: new Map(), failures: [message] };
  }
}

/** Median over the rounds that finished every page; a failed run's missing pages would look instant. */
function medianOf(samples: RoundSample[], pick: (s: RoundSample) => number | undefined): number | undefined {
  const values = samples
    .filter((s) => s.ok)
    .map(pick)
    .filter((v): v is number => v !== undefined)
    .sort((a, b) => a - b);
  if (values.length === 0) return undefined;
  const mid = Math.floor(values.length / 2);
  return values.length % 2 === 1 ? values[mid] : ((values[mid - 1] ?? 0) + (values[mid] ?? 0)) / 2;
}

function emitSide(set: PageSet, side: Side, samples: RoundSample[], cores: number): void {
  const common = { pages: set.pages.length, cores, scan_dpi: SCAN_DPI, path: side.label, ...side.model };
  const failed = samples.some((s) => !s.ok);
  const byThread = medianSplit(samples);
  emit({
    name: `${set.prefix}.${side.name}.pages_per_min`,
    value: round1(medianOf(samples, (s) => s.pagesPerMin) ?? 0),
    unit: 'pages/min',
    ...common,
    stat: `median of ${samples.filter((s) => s.ok).length} rounds`,
    cpu_seconds_per_page: optionalRound2(medianOf(samples, (s) => s.cpuPerPage)),
    rounds: samples.map((s) => ({
      pages_per_min: s.pagesPerMin,
      cpu_seconds_per_page: s.cpuPerPage,
      seconds: s.seconds,
      load_1m: s.load1m,
      ...(s.readings === undefined ? {} : { tesseract_readings: s.readings }),
      ...(s.fullGcs === undefined ? {} : { full_gcs_main_thread: s.fullGcs }),
      ...(s.loopDelayMs === undefined ? {} : { event_loop_delay_ms: s.loopDelayMs }),
      ...(s.importSeconds === undefined ? {} : { import_seconds: s.importSeconds }),
      ...(s.cpuByThreadPerPage === undefined ? {} : { cpu_seconds_per_page_by_thread: s.cpuByThreadPerPage }),
      ...(s.ok ? {} : { failed: true }),
    })),
    ...(byThread ? { cpu_seconds_per_page_by_thread: byThread } : {}),
    ...(failed ? { failed: true } : {}),
  });
  emit({
    name: `${set.prefix}.${side.name}.cer`,
    value: round4(medianOf(samples, (s) => s.cer.cer) ?? 1),
    unit: 'ratio',
    ...common,
    stat: 'median over rounds; by_kind from the first round',
    by_kind: samples[0]?.cer.byKind ?? {},
    rounds: samples.map((s) => s.cer.cer),
    missing: Math.max(0, ...samples.map((s) => s.cer.missing)),
  });
}

/** SoHoa's throughput over native's, from the medians; each round's own ratio beside it. */
function emitRatio(
  set: PageSet,
  name: string,
  sohoa: Side,
  samples: Map<SideName, RoundSample[]>,
  cores: number,
): void {
  const ours = samples.get(sohoa.name) ?? [];
  const native = samples.get('native') ?? [];
  const fast = samples.get('native_fast') ?? [];
  const ppm = medianOf(ours, (s) => s.pagesPerMin);
  const nativePpm = medianOf(native, (s) => s.pagesPerMin);
  if (ppm === undefined || !nativePpm) return; // no ratio from a failed side
  const cpu = medianOf(ours, (s) => s.cpuPerPage);
  const nativeCpu = medianOf(native, (s) => s.cpuPerPage);
  const fastPpm = medianOf(fast, (s) => s.pagesPerMin);
  emit({
    name,
    value: round3(ppm / nativePpm),
    unit: 'x',
    pages: set.pages.length,
    cores,
    scan_dpi: SCAN_DPI,
    path: sohoa.label,
    note: `${sohoa.name}/native pages per minute, medians over rounds; native is the issue's ${REFERENCE_MODEL} reference`,
    model: { [sohoa.name]: sohoa.model.model, native: REFERENCE_MODEL },
    rounds: ours.map((s) => {
      const same = native.find((r) => r.round === s.round);
      return s.ok && same?.ok ? round3(s.pagesPerMin / same.pagesPerMin) : null;
    }),
    cpu_seconds_per_page: { [sohoa.name]: optionalRound2(cpu), native: optionalRound2(nativeCpu) },
    cpu_ratio: cpu && nativeCpu ? round3(nativeCpu / cpu) : undefined,
    // Engine against engine, when both read with the fast model.
    ...(fastPpm && sohoa.model.model === 'fast' ? { vs_native_fast: round3(ppm / fastPpm) } : {}),
  });
}

function perPage(split: ThreadSplit, pages: number): ThreadSplit {
  return {
    ocr_workers: round3(split.ocr_workers / pages),
    backend_main: round3(split.backend_main / pages),
    image_library: round3(split.image_library / pages),
    other: round3(split.other / pages),
  };
}

/** Each kind's median over the rounds that have a split. */
function medianSplit(samples: RoundSample[]): ThreadSplit | undefined {
  if (!samples.some((s) => s.cpuByThreadPerPage)) return undefined;
  const kind = (pick: (split: ThreadSplit) => number): number =>
    round3(medianOf(samples, (s) => (s.cpuByThreadPerPage ? pick(s.cpuByThreadPerPage) : undefined)) ?? 0);
  return {
    ocr_workers: kind((split) => split.ocr_workers),
    backend_main: kind((split) => split.backend_main),
    image_library: kind((split) => split.image_library),
    other: kind((split) => split.other),
  };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
const round1 = (v: number): number => round(v, 1);
const round2 = (v: number): number => round(v, 2);
const round3 = (v: number): number => round(v, 3);
const round4 = (v: number): number => round(v, 4);
const optionalRound2 = (v: number | undefined): number | undefined => (v === undefined ? undefined : round2(v));

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

// ---------------------------------------------------------------------------------------------

interface Settings {
  cores: number;
  psm: string | undefined;
  timeoutMs: number;
  work: string;
  tessdata: { reference: string; fast: string };
}

/** The sides of a page set; each SoHoa run gets a new data folder. */
function sidesFor(set: PageSet, s: Settings, withSohoaCli: boolean): Side[] {
  const nativeFiles = set.pages.map((p) => ({ file: p.file, read: p.nativeFile ?? p.file }));
  const native = { cores: s.cores, psm: s.psm, timeoutMs: s.timeoutMs };
  const psm = `psm ${s.psm ?? 'default (3)'}`;
  const sides: Side[] = [];
  if (withSohoaCli)
    sides.push({
      name: 'sohoa',
      label: 'cold CLI: one `sohoa ingest` process (start, load OCR workers, import, recognize)',
      model: shippedModel(SOHOA_MODEL),
      run: (r) => runSohoaCli(set.dir, join(s.work, `${set.prefix}-cli-${r}`), s.timeoutMs),
    });
  sides.push({
    name: 'native',
    label: `native tesseract, ${s.cores} processes, OMP_THREAD_LIMIT=1, ${psm}`,
    model: { model: REFERENCE_MODEL, traineddata: relative(ROOT, referenceModelFile('vie')), languages: LANGUAGES },
    run: () => runNative(set.dir, nativeFiles, s.tessdata.reference, native),
  });
  sides.push({
    name: 'app',
    label: 'warm app: backend open, OCR workers loaded; upload + pages.import until recognized',
    model: shippedModel(SOHOA_MODEL),
    run: (r) =>
      runWarmApp(
        set.dir,
        set.pages.map((p) => p.file),
        join(s.work, `${set.prefix}-app-${r}`),
        s.timeoutMs,
        r === 1 && set.withNativeFast ? engineCopiesDir(set, s) : undefined,
      ),
  });
  if (set.withNativeFast)
    sides.push({
      name: 'native_fast',
      label: `native tesseract with the fast model SoHoa ships, ${s.cores} processes, OMP_THREAD_LIMIT=1, ${psm}`,
      model: shippedModel('fast'),
      run: () => runNative(set.dir, nativeFiles, s.tessdata.fast, native),
    });
  return sides;
}

function engineCopiesDir(set: PageSet, s: Settings): string {
  return join(s.work, `${set.prefix}-ocr-copies`);
}

async function benchSet(set: PageSet, s: Settings, withSohoaCli: boolean): Promise<boolean> {
  const sides = sidesFor(set, s, withSohoaCli);
  const samples = await runRounds(set, sides);
  for (const side of sides) emitSide(set, side, samples.get(side.name) ?? [], s.cores);
  for (const side of sides) {
    if (side.name === 'sohoa') emitRatio(set, `${set.prefix}.ratio`, side, samples, s.cores);
    if (side.name === 'app') emitRatio(set, `${set.prefix}.app.ratio`, side, samples, s.cores);
  }
  if (set.withNativeFast) await emitEngine(set, s, samples.get('app') ?? []);
  return [...samples.values()].every((list) => list.every((sample) => sample.ok));
}

/**
 * Engine against engine on the same input: native tesseract with the fast model reads the working
 * copies the warm app's OCR workers read (same model, languages, one column, dpi), one process a
 * core each reading its share of the list, so its start and model load count once, not per page.
 * Set beside the CPU the app's OCR workers spent per page, it tells what tesseract.js's
 * WebAssembly costs over native code, apart from the product's own work around recognition.
 */
async function emitEngine(set: PageSet, s: Settings, app: RoundSample[]): Promise<void> {
  const dir = engineCopiesDir(set, s);
  const listed = await readFile(join(dir, ENGINE_COPIES), 'utf8').catch(() => undefined);
  const workersPerPage = medianSplit(app)?.ocr_workers;
  if (!listed || workersPerPage === undefined) return; // no warm app round, or no thread split here
  const copies = JSON.parse(listed) as OcrCopy[];
  if (copies.length === 0) return;
  // The workers' CPU per copy read: a blank page of the set has none.
  const wasmCpu = round3((workersPerPage * set.pages.length) / copies.length);
  const lanes = Array.from({ length: Math.min(s.cores, copies.length) }, (_, lane) =>
    copies.filter((_copy, i) => i % s.cores === lane),
  );
  const cpuBefore = await childCpuSeconds();
  const results = await Promise.all(
    lanes.map(async (lane, i) => {
      const list = join(dir, `lane-${i}.txt`);
      await writeFile(list, lane.map((copy) => join(dir, copy.file)).join('\n') + '\n');
      const args = [list, 'stdout', '-l', LANGUAGES, '--tessdata-dir', s.tessdata.fast, '--psm', '4'];
      const res = await run('tesseract', args, {
        env: { ...process.env, OMP_THREAD_LIMIT: '1' },
        timeoutMs: s.timeoutMs,
      });
      if (res.code !== 0) throw new Error(`tesseract on lane ${i} exited with ${res.code}: ${res.stderr.trim()}`);
      return res.stdout;
    }),
  ).catch((error: unknown) => {
    log(`engine comparison failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  });
  const nativeCpu = await cpuSince(cpuBefore);
  if (!results || nativeCpu === undefined) return;
  const nativePerPage = nativeCpu / copies.length;
  emit({
    name: `${set.prefix}.engine.cpu_ratio`,
    value: round3(nativePerPage / wasmCpu),
    unit: 'x',
    pages: copies.length,
    note: "native tesseract CPU over tesseract.js CPU per page, both reading the working copies SoHoa made (fast model, one column); the rest of a warm app page is SoHoa's own work (cpu_seconds_per_page_by_thread)",
    languages: LANGUAGES,
    cpu_seconds_per_page: { tesseract_js: wasmCpu, native_fast: round3(nativePerPage) },
  });
}

async function main(): Promise<void> {
  const n = envInt('BENCH_PAGES', 12);
  const cores = availableParallelism();
  const timeoutMs = envInt('BENCH_TIMEOUT_S', Math.max(300, n * 30)) * 1000;
  const keep = process.env.BENCH_KEEP === '1';

  const work = await mkdtemp(join(tmpdir(), 'sohoa-bench-ocr-'));
  const pagesDir = join(work, 'pages');
  await mkdir(pagesDir);
  let failed = false;
  try {
    log(`generating ${n} text pages and their ID cards in ${pagesDir}`);
    const t0 = performance.now();
    const pages = await generateMainSet(pagesDir, n);
    const settings: Settings = {
      cores,
      psm: process.env.BENCH_NATIVE_PSM || undefined,
      timeoutMs,
      work,
      tessdata: {
        reference: await prepareTessdata(join(work, 'tessdata-reference'), referenceModelFile),
        fast: await prepareTessdata(join(work, 'tessdata-fast'), (lang) => packagedModelFile(lang, 'fast')),
      },
    };
    log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${cores} cores; SoHoa model ${SOHOA_MODEL}`);
    const withCli = await exists(SOHOA_BIN);
    if (!withCli) log(`cold CLI side skipped: ${SOHOA_BIN} does not exist yet`);
    // The command builds its bundle at its first start after a change to the sources (see
    // bin/source-bundle.mjs): a one-off, like installing, so it happens here, before any timing.
    else await run(process.execPath, [SOHOA_BIN, '--help'], { cwd: ROOT, env: process.env, timeoutMs });

    const main = { prefix: 'ocr', dir: pagesDir, pages, rounds: envInt('BENCH_ROUNDS', 3), withNativeFast: true };
    if (!(await benchSet(main, settings, withCli))) failed = true;

    if (process.env.BENCH_BATCH !== '0') {
      const batchDir = join(work, 'batch');
      await mkdir(batchDir);
      const textPages = pages.filter((p) => p.kind !== 'idcard');
      const batch = await generateBatch(batchDir, textPages, pagesDir);
      log(
        `batch: ${batch.length} files (${batch.filter((p) => p.kind === 'blank').length} blank, ${batch.filter((p) => p.kind === 'idcard').length} ID card files)`,
      );
      const set = {
        prefix: 'ocr.batch',
        dir: batchDir,
        pages: batch,
        // Three, as the main set: one round of 21 files swung 0.92-1.10 between runs on this
        // shared machine, with the same code.
        rounds: envInt('BENCH_BATCH_ROUNDS', 3),
        withNativeFast: false,
      };
      if (!(await benchSet(set, settings, withCli))) failed = true;
    }
  } finally {
    if (keep) log(`kept ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

main().catch((err: unknown) => {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
