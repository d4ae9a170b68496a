import sharp from 'sharp';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCardCodes } from '../../electron/core/citizens/id-cards';
import { prepareForOcr } from '../../electron/core/imaging/ocr-input';
import {
  MIN_FIRST_PASS_DPI,
  QR_WORKING_SIDE,
  readGreyQrCodes,
  readQrCodes,
  rememberGreyDecode,
  type GreyImage,
} from '../../electron/core/imaging/qr-reader';
import { parseCccdQr } from '../../shared/domain/cccd-qr';
import {
  CARD_FRONT_LINES,
  SAMPLE_CCCD_FIELDS,
  SAMPLE_CCCD_QR,
  qrImage,
  renderIdCardPage,
  type IdCardPageOptions,
} from '../fixtures/id-card-pages';
import { a4AtDpi, renderTextPage } from '../fixtures/scans';

const SECOND_CARD =
  '079190123456|023456789|Trần Thị Bích Ngọc|02091990|Nữ|Tổ 5, phường Hòa Cường Bắc, Hải Châu, Đà Nẵng|10102022';

async function grey(image: Buffer, scale = 1): Promise<GreyImage> {
  const meta = await sharp(image).metadata();
  const { data, info } = await sharp(image)
    .resize({ width: Math.round((meta.width ?? 1) * scale) })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

// zxing-wasm fetches its .wasm from a CDN unless handed the package's copy: any fetch is a bug.
const fetchCalls: string[] = [];
const realFetch = globalThis.fetch;
beforeAll(() => {
  globalThis.fetch = ((input: Parameters<typeof fetch>[0]) => {
    fetchCalls.push(String(input));
    return Promise.reject(new Error('network access during QR decoding'));
  }) as typeof fetch;
});
afterAll(() => {
  globalThis.fetch = realFetch;
});

describe('reading chip ID card QR codes from page images', () => {
  const scans: [string, IdCardPageOptions][] = [
    ['an upright PNG scan', {}],
    ['a page fed sideways (90°), JPEG', { rotateDeg: 90, jpegQuality: 85 }],
    ['a card laid askew (7°) on the glass, JPEG quality 60', { rotateDeg: 7, jpegQuality: 60 }],
    ['small modules (2 px each), JPEG quality 75', { moduleSize: 2, jpegQuality: 75 }],
    ['small modules, askew (4°), JPEG quality 60', { moduleSize: 2, rotateDeg: 4, jpegQuality: 60 }],
    ['upside down (180°), 3 px modules', { rotateDeg: 180, moduleSize: 3, jpegQuality: 80 }],
  ];

  it.each(scans)('reads %s with zxing-wasm and parses it as the card', async (_name, options) => {
    const found = await readQrCodes(await renderIdCardPage(options));
    expect(found.map((code) => code.decoder)).toEqual(['zxing']);
    expect(found[0]?.text).toBe(SAMPLE_CCCD_QR);
    const card = parseCccdQr(found[0]?.text ?? '', { now: new Date('2025-06-01') });
    expect(card).toMatchObject({ ok: true, ...SAMPLE_CCCD_FIELDS, warnings: [] });
  });

  it('reads the same scans with jsqr, the pure-JavaScript fallback', async () => {
    for (const options of [{}, { rotateDeg: 7, jpegQuality: 60 }, { moduleSize: 2, jpegQuality: 75 }]) {
      const found = await readGreyQrCodes(await grey(await renderIdCardPage(options)), 'jsqr');
      expect(found.map((code) => [code.decoder, code.text])).toEqual([['jsqr', SAMPLE_CCCD_QR]]);
    }
  });

  it('reads a large scan at full size when the reduced working copy loses the small modules', async () => {
    const big = await renderIdCardPage({ widthPx: 3400, heightPx: 4700, moduleSize: 2, jpegQuality: 85 });
    // The first pass reads a copy whose long side is QR_WORKING_SIDE: 2 px modules become ~1.1 px.
    const reduced = await grey(big, QR_WORKING_SIDE / 4700);
    expect(await readGreyQrCodes(reduced, 'zxing')).toEqual([]);
    const found = await readQrCodes(big);
    expect(found.map((code) => code.text)).toEqual([SAMPLE_CCCD_QR]);
  });

  it('reads a 300 dpi page’s code from the OCR working copy, in the page’s own pixels', async () => {
    // An A4 page at 300 dpi with a card's code (0.34 mm modules) at a known place.
    const text = await renderTextPage({ lines: CARD_FRONT_LINES, ...a4AtDpi(300) });
    const qr = await qrImage(SAMPLE_CCCD_QR, 4);
    const page = await sharp(text)
      .composite([{ input: qr, left: 1900, top: 2600 }])
      .png()
      .toBuffer();
    // OCR reads the page at about 165 dpi; QR reading comes next and reads that reduced copy, and
    // only that one: a page with no code is not read again at full size.
    const input = await prepareForOcr(page);
    expect(input.scale).toBeLessThan(1);
    expect(input.dpi).toBeGreaterThanOrEqual(MIN_FIRST_PASS_DPI);
    const found = await readQrCodes(page);
    expect(found.map((code) => code.text)).toEqual([SAMPLE_CCCD_QR]);
    // The code's quiet zone is 4 modules: its top-left module sits 16 px inside the composited image.
    expect(Math.abs((found[0]?.x ?? 0) - 1916)).toBeLessThan(12);
    expect(Math.abs((found[0]?.y ?? 0) - 2616)).toBeLessThan(12);
  });

  it('reads the decode OCR made of a page when it is a little over the working side, not a new one', async () => {
    // The decodes are told apart by content: the decode offered is of another card, the same size.
    async function readWithOffer(widthPx: number): Promise<string[]> {
      const size = { widthPx, heightPx: Math.round(widthPx * 0.7), moduleSize: 6 };
      const page = await renderIdCardPage(size);
      rememberGreyDecode(page, await grey(await renderIdCardPage({ ...size, payload: SECOND_CARD })));
      return (await readQrCodes(page)).map((code) => code.text);
    }
    // The OCR working copy of a 300 dpi page is often about 2670 px long: read as it is.
    expect(await readWithOffer(QR_WORKING_SIDE + 70)).toEqual([SECOND_CARD]);
    // Far over the working side, the page is decoded anew, smaller.
    expect(await readWithOffer(Math.round(QR_WORKING_SIDE * 1.3))).toEqual([SAMPLE_CCCD_QR]);
  });

  it('reads a reduced copy that found no code again at full size only when it was read under 140 dpi', async () => {
    // The copy offered is white paper the copy's size: only a second, full-size pass finds the
    // page's code.
    async function readWithBlankOffer(statedDpi: number | undefined, scale: number): Promise<string[]> {
      const page = await renderIdCardPage({ widthPx: 2000, heightPx: 1400 });
      const width = Math.round(2000 * scale);
      const height = Math.round(1400 * scale);
      rememberGreyDecode(page, { data: new Uint8Array(width * height).fill(255), width, height }, scale, statedDpi);
      return (await readQrCodes(page)).map((code) => code.text);
    }
    // A 300 dpi scan whose OCR working copy is 0.55 of it: 165 dpi, where a card's modules survive.
    expect(await readWithBlankOffer(300, 0.55)).toEqual([]);
    // A 200 dpi scan reduced as much: 110 dpi may have lost them.
    expect(await readWithBlankOffer(200, 0.55)).toEqual([SAMPLE_CCCD_QR]);
    // No stated resolution (or a default 72): by the share of the size kept, as before.
    expect(await readWithBlankOffer(undefined, 0.55)).toEqual([SAMPLE_CCCD_QR]);
    expect(await readWithBlankOffer(72, 0.65)).toEqual([]);
  });

  it('reads both cards of a two-card photocopy, top to bottom', async () => {
    const found = await readQrCodes(await renderIdCardPage({ secondPayload: SECOND_CARD, jpegQuality: 85 }));
    expect(found.map((code) => code.text)).toEqual([SAMPLE_CCCD_QR, SECOND_CARD]);
    expect(idCardCodes(found)).toHaveLength(2);
  });

  it('finds nothing on a page without a QR code, and ignores QR codes that are not ID cards', async () => {
    expect(
      await readQrCodes(await renderTextPage({ lines: ['Trang không có mã QR'], widthPx: 900, heightPx: 700 })),
    ).toEqual([]);
    const receiptQr = await QRCode.toBuffer('000.00.01.H26-231201-0001', { scale: 5, margin: 4 });
    const page = await sharp({ create: { width: 900, height: 700, channels: 3, background: '#ffffff' } })
      .composite([{ input: receiptQr, left: 600, top: 80 }])
      .png()
      .toBuffer();
    const found = await readQrCodes(page);
    expect(found.map((code) => code.text)).toEqual(['000.00.01.H26-231201-0001']);
    expect(idCardCodes(found)).toEqual([]);
  });

  it('never touched the network', () => {
    expect(fetchCalls).toEqual([]);
  });
});
