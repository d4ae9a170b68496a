/**
 * ID cards copied onto A4 sheets: how often the card is found and its printed fields read right,
 * and what finding it costs a page, against reading the page's QR codes (a step every analysed page
 * already pays) as the reference in the same run. The sheets are generated (invented holders, fronts
 * at several places, 0-3° either way, 200 and 300 dpi, PNG and JPEG, some with the back too) plus
 * forms with card-sized tables that must yield nothing.
 *
 *   npx tsx bench/card-locator.ts            (BENCH_ROUNDS=5)
 *
 * stdout: one JSON line per figure, {"name","value","unit",...}.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cropCard, decodeGrey, locateCards, pxPerMm } from '../electron/core/citizens/card-locator.ts';
import { readIdCardFields } from '../electron/core/citizens/id-cards.ts';
import { readQrCodes } from '../electron/core/imaging/qr-reader.ts';
import { DEFAULT_OCR_LANGUAGES, ensureLanguageFolder } from '../electron/core/ocr/language-data.ts';
import { OcrPool } from '../electron/core/ocr/pool.ts';
import {
  A4_HOLDERS,
  renderCardsOnA4,
  renderFormWithBoxes,
  type SheetOptions,
} from '../tests/fixtures/id-card-on-a4.ts';
import { emit, ROUNDS } from './bench-support.ts';

/** The median CPU time (all of the process's threads: libvips decodes on several) of ROUNDS runs, ms. */
async function medianCpu(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const before = process.cpuUsage();
    await run();
    const used = process.cpuUsage(before);
    times.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return Math.round((times[Math.floor(times.length / 2)] ?? 0) * 10) / 10;
}

const PLACES = [
  { leftMm: 20, topMm: 25, rotateDeg: 0 },
  { leftMm: 100, topMm: 60, rotateDeg: 3 },
  { leftMm: 40, topMm: 180, rotateDeg: -2 },
  { leftMm: 65, topMm: 110, rotateDeg: 1.5 },
  { leftMm: 110, topMm: 220, rotateDeg: -3 },
  { leftMm: 30, topMm: 120, rotateDeg: 2.5 },
  { leftMm: 95, topMm: 15, rotateDeg: -1 },
  { leftMm: 70, topMm: 200, rotateDeg: 0.5 },
] as const;

/** Below the front when it fits on the sheet, else above it, clear of the front either way. */
const backTop = (frontTopMm: number): number => (frontTopMm + 75 <= 235 ? frontTopMm + 75 : frontTopMm - 75);

const sheets: { options: SheetOptions; holder: number; backAbove: boolean }[] = [];
A4_HOLDERS.forEach((front, holder) => {
  PLACES.forEach((place, i) => {
    const withBack = i % 2 === 1;
    sheets.push({
      holder,
      backAbove: withBack && backTop(place.topMm) < place.topMm,
      options: {
        dpi: (holder + i) % 3 === 2 ? 300 : 200,
        jpegQuality: i % 2 === 0 ? 85 : undefined,
        cards: [
          { front, ...place },
          ...(withBack ? [{ back: { id: front.id }, leftMm: 40, topMm: backTop(place.topMm), rotateDeg: -1 }] : []),
        ],
      },
    });
  });
});

const work = mkdtempSync(join(tmpdir(), 'sohoa-bench-card-'));
const pool = new OcrPool({
  langPath: await ensureLanguageFolder(join(work, 'lang')),
  languages: DEFAULT_OCR_LANGUAGES,
  size: 1,
});
try {
  let found = 0;
  let extra = 0;
  const right = { id: 0, name: 0, dob: 0, sex: 0 };
  let allRight = 0;
  const misses: unknown[] = [];
  const locateMs: number[] = [];
  const decodeMs: number[] = [];
  const qrMs: number[] = [];
  await readQrCodes(await renderFormWithBoxes()); // starts the WebAssembly module once, as the app has
  for (const [n, sheet] of sheets.entries()) {
    const image = await renderCardsOnA4(sheet.options);
    const grey = await decodeGrey(image);
    const locate = async (): ReturnType<typeof locateCards> => {
      const decoded = await decodeGrey(image);
      return locateCards(decoded, pxPerMm(decoded.width, decoded.height, null));
    };
    if (n < 6) {
      decodeMs.push(await medianCpu(() => decodeGrey(image)));
      locateMs.push(await medianCpu(locate));
      qrMs.push(await medianCpu(() => readQrCodes(image)));
    }
    const cards = await locateCards(grey, pxPerMm(grey.width, grey.height, null));
    if (cards.length >= 1) found++;
    if (cards.length > sheet.options.cards.length) extra++;
    // The back goes above the front when the front is low on the sheet.
    const front = sheet.backAbove ? cards[1] : cards[0];
    if (!front) continue;
    const fields = await readIdCardFields(pool, await cropCard(grey, front));
    const holder = A4_HOLDERS[sheet.holder];
    if (!holder) continue;
    const [d, m, y] = holder.dob.split('/');
    const ok = {
      id: fields.id === holder.id,
      name: fields.name === holder.name,
      dob: fields.dob === `${y ?? ''}-${m ?? ''}-${d ?? ''}`,
      sex: fields.sex === (holder.sex === 'Nam' ? 'male' : 'female'),
    };
    for (const key of ['id', 'name', 'dob', 'sex'] as const) if (ok[key]) right[key]++;
    if (ok.id && ok.name && ok.dob && ok.sex) allRight++;
    else {
      const { dpi, jpegQuality, cards } = sheet.options;
      const wrong = (['id', 'name', 'dob', 'sex'] as const).filter((key) => !ok[key]);
      misses.push({ sheet: n, dpi, jpeg: jpegQuality !== undefined, rotateDeg: cards[0]?.rotateDeg, wrong });
    }
  }
  let formsFound = 0;
  for (const dpi of [200, 300]) {
    const grey = await decodeGrey(await renderFormWithBoxes(dpi));
    formsFound += (await locateCards(grey, pxPerMm(grey.width, grey.height, dpi))).length;
  }
  const total = sheets.length;
  emit({ name: 'card.sheets', value: total, unit: 'sheets' });
  emit({ name: 'card.located', value: found / total, unit: 'ratio', extraCards: extra });
  for (const key of ['id', 'name', 'dob', 'sex'] as const) {
    emit({ name: `card.field.${key}`, value: right[key] / total, unit: 'ratio' });
  }
  emit({ name: 'card.all-four-fields', value: allRight / total, unit: 'ratio', misses });
  emit({ name: 'card.form-false-cards', value: formsFound, unit: 'cards', forms: 2 });
  const mid = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const reference = mid(qrMs);
  emit({ name: 'card.decode.page', value: mid(decodeMs), unit: 'ms-cpu', reference, note: 'reference: QR reading' });
  emit({
    name: 'card.locate.page',
    value: mid(locateMs),
    unit: 'ms-cpu',
    reference,
    note: 'decode + locate; reference: QR reading',
  });
} finally {
  await pool.close();
  rmSync(work, { recursive: true, force: true });
}
