/**
 * OCR throughput and accuracy: SoHoa's batch ingest against native tesseract on the same pages.
 *
 *   npm run bench:ocr            (BENCH_PAGES=12 by default; BENCH_KEEP=1 keeps the temp folders;
 *                                 BENCH_BATCH=0 skips the counter-batch run)
 *
 * stdout: one JSON line per figure, {"name","value","unit",...}. stderr: progress.
 * Both sides read the same synthetic PNG pages and use the same traineddata (4.0.0_best_int, vie+eng),
 * so the ratio measures the engine wiring, not the model.
 *
 * Two runs, each side by side with native tesseract:
 *  - `ocr.*`: text pages only (forms, letters, dense pages): every page must really be recognized,
 *    so this is the engine against the engine plus SoHoa's import (cleanup, thumbnails, storage).
 *  - `ocr.batch.*`: what a counter's scanner batch holds: the same text pages, the blank reverse
 *    sides of duplex scans (one per four pages), and ID cards that arrive twice (the citizen's
 *    card copied into two files: once a PNG, once the same scan inside a PDF). Native tesseract
 *    reads every file (the PDF's twin as its PNG: it cannot open PDFs); SoHoa skips blank pages and
 *    recognizes a page it has seen once. CER is scored over every page (a blank page's reference is
 *    empty).
 * CPU seconds per page (user + system of the child processes) are printed for both sides: wall
 * time on a shared machine moves with other people's load, CPU time much less.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { CARD_FRONT_LINES, renderIdCardPage } from '../tests/fixtures/id-card-pages.ts';
import {
  SAMPLE_PAGES,
  levenshtein,
  normalizeForCer,
  renderTextPage,
  type SamplePage,
  type SamplePageKind,
} from '../tests/fixtures/scans.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOHOA_BIN = join(ROOT, 'bin', 'sohoa.mjs');
const MODEL = '4.0.0_best_int';
const LANGS = ['vie', 'eng'] as const;

interface BenchPage {
  file: string;
  kind: SamplePageKind | 'blank' | 'idcard';
  reference: string;
  /** The file native tesseract reads for this page, when it cannot read `file` (a PDF). */
  nativeFile?: string;
}

