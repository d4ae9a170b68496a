/**
 * What deriving a page's colour mode costs the postal workload report (reports/page-colour.ts):
 * milliseconds per A4 page at 200 dpi, text-only and with a red seal, against decoding the same
 * page to raw pixels (the least any look at the pixels costs) and against encoding it for the PDF
 * (what telling the mode from the PDF's choice would cost), in the same run.
 *   npx tsx bench/report-colour.ts        (SOHOA_BENCH_PAGES=N pages each, default 6)
 */
import sharp from 'sharp';
import { encodePageImage, pageColourMode } from '../electron/core/pdf/page-image.ts';
import { A4_200DPI, renderTextPage, SAMPLE_PAGES } from '../tests/fixtures/scans.ts';

const pages = Number(process.env.SOHOA_BENCH_PAGES ?? 6);
const sample = SAMPLE_PAGES[0];
if (!sample) throw new Error('no sample page');
const text = await renderTextPage({ lines: sample.lines, ...A4_200DPI });
const { width, height } = await sharp(text).metadata();
const w = width ?? A4_200DPI.widthPx;
const h = height ?? A4_200DPI.heightPx;
const seal = Buffer.from(
  `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">` +
    `<circle cx="${w * 0.75}" cy="${h * 0.8}" r="${w * 0.08}" fill="none" stroke="#d01010" stroke-width="12"/></svg>`,
);
const coloured = await sharp(text)
  .composite([{ input: seal }])
  .png()
  .toBuffer();

async function perPage(run: () => Promise<unknown>): Promise<number> {
  await run(); // warm up
  const started = performance.now();
  for (let i = 0; i < pages; i++) await run();
  return (performance.now() - started) / pages;
}

for (const [kind, bytes] of [
  ['text', text],
  ['seal', coloured],
] as const) {
  const decode = await perPage(() => sharp(bytes).raw().toBuffer());
  const encode = await perPage(() => encodePageImage(bytes));
  const value = await perPage(() => pageColourMode(bytes));
  const line = {
    name: `colour-mode-${kind}-a4-200dpi`,
    value: Math.round(value),
    unit: 'ms/page',
    reference: Math.round(decode),
    referenceName: 'decode-raw',
    encodeForPdf: Math.round(encode),
    mode: await pageColourMode(bytes),
    pdfMode: (await encodePageImage(bytes)).mode,
    pages,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
