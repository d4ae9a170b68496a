/**
 * Capture: a scanner stack through the hot folder, memory on a 300-page PDF, and cleanup accuracy.
 *
 *   npm run bench:capture      (BENCH_STACK=50, BENCH_PDF_PAGES=300, BENCH_WORKERS=2, BENCH_TRUTH=48)
 *
 * stdout: one JSON line per figure, {"name","value","unit",...}. stderr: progress.
 * 1. A generated stack (turned, skewed and blank pages among clean ones, as PDFs) dropped into a hot
 *    folder, until every page is searchable: pages per minute, against OCR alone on the same pages
 *    already clean and upright (the ratio is what capture and cleanup cost on top of OCR).
 * 2. Peak RSS of a separate process importing a 300-page scanner PDF (must stay under 1 GB).
 * 3. Orientation, skew and blank detection on pages with known truth: counts right and wrong.
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { openBackend } from '../electron/core/backend.ts';
import { analyzePage } from '../electron/core/capture/cleanup.ts';
import { HotFolderService } from '../electron/core/hot-folder/hot-folder.ts';
import { prepareForOcr } from '../electron/core/imaging/ocr-input.ts';
import { DEFAULT_OCR_LANGUAGES, ensureLanguageFolder } from '../electron/core/ocr/language-data.ts';
import { OcrPool } from '../electron/core/ocr/pool.ts';
import { readPage } from '../electron/core/ocr/read-page.ts';
import { pageNumberOnly, scannedPdf, turned, type PdfPageSpec } from '../tests/fixtures/capture.ts';
import { renderTextPage, SAMPLE_PAGES } from '../tests/fixtures/scans.ts';

// Scan files are encrypted at rest: a throwaway passphrase for the bench's own data folders.
process.env.SOHOA_PASSPHRASE ??= 'mat-khau-do-hieu-nang';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STACK = envInt('BENCH_STACK', 50);
const PDF_PAGES = envInt('BENCH_PDF_PAGES', 300);
const WORKERS = envInt('BENCH_WORKERS', 2);
const TRUTH = envInt('BENCH_TRUTH', 48);
const KEEP = process.env.BENCH_KEEP === '1';
const RSS_LIMIT_MB = 1024;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw ? Number(raw) : fallback;
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${name} must be a positive integer`);
  return n;
}
const log = (msg: string): void => void process.stderr.write(`[bench:capture] ${msg}\n`);
const emit = (figure: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(figure)}\n`);

type Rotation = 0 | 90 | 180 | 270;
interface Truth {
  rotation: Rotation;
  skew: number;
  blank: boolean;
}

/** The n-th page of a stack: mostly clean, some turned, skewed or blank, deterministic. */
function truthOf(n: number): Truth {
  if (n % 10 === 9) return { rotation: 0, skew: 0, blank: true };
  const rotations: Rotation[] = [0, 0, 180, 0, 90, 0, 270, 0, 0];
  const skews = [0, 2.5, -4, 0, 6, -1.5, 0, 9, -7, 3];
  return { rotation: rotations[n % rotations.length]!, skew: skews[n % skews.length]!, blank: false };
}

async function truthImage(n: number, truth: Truth): Promise<{ scan: Buffer; clean: Buffer | null }> {
  if (truth.blank) {
    const blank = n % 20 === 9 ? await renderTextPage({ lines: [], noiseSeed: n }) : await pageNumberOnly(n, n);
    return { scan: blank, clean: null };
  }
  const sample = SAMPLE_PAGES[n % SAMPLE_PAGES.length]!;
  const clean = await renderTextPage({ lines: sample.lines, noiseSeed: 500 + n });
  const skewed = truth.skew
    ? await renderTextPage({ lines: sample.lines, noiseSeed: 500 + n, skewDeg: truth.skew })
    : clean;
  return { scan: await turned(skewed, truth.rotation), clean };
}

