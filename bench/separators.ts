/**
 * What looking for separator sheets and ID card QR codes adds to each page of a multi-page stack
 * (capture/separators.ts detectPageMarker), against the page analysis every imported page gets
 * anyway (capture/cleanup.ts analyzePage: orientation, skew, borders, blank) as the reference in the
 * same run. A4 pages at 200 dpi: a text page (no code: the common case), a printed separator sheet
 * rendered from the app's own PDF, and an ID card scan.
 *
 *   npx tsx bench/separators.ts            (BENCH_ROUNDS=5)
 *
 * stdout: one JSON line per figure, {"name","value","unit",...}.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { analyzePage, type Raster } from '../electron/core/capture/cleanup.ts';
import { PdfSource } from '../electron/core/capture/pdf-input.ts';
import { detectPageMarker, renderSeparatorPdf } from '../electron/core/capture/separators.ts';
import { renderIdCardPage } from '../tests/fixtures/id-card-pages.ts';
import { renderTextPage } from '../tests/fixtures/scans.ts';
import { emit, median, sampleLetter } from './bench-support.ts';

async function rasterOf(image: Buffer): Promise<Raster> {
  const { data, info } = await sharp(image)
    .flatten({ background: '#ffffff' })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 1 };
}

const work = mkdtempSync(path.join(os.tmpdir(), 'sohoa-bench-sep-'));
try {
  const letter = sampleLetter();
  const { bytes } = await renderSeparatorPdf(
    [{ dossierCode: '000.00.01.H26-231201-0001', componentCode: 'TK', label: 'Tờ khai đăng ký khai sinh' }],
    'bench',
  );
  const pdfFile = path.join(work, 'sheet.pdf');
  writeFileSync(pdfFile, bytes);
  const pdf = await PdfSource.open(pdfFile);
  const sheet = pdf.renderPage(0).raster;
  pdf.close();
  const card = await sharp(await renderIdCardPage())
    .extend({ right: 254, bottom: 1339, background: '#ffffff' })
    .png()
    .toBuffer();
  const pages: [string, Raster][] = [
    ['text', await rasterOf(await renderTextPage({ lines: letter.lines, noiseSeed: 3 }))],
    ['separator', sheet],
    ['id-card', await rasterOf(card)],
  ];
  await detectPageMarker(pages[0]?.[1] as Raster); // starts the QR reader once, as a running app has
  for (const [kind, raster] of pages) {
    const reference = await median(() => analyzePage(raster, 200));
    emit({
      name: 'separators.page.analysis',
      value: reference,
      unit: 'ms',
      page: kind,
      note: 'reference: cleanup analysis',
    });
    const found = await detectPageMarker(raster);
    emit({
      name: 'separators.page.detect',
      value: await median(() => detectPageMarker(raster)),
      unit: 'ms',
      page: kind,
      found: found?.kind ?? null,
      reference,
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