interface RunResult {
  seconds: number;
  /** CPU seconds (user + system) of the child processes, when /proc tells; fairer than wall time on a busy machine. */
  cpuSeconds: number | undefined;
  /** Recognised text by file name; a page missing here counts as entirely wrong. */
  texts: Map<string, string>;
  failures: string[];
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

async function generatePages(dir: string, n: number): Promise<BenchPage[]> {
  const skews = [0, 0.8, -0.6];
  const pages: BenchPage[] = [];
  for (const [i, sample] of pickPages(n).entries()) {
    // Seed and skew differ per page, so a repeated sample is a different file: SoHoa stores files
    // by content hash and would skip an identical one.
    const png = await renderTextPage({ lines: sample.lines, noiseSeed: i + 1, skewDeg: skews[i % skews.length] ?? 0 });
    const file = `${String(i + 1).padStart(3, '0')}-${sample.name}.png`;
    await writeFile(join(dir, file), png);
    pages.push({ file, kind: sample.kind, reference: normalizeForCer(sample.lines.join('\n')) });
  }
  return pages;
}

/** Invented citizens for the batch's ID cards. */
const CARD_HOLDERS = [
  ['079190123456', 'TRẦN THỊ QUỲNH'],
  ['001085012345', 'NGUYỄN VĂN AN'],
  ['048085006789', 'LÊ VĂN CƯỜNG'],
  ['079190123457', 'PHẠM THỊ HOA'],
] as const;

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
    const [id, name] = CARD_HOLDERS[(n - 1) % CARD_HOLDERS.length] ?? CARD_HOLDERS[0];
    const lines = CARD_FRONT_LINES.map((line) => line.replace('001085012345', id).replace('NGUYỄN VĂN AN', name));
    const png = await renderIdCardPage({ lines, payload: `${id}||${name}|15031985|Nam|Số 12 Lê Lợi|01052021` });
    const reference = normalizeForCer(lines.join('\n'));
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
async function prepareTessdata(dir: string): Promise<void> {
  const require = createRequire(import.meta.url);
  for (const lang of LANGS) {
    const pkg = dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`));
    const gz = await readFile(join(pkg, MODEL, `${lang}.traineddata.gz`));
    await writeFile(join(dir, `${lang}.traineddata`), gunzipSync(gz));
  }
}

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

/** (a) The product path: one `sohoa ingest` over the folder, until every page is OCR'd. */
async function runSohoa(pagesDir: string, dataDir: string, timeoutMs: number): Promise<RunResult> {
  const cpuBefore = await childCpuSeconds();
  const started = performance.now();
  const res = await run(process.execPath, [SOHOA_BIN, 'ingest', pagesDir, '--data', dataDir, '--json'], {
    cwd: ROOT,
    // A fresh data folder of synthetic pages: any passphrase unlocks it.
    env: { ...process.env, SOHOA_PASSPHRASE: process.env.SOHOA_PASSPHRASE ?? 'bench-ocr-synthetic' },
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
    // Single-page PNGs: one line per file; pages of a file would be joined in order.
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

/** (b) The reference: one single-threaded tesseract process per core, each taking the next page. */
async function runNative(
  pagesDir: string,
  files: { file: string; read: string }[],
  tessdata: string,
  cores: number,
  psm: string | undefined,
  timeoutMs: number,
): Promise<RunResult> {
  const texts = new Map<string, string>();
  const failures: string[] = [];
  const env = { ...process.env, OMP_THREAD_LIMIT: '1' };
  const queue = [...files];
  let done = 0;
  const cpuBefore = await childCpuSeconds();
  const started = performance.now();
  const lane = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const file = next.file;
      const args = [join(pagesDir, next.read), 'stdout', '-l', LANGS.join('+'), '--tessdata-dir', tessdata];
      if (psm) args.push('--psm', psm);
      try {
        const res = await run('tesseract', args, { env, timeoutMs });
        if (res.code === 0) texts.set(file, res.stdout);
        else failures.push(`${file}: tesseract exited with ${res.code}: ${res.stderr.trim()}`);
      } catch (e) {
        failures.push(`${file}: ${e instanceof Error ? e.message : String(e)}`);
      }
      done++;
      log(`native ${done}/${files.length} ${file}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(cores, files.length) }, lane));
  const seconds = (performance.now() - started) / 1000;
  return { seconds, cpuSeconds: await cpuSince(cpuBefore), texts, failures };
}

/**
 * User + system CPU of this process's waited-for children (Linux /proc/self/stat, fields 16-17 in
 * clock ticks, 100 per second on Linux). Undefined elsewhere.
 */
async function childCpuSeconds(): Promise<number | undefined> {
  const stat = await readFile('/proc/self/stat', 'utf8').catch(() => undefined);
  if (!stat) return undefined;
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cutime = Number(fields[13]);
  const cstime = Number(fields[14]);
  return Number.isFinite(cutime) && Number.isFinite(cstime) ? (cutime + cstime) / 100 : undefined;
}

async function cpuSince(before: number | undefined): Promise<number | undefined> {
  const after = await childCpuSeconds();
  return before === undefined || after === undefined ? undefined : round(after - before, 2);
}

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

