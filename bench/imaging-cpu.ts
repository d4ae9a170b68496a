/**
 * CPU that SoHoa's own image analysis spends per imported page, outside tesseract: the colour mode
 * recorded at import, the cleanup analysis (orientation, skew, borders, blank, blur), the ID card
 * QR reading and the OCR working copy. Every CPU-millisecond here competes with the OCR workers on
 * a 2-core machine. Reference in the same run: sharp decoding the same page to grey pixels, the
 * least any look at the pixels costs.
 *
 *   npm run bench:imaging     (SOHOA_BENCH_PAGES=12 A4 pages at BENCH_DPI=200 (or 300), BENCH_ROUNDS=5)
 *
 * stdout: one JSON line per step, {"name","value","unit",...}: `value` is the process CPU time per
 * page (main thread and libvips threads), the minimum over the rounds (the machine is shared);
 * `wallMs` is the wall time of that same run. Steps run in the import and OCR order.
 */
import sharp from 'sharp';
import { analyzePage } from '../electron/core/capture/cleanup.ts';
import { medianGlyphHeight, prepareForOcr } from '../electron/core/imaging/ocr-input.ts';
import { readQrCodes } from '../electron/core/imaging/qr-reader.ts';
import { colourModeOfPixels } from '../electron/core/pdf/page-image.ts';
import { A4_200DPI, a4AtDpi, renderTextPage, SAMPLE_PAGES } from '../tests/fixtures/scans.ts';
import { emit, ROUNDS } from './bench-support.ts';

process.env.SOHOA_PASSPHRASE ??= 'bench-imaging-cpu';

const count = Number(process.env.SOHOA_BENCH_PAGES ?? 12);
const dpi = Number(process.env.BENCH_DPI ?? A4_200DPI.dpi);
if (dpi !== 200 && dpi !== 300) throw new RangeError(`BENCH_DPI must be 200 or 300, got "${process.env.BENCH_DPI}"`);
const a4 = a4AtDpi(dpi);
const skews = [0, 0.8, -0.6];
const pages: Buffer[] = [];
for (let i = 0; i < count; i++) {
  const sample = SAMPLE_PAGES[i % SAMPLE_PAGES.length];
  if (!sample) throw new Error('no sample page');
  // As bench/ocr.ts: seed and skew differ per page.
  pages.push(
    await renderTextPage({ lines: sample.lines, noiseSeed: i + 1, skewDeg: skews[i % skews.length] ?? 0, ...a4 }),
  );
}

interface Decoded {
  png: Buffer;
  grey: Buffer;
  width: number;
  height: number;
}
const decoded: Decoded[] = [];
for (const png of pages) {
  const { data, info } = await sharp(png).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  decoded.push({ png, grey: data, width: info.width, height: info.height });
}

/** CPU and wall ms per page: for each page the fastest of ROUNDS runs, averaged over the pages. */
async function perPage(run: (page: Decoded) => unknown): Promise<{ cpu: number; wall: number }> {
  await run(decoded[0] as Decoded); // warm up (JIT, the QR reader's WebAssembly module)
  let cpu = 0;
  let wall = 0;
  for (const page of decoded) {
    let bestCpu = Infinity;
    let bestWall = Infinity;
    for (let round = 0; round < ROUNDS; round++) {
      const cpuStart = process.cpuUsage();
      const wallStart = performance.now();
      await run(page);
      const used = process.cpuUsage(cpuStart);
      bestWall = Math.min(bestWall, performance.now() - wallStart);
      bestCpu = Math.min(bestCpu, (used.user + used.system) / 1000);
    }
    cpu += bestCpu;
    wall += bestWall;
  }
  const round1 = (ms: number): number => Math.round((ms / decoded.length) * 10) / 10;
  return { cpu: round1(cpu), wall: round1(wall) };
}

const reference = await perPage((page) => sharp(page.png).greyscale().raw().toBuffer());
const common = { unit: 'ms', per: 'page', pages: decoded.length, ...a4 };
emit({
  name: 'imaging.decode',
  value: reference.cpu,
  wallMs: reference.wall,
  ...common,
  note: 'reference: sharp decode',
});

const steps: [string, (page: Decoded) => unknown][] = [
  ['imaging.colour-mode', (page) => colourModeOfPixels(page.grey, page.width, page.height, 1)],
  [
    'imaging.cleanup-analysis',
    (page) => analyzePage({ data: page.grey, width: page.width, height: page.height, channels: 1 }, dpi),
  ],
  ['imaging.ocr-input', (page) => prepareForOcr(page.png)],
  // As the OCR runner does: the page's QR codes are read after its OCR input was made from the same
  // image, whose decode may be reused.
  ['imaging.qr', (page) => readQrCodes(page.png)],
  // A page whose decode is not at hand (a copy of the bytes): what the QR step costs on its own.
  ['imaging.qr-cold', (page) => readQrCodes(Buffer.from(page.png))],
  ['imaging.glyph-height', (page) => medianGlyphHeight(page.grey, page.width, page.height)],
];
let total = 0;
for (const [name, run] of steps) {
  const { cpu, wall } = await perPage(run);
  // The glyph height is part of the OCR working copy: not counted twice.
  if (name !== 'imaging.glyph-height' && name !== 'imaging.qr-cold') total += cpu;
  emit({ name, value: cpu, wallMs: wall, ...common, reference: reference.cpu });
}
emit({
  name: 'imaging.total',
  value: Math.round(total * 10) / 10,
  ...common,
  reference: reference.cpu,
  note: 'colour mode + cleanup analysis + QR + OCR input',
});