async function stackThroughHotFolder(work: string): Promise<void> {
  log(`generating a ${STACK}-page stack`);
  const pages: { spec: PdfPageSpec; clean: Buffer | null }[] = [];
  for (let n = 0; n < STACK; n++) {
    const { scan, clean } = await truthImage(n, truthOf(n));
    // Scanner output is mixed: every third page in black and white (CCITT), the rest JPEG.
    const spec: PdfPageSpec =
      n % 3 === 2
        ? { image: scan, dpi: 200, ccitt: true }
        : { image: await sharp(scan).jpeg({ quality: 85 }).toBuffer(), dpi: 200 };
    pages.push({ spec, clean });
  }
  const drop = path.join(work, 'drop');
  const folder = path.join(work, 'hot');
  await mkdir(drop, { recursive: true });
  await mkdir(folder, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < pages.length; i += 10) {
    const file = path.join(drop, `stack-${String(i / 10 + 1).padStart(2, '0')}.pdf`);
    await writeFile(file, await scannedPdf(pages.slice(i, i + 10).map((page) => page.spec)));
    files.push(file);
  }

  const backend = await openBackend({
    dataDir: path.join(work, 'data'),
    host: 'cli',
    ocrWorkers: WORKERS,
    watchHotFolders: false,
  });
  const settled: string[] = [];
  const service = new HotFolderService({
    db: backend.db,
    importFiles: (batch, target) => backend.importFiles(batch, target),
    folders: [folder],
    scanIntervalMs: 250,
    quietMs: 300,
    onSettled: (claim) => {
      if (claim.documentId) settled.push(claim.documentId);
    },
  });
  log(`dropping ${files.length} files into the hot folder, ${WORKERS} OCR workers`);
  const started = performance.now();
  service.start();
  for (const file of files) await copyFile(file, path.join(folder, path.basename(file)));
  while (settled.length < files.length) await new Promise((resolve) => setTimeout(resolve, 100));
  const pageIds = (backend.db.prepare(`SELECT id FROM pages`).all() as { id: number }[]).map((row) => row.id);
  await backend.ocr.waitForPages(pageIds);
  const seconds = (performance.now() - started) / 1000;
  await service.stop();
  const blank = (backend.db.prepare('SELECT count(*) AS n FROM pages WHERE blank = 1').get() as { n: number }).n;
  await backend.close();

  log('reference: OCR alone on the same pages, already clean and upright');
  const clean = pages.map((page) => page.clean).filter((page): page is Buffer => page !== null);
  const pool = new OcrPool({
    langPath: await ensureLanguageFolder(path.join(work, 'ref-lang')),
    languages: DEFAULT_OCR_LANGUAGES,
    size: WORKERS,
  });
  const refStart = performance.now();
  await Promise.all(
    clean.map(async (page) => {
      const input = await prepareForOcr(page);
      return readPage(pool, input, input);
    }),
  );
  const refSeconds = (performance.now() - refStart) / 1000;
  await pool.close();

  const perMinute = (STACK / seconds) * 60;
  const refPerMinute = (clean.length / refSeconds) * 60;
  emit({
    name: 'hot_folder_stack_pages_per_minute',
    value: round(perMinute),
    unit: 'pages/min',
    pages: STACK,
    blankFlagged: blank,
    workers: WORKERS,
    seconds: round(seconds),
  });
  emit({
    name: 'ocr_alone_clean_pages_per_minute',
    value: round(refPerMinute),
    unit: 'pages/min',
    pages: clean.length,
    workers: WORKERS,
    seconds: round(refSeconds),
  });
  emit({
    name: 'capture_time_ratio',
    value: round(seconds / refSeconds),
    unit: 'x',
    note: 'hot folder to searchable (PDF render, cleanup, import, OCR) over OCR alone on the clean pages; blank pages skip OCR',
  });
}