function perPage(cpuSeconds: number | undefined, pages: number): number | undefined {
  return cpuSeconds === undefined ? undefined : round(cpuSeconds / pages, 2);
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** One run of each side over the same files; prints pages/min, CPU-s/page, CER and the ratio. */
async function compare(
  prefix: string,
  pagesDir: string,
  pages: BenchPage[],
  tessdata: string,
  o: { cores: number; psm: string | undefined; timeoutMs: number; work: string },
): Promise<boolean> {
  const n = pages.length;
  const common = { pages: n, cores: o.cores };
  let ok = true;
  let sohoa: { ppm: number; cpuPerPage: number | undefined } | undefined;
  if (await exists(SOHOA_BIN)) {
    // Other work on the machine skews wall times: record the load so a reader can tell.
    const load = round(loadavg()[0] ?? 0, 2);
    log(`${prefix} (a) sohoa ingest (load ${load})`);
    const res = await runSohoa(pagesDir, join(o.work, `data-${prefix}`), o.timeoutMs);
    const cer = scoreCer(pages, res.texts);
    for (const f of res.failures) log(`sohoa failure: ${f}`);
    const sohoaOk = res.failures.length === 0 && cer.missing === 0;
    if (!sohoaOk) ok = false;
    const value = { ppm: round((n / res.seconds) * 60, 1), cpuPerPage: perPage(res.cpuSeconds, n) };
    if (sohoaOk) sohoa = value;
    emit({
      name: `${prefix}.sohoa.pages_per_min`,
      value: value.ppm,
      unit: 'pages/min',
      ...common,
      seconds: round(res.seconds, 2),
      cpu_seconds: res.cpuSeconds,
      cpu_seconds_per_page: value.cpuPerPage,
      load_1m: load,
      ...(sohoaOk ? {} : { failed: true }),
    });
    emit({
      name: `${prefix}.sohoa.cer`,
      value: cer.cer,
      unit: 'ratio',
      ...common,
      by_kind: cer.byKind,
      missing: cer.missing,
    });
  } else {
    log(`(a) skipped: ${SOHOA_BIN} does not exist yet`);
  }

  const load = round(loadavg()[0] ?? 0, 2);
  log(
    `${prefix} (b) native tesseract, ${o.cores} processes, OMP_THREAD_LIMIT=1, psm ${o.psm ?? 'default (3)'} (load ${load})`,
  );
  const nat = await runNative(
    pagesDir,
    pages.map((p) => ({ file: p.file, read: p.nativeFile ?? p.file })),
    tessdata,
    o.cores,
    o.psm,
    o.timeoutMs,
  );
  const natCer = scoreCer(pages, nat.texts);
  for (const f of nat.failures) log(`native failure: ${f}`);
  if (nat.failures.length > 0) ok = false;
  const nativePpm = round((n / nat.seconds) * 60, 1);
  const nativeCpu = perPage(nat.cpuSeconds, n);
  const nativeExtra = { model: MODEL, psm: o.psm ?? '3' };
  emit({
    name: `${prefix}.native.pages_per_min`,
    value: nativePpm,
    unit: 'pages/min',
    ...common,
    ...nativeExtra,
    seconds: round(nat.seconds, 2),
    cpu_seconds: nat.cpuSeconds,
    cpu_seconds_per_page: nativeCpu,
    load_1m: load,
  });
  emit({
    name: `${prefix}.native.cer`,
    value: natCer.cer,
    unit: 'ratio',
    ...common,
    ...nativeExtra,
    by_kind: natCer.byKind,
    missing: natCer.missing,
  });
  // No ratio from a failed SoHoa run: pages it never returned would count as instant.
  if (sohoa && nativePpm > 0) {
    emit({
      name: `${prefix}.ratio`,
      value: round(sohoa.ppm / nativePpm, 3),
      unit: 'x',
      ...common,
      note: 'sohoa/native pages per minute',
      cpu_seconds_per_page: { sohoa: sohoa.cpuPerPage, native: nativeCpu },
      cpu_ratio: sohoa.cpuPerPage && nativeCpu ? round(nativeCpu / sohoa.cpuPerPage, 3) : undefined,
    });
  }
  return ok;
}

async function main(): Promise<void> {
  const n = envInt('BENCH_PAGES', 12);
  const cores = availableParallelism();
  const psm = process.env.BENCH_NATIVE_PSM || undefined;
  const timeoutMs = envInt('BENCH_TIMEOUT_S', Math.max(300, n * 30)) * 1000;
  const keep = process.env.BENCH_KEEP === '1';

  const work = await mkdtemp(join(tmpdir(), 'sohoa-bench-ocr-'));
  const pagesDir = join(work, 'pages');
  const tessdata = join(work, 'tessdata');
  await mkdir(pagesDir);
  await mkdir(tessdata);
  let failed = false;
  try {
    log(`generating ${n} pages in ${pagesDir}`);
    const t0 = performance.now();
    const pages = await generatePages(pagesDir, n);
    await prepareTessdata(tessdata);
    log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${cores} cores`);

    if (!(await compare('ocr', pagesDir, pages, tessdata, { cores, psm, timeoutMs, work }))) failed = true;
    if (process.env.BENCH_BATCH !== '0') {
      const batchDir = join(work, 'batch');
      await mkdir(batchDir);
      const batch = await generateBatch(batchDir, pages, pagesDir);
      log(
        `batch: ${batch.length} files (${batch.filter((p) => p.kind === 'blank').length} blank, ${batch.filter((p) => p.kind === 'idcard').length} ID card files)`,
      );
      if (!(await compare('ocr.batch', batchDir, batch, tessdata, { cores, psm, timeoutMs, work }))) failed = true;
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
