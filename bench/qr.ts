/**
 * What reading ID card QR codes adds to each recognized page: zxing-wasm and jsqr on A4 scans at
 * 200 dpi with and without a card, against making the OCR working copy of the same page (the
 * step before OCR) as the reference in the same run.
 *
 *   npx tsx bench/qr.ts            (BENCH_ROUNDS=5)
 *
 * stdout: one JSON line per figure, {"name","value","unit",...}.
 */
import sharp from 'sharp';
import { prepareForOcr } from '../electron/core/imaging/ocr-input.ts';
import { readGreyQrCodes, readQrCodes } from '../electron/core/imaging/qr-reader.ts';
import { SAMPLE_CCCD_QR, qrImage } from '../tests/fixtures/id-card-pages.ts';
import { renderTextPage } from '../tests/fixtures/scans.ts';
import { emit, median, sampleLetter } from './bench-support.ts';

const letter = sampleLetter();
const plain = await renderTextPage({ lines: letter.lines, jpegQuality: 85, noiseSeed: 3 });
const withCard = await sharp(plain)
  .composite([{ input: await qrImage(SAMPLE_CCCD_QR, 3), left: 1300, top: 150 }])
  .jpeg({ quality: 85 })
  .toBuffer();

await readQrCodes(plain); // starts the WebAssembly module once, as a running app has
for (const [kind, image] of [
  ['no-qr', plain],
  ['cccd-qr', withCard],
] as const) {
  const reference = await median(() => prepareForOcr(image));
  emit({ name: 'qr.page.working-copy', value: reference, unit: 'ms', page: kind, note: 'reference: OCR input' });
  emit({ name: 'qr.page.zxing', value: await median(() => readQrCodes(image)), unit: 'ms', page: kind, reference });
  const { data, info } = await sharp(image).greyscale().raw().toBuffer({ resolveWithObject: true });
  const grey = { data, width: info.width, height: info.height };
  emit({
    name: 'qr.page.jsqr',
    value: await median(() => readGreyQrCodes(grey, 'jsqr')),
    unit: 'ms',
    page: kind,
    reference,
  });
}
