/**
 * Size of SoHoa's searchable PDF/A per A4 page at 300 dpi, for greyscale text pages, colour pages
 * (a red seal and a blue signature on a scanner's colour JPEG) and bilevel pages, against
 * `ocrmypdf --output-type pdfa` (default optimization) on the same images when it is installed.
 *
 *   npm run bench:pdf            (BENCH_PAGES=3 by default: a form, a letter and a dense page)
 *
 * stdout: one JSON line per figure, {"name","value","unit","reference",...}; "reference" is
 * ocrmypdf's bytes per page, or null when ocrmypdf is not installed. stderr: progress.
 * The text layer is SoHoa's own OCR of each page (tesseract.js, one worker), so the PDFs carry
 * what a real export carries.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { prepareForOcr } from '../electron/core/imaging/ocr-input.ts';
import { DEFAULT_OCR_LANGUAGES, ensureLanguageFolder } from '../electron/core/ocr/language-data.ts';
import { readPage } from '../electron/core/ocr/read-page.ts';
import { OcrPool, type OcrResult } from '../electron/core/ocr/pool.ts';
import { renderSearchablePdf, type PdfPageSource } from '../electron/core/pdf/searchable-pdf.ts';
import type { PdfDescription } from '../electron/core/pdf/pdf-metadata.ts';
import { SAMPLE_PAGES, renderTextPage, type SamplePage } from '../tests/fixtures/scans.ts';

const run = promisify(execFile);
const A4_300 = { widthPx: 2480, heightPx: 3508, dpi: 300 } as const;
type PageClass = 'grey_text' | 'colour' | 'bilevel';

function log(message: string): void {
  process.stderr.write(`[bench:pdf] ${message}\n`);
}

function emit(figure: Record<string, unknown> & { name: string; value: number | null; unit: string }): void {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

function pickPages(n: number): SamplePage[] {
  const kinds = ['form', 'letter', 'dense'] as const;
  return Array.from({ length: n }, (_, i) => {
    const kind = kinds[i % kinds.length];
    const pool = SAMPLE_PAGES.filter((p) => p.kind === kind);
    const page = pool[Math.floor(i / kinds.length) % pool.length];
    if (!page) throw new Error(`no sample page of kind ${kind}`);
    return page;
  });
}

/** A red seal and a blue signature near the bottom right, composited on a colour scan, saved as scanners do (JPEG q 90). */
async function colourScan(lines: readonly string[], seed: number): Promise<Buffer> {
  const page = await renderTextPage({ lines, ...A4_300, noiseSeed: seed, rgb: true });
  const size = 520;
  const seal = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">
    <circle cx="260" cy="260" r="220" fill="none" stroke="#c8102e" stroke-width="22"/>
    <circle cx="260" cy="260" r="150" fill="none" stroke="#c8102e" stroke-width="8"/>
    <path d="M 60 400 C 200 250, 300 520, 470 330" stroke="#1a3a9c" stroke-width="9" fill="none"/>
  </svg>`);
  return sharp(page)
    .composite([{ input: seal, top: A4_300.heightPx - 900, left: A4_300.widthPx - 900 }])
    .withMetadata({ density: A4_300.dpi })
    .jpeg({ quality: 90 })
    .toBuffer();
}

async function bilevelScan(grey: Buffer): Promise<Buffer> {
  return sharp(grey).threshold(150).toColourspace('b-w').withMetadata({ density: A4_300.dpi }).png().toBuffer();
}

function description(title: string, pages: number): PdfDescription {
  const now = new Date();
  return {
    title,
    author: 'SoHoa bench',
    subject: 'Bench page set',
    keywords: [],
    creator: 'SoHoa bench',
    producer: 'SoHoa bench',
    createdAt: now,
    modifiedAt: now,
    documentId: '0'.repeat(32),
    instanceId: '1'.repeat(32),
    facts: {
      ownerId: null,
      ownerName: null,
      dossierCode: null,
      procedureCode: null,
      procedureName: null,
      documentType: null,
      digitizedBy: 'bench',
      digitizedAt: now.toISOString(),
      unitName: null,
      unitCode: null,
      sourceId: 'bench',
      pageCount: pages,
    },
  };
}

async function ocrmypdfVersion(): Promise<string | null> {
  try {
    return (await run('ocrmypdf', ['--version'])).stdout.trim();
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const n = Math.max(1, Number(process.env.BENCH_PAGES) || 3);
  const work = await mkdtemp(join(tmpdir(), 'sohoa-bench-pdf-'));
  const pool = new OcrPool({
    langPath: await ensureLanguageFolder(join(work, 'lang')),
    languages: DEFAULT_OCR_LANGUAGES,
    size: 1,
  });
  try {
    const samples = pickPages(n);
    const scans: Record<PageClass, Buffer[]> = { grey_text: [], colour: [], bilevel: [] };
    const ocr: OcrResult[] = [];
    for (const [i, sample] of samples.entries()) {
      log(`page ${i + 1}/${n} (${sample.kind}): rendering and OCR`);
      const grey = await renderTextPage({ lines: sample.lines, ...A4_300, noiseSeed: 100 + i });
      scans.grey_text.push(grey);
      scans.colour.push(await colourScan(sample.lines, 100 + i));
      scans.bilevel.push(await bilevelScan(grey));
      // One OCR per sheet: the three scans of a sheet share its geometry, so they share its words.
      const input = await prepareForOcr(grey);
      ocr.push(await readPage(pool, input, { width: A4_300.widthPx, height: A4_300.heightPx }));
    }

    const reference = await ocrmypdfVersion();
    if (!reference) log('ocrmypdf is not installed: reference figures are null');
    for (const pageClass of ['grey_text', 'colour', 'bilevel'] as const) {
      const images = scans[pageClass];
      const sources: PdfPageSource[] = images.map((image, i) => ({
        image: async () => image,
        dpi: null,
        words: ocr[i]?.words ?? null,
        lines: ocr[i]?.lines ?? null,
      }));
      const started = process.hrtime.bigint();
      const whole = await renderSearchablePdf(sources, description(pageClass, images.length));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      let singles = 0;
      for (const source of sources)
        singles += (await renderSearchablePdf([source], description(pageClass, 1))).bytes.length;

      let referenceBytes: number | null = null;
      if (reference) {
        let total = 0;
        for (const [i, image] of images.entries()) {
          const input = join(work, `${pageClass}-${i}.${pageClass === 'colour' ? 'jpg' : 'png'}`);
          const output = join(work, `${pageClass}-${i}.pdf`);
          await writeFile(input, image);
          log(`ocrmypdf ${pageClass} page ${i + 1}/${images.length}`);
          await run(
            'ocrmypdf',
            [
              '-l',
              DEFAULT_OCR_LANGUAGES,
              '--jobs',
              '1',
              '--output-type',
              'pdfa',
              '--image-dpi',
              '300',
              '--quiet',
              input,
              output,
            ],
            {
              env: { ...process.env, OMP_THREAD_LIMIT: '1' },
            },
          );
          total += (await stat(output)).size;
        }
        referenceBytes = Math.round(total / images.length);
      }
      emit({
        name: `pdf.bytes_per_page.${pageClass}`,
        value: Math.round(whole.bytes.length / images.length),
        unit: 'bytes',
        reference: referenceBytes,
        reference_tool: reference ? `ocrmypdf ${reference} --output-type pdfa (default -O1)` : null,
        single_page_pdf_bytes: Math.round(singles / images.length),
        image_bytes: Math.round(whole.pages.reduce((s, p) => s + p.imageBytes, 0) / images.length),
        modes: whole.pages.map((p) => p.mode),
        page: 'A4 2480x3508 px at 300 dpi',
        pages: images.length,
        render_seconds_per_page: Math.round((seconds / images.length) * 1000) / 1000,
        input_bytes_per_page: Math.round(images.reduce((s, b) => s + b.length, 0) / images.length),
      });
    }
  } finally {
    await pool.close();
    if (!process.env.BENCH_KEEP) await rm(work, { recursive: true, force: true });
    else log(`kept ${work}`);
  }
}

await main();