async function bigPdfMemory(work: string): Promise<void> {
  log(`generating a ${PDF_PAGES}-page scanner PDF`);
  // Four distinct pages repeated: memory is about page size, not variety.
  const colour = await Promise.all(
    [0, 1].map((i) =>
      renderTextPage({
        lines: SAMPLE_PAGES[i]!.lines.slice(0, 12),
        dpi: 300,
        widthPx: 2480,
        heightPx: 3508,
        rgb: true,
        jpegQuality: 80,
        noiseSeed: i,
      }),
    ),
  );
  const bilevel = await Promise.all([2, 3].map((i) => renderTextPage({ lines: SAMPLE_PAGES[i]!.lines, noiseSeed: i })));
  const specs: PdfPageSpec[] = Array.from({ length: PDF_PAGES }, (_, n) =>
    n % 2 === 0
      ? { image: colour[(n / 2) % 2]!, dpi: 300 }
      : { image: bilevel[((n - 1) / 2) % 2]!, dpi: 200, ccitt: true },
  );
  const pdf = path.join(work, 'big.pdf');
  const bytes = await scannedPdf(specs);
  await writeFile(pdf, bytes);
  log(`importing ${PDF_PAGES} pages (${Math.round(bytes.length / 1048576)} MB) in a separate process`);
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'bench', 'capture-import-child.ts'), pdf, path.join(work, 'big-data')],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (child.status !== 0) throw new Error(`import child failed: ${child.stderr}`);
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as {
    pages: number;
    seconds: number;
    maxRssMb: number;
  };
  emit({
    name: 'pdf_300_import_peak_rss',
    value: result.maxRssMb,
    unit: 'MB',
    pages: result.pages,
    fileMb: Math.round(bytes.length / 1048576),
    limitMb: RSS_LIMIT_MB,
    withinLimit: result.maxRssMb < RSS_LIMIT_MB,
    note: 'separate process: open backend, import (render, cleanup, store), no OCR',
  });
  emit({
    name: 'pdf_300_import_pages_per_minute',
    value: round((result.pages / result.seconds) * 60),
    unit: 'pages/min',
    pages: result.pages,
  });
}

async function detectionAccuracy(): Promise<void> {
  log(`cleanup detection on ${TRUTH} pages with known truth`);
  const counts = { orientation: [0, 0], skew: [0, 0], blank: [0, 0] };
  const wrong: string[] = [];
  for (let n = 0; n < TRUTH; n++) {
    const truth = truthOf(n + 3);
    const { scan } = await truthImage(n + 3, truth);
    const { data, info } = await sharp(scan).raw().toBuffer({ resolveWithObject: true });
    const found = await analyzePage(
      { data, width: info.width, height: info.height, channels: info.channels as 1 | 3 },
      200,
    );
    const tally = (kind: keyof typeof counts, ok: boolean, what: string): void => {
      counts[kind][ok ? 0 : 1]!++;
      if (!ok) wrong.push(`page ${n}: ${what}`);
    };
    tally('blank', found.blank === truth.blank, `blank ${found.blank} (truth ${truth.blank})`);
    if (truth.blank) continue;
    tally(
      'orientation',
      found.rotation === (360 - truth.rotation) % 360,
      `rotation ${found.rotation} (truth ${truth.rotation} scanned)`,
    );
    tally('skew', Math.abs(found.skew - truth.skew) <= 0.5, `skew ${found.skew} (truth ${truth.skew})`);
  }
  for (const [kind, [right, bad]] of Object.entries(counts)) {
    emit({
      name: `cleanup_${kind}_right`,
      value: right,
      unit: 'pages',
      wrong: bad,
      note: kind === 'skew' ? 'within 0.5°' : '',
    });
  }
  if (wrong.length > 0) log(`wrong: ${wrong.join('; ')}`);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

const work = await mkdtemp(path.join(os.tmpdir(), 'sohoa-bench-capture-'));
try {
  emit({ name: 'machine', value: os.availableParallelism(), unit: 'cores', load1: round(os.loadavg()[0] ?? 0) });
  await detectionAccuracy();
  await stackThroughHotFolder(work);
  await bigPdfMemory(work);
} finally {
  if (KEEP) log(`kept ${work}`);
  else await rm(work, { recursive: true, force: true });
}
