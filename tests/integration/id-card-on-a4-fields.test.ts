import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/core/backend';
import { CCCD_FRONT_FIELDS } from '../../electron/core/citizens/id-cards';
import { A4_HOLDERS, renderCardsOnA4, renderFormWithBoxes } from '../fixtures/id-card-on-a4';
import { SAMPLE_CCCD_QR } from '../fixtures/id-card-pages';
import { call, importRecognized, openTempBackend } from '../support/temp-backend';

/**
 * ID cards photocopied onto an A4 sheet, through the real backend (import, cleanup, OCR and page
 * analysis, then `idCards.readFields`): the card is found on the sheet, straightened, cropped, and
 * its printed fields read line by line; a form that mentions the citizen's ID card is not a card.
 */
describe('ID card fields on an A4 sheet', () => {
  let backend: Backend;
  let dir: string;
  let close: () => Promise<void>;
  let dossierId: string;

  beforeAll(async () => {
    ({ backend, dir, close } = await openTempBackend({ runSync: false, watchHotFolders: false }));
    dossierId = (
      await call(backend, 'dossiers.create', {
        citizenId: '001085012345',
        citizenName: 'Nguyễn Văn An',
        procedureCode: '1.001193',
      })
    ).id;
  });

  afterAll(async () => {
    await close?.();
  });

  async function importPage(name: string, bytes: Buffer): Promise<number> {
    const [pageId] = await importRecognized(backend, dir, { name, bytes }, { dossierId, citizenId: null });
    if (pageId === undefined) throw new Error('no page');
    return pageId;
  }

  it('reads the card front copied onto a sheet, leaning 2°, and checks it against its QR code', async () => {
    const [holder] = A4_HOLDERS;
    if (!holder) throw new Error('no holder');
    const pageId = await importPage(
      'ban-sao-cccd.jpg',
      await renderCardsOnA4({
        cards: [{ front: holder, qr: SAMPLE_CCCD_QR, leftMm: 55, topMm: 40, rotateDeg: 2 }],
        jpegQuality: 85,
      }),
    );
    expect((await call(backend, 'pages.get', { id: pageId })).idCards.map((card) => card.id)).toEqual(['001085012345']);
    expect(await call(backend, 'idCards.readFields', { pageId })).toMatchObject({
      recognised: true,
      id: '001085012345',
      name: 'NGUYỄN VĂN AN',
      dob: '1985-03-15',
      sex: 'male',
      qrPresent: true,
      mismatches: [],
    });
  });

  it('reads the front of a sheet that carries the front and the back, without a QR code', async () => {
    const holder = A4_HOLDERS[1];
    if (!holder) throw new Error('no holder');
    const pageId = await importPage(
      'hai-mat-cccd.png',
      await renderCardsOnA4({
        cards: [
          { front: holder, leftMm: 30, topMm: 30, rotateDeg: -1.5 },
          { back: { id: holder.id }, leftMm: 35, topMm: 150, rotateDeg: 1 },
        ],
      }),
    );
    // The page panel offers the printed fields of a page suggested as an ID card, as this sheet is.
    expect((await call(backend, 'pages.get', { id: pageId })).documentType.suggested).toBe('cccd');
    const fields = await call(backend, 'idCards.readFields', { pageId });
    expect(fields).toMatchObject({
      recognised: true,
      id: '079190123456',
      name: 'TRẦN THỊ QUỲNH',
      dob: '1990-09-07',
      sex: 'female',
      qrPresent: false,
      mismatches: [],
    });
    expect(fields.confidence).toBeGreaterThan(50);
  });

  it('reads the upper of two card fronts copied onto one sheet', async () => {
    const [lower, , , upper] = A4_HOLDERS;
    if (!lower || !upper) throw new Error('no holder');
    const pageId = await importPage(
      'hai-the.png',
      await renderCardsOnA4({
        cards: [
          { front: lower, leftMm: 100, topMm: 170, rotateDeg: 0.5 },
          { front: upper, leftMm: 20, topMm: 45, rotateDeg: -2 },
        ],
      }),
    );
    expect(await call(backend, 'idCards.readFields', { pageId })).toMatchObject({
      recognised: true,
      id: '031192004567',
      dob: '1992-06-02',
      sex: 'female',
    });
  });

  it('reads a sheet’s card in the background once analysis saw it, so the clerk’s call costs no OCR', async () => {
    // Every tesseract read of this backend's pool counts: the page itself, then one per card field.
    const reads = (): number => backend.ocr.stats.recognized;
    const holder = A4_HOLDERS[2];
    if (!holder) throw new Error('no holder');
    const before = reads();
    const pageId = await importPage(
      'ban-sao-cccd-2.png',
      await renderCardsOnA4({ cards: [{ front: holder, leftMm: 90, topMm: 200, rotateDeg: 1 }] }),
    );
    const afterPage = reads();
    expect(afterPage).toBe(before + 1);
    // The background read starts once the page's analysis is stored: wait until it read every field.
    const fieldsRead = afterPage + CCCD_FRONT_FIELDS.length;
    for (let waited = 0; reads() < fieldsRead && waited < 600; waited++)
      await new Promise((done) => setTimeout(done, 100));
    expect(reads()).toBe(fieldsRead);
    // The clerk's call shares that read: no further OCR.
    expect(await call(backend, 'idCards.readFields', { pageId })).toMatchObject({
      recognised: true,
      id: '048085006789',
      sex: 'male',
    });
    expect(reads()).toBe(fieldsRead);
  });

  it('reads nothing on a form that mentions the ID card, with a card-sized table and boxes', async () => {
    const pageId = await importPage('to-khai-co-bang.png', await renderFormWithBoxes());
    expect(await call(backend, 'idCards.readFields', { pageId })).toEqual({
      recognised: false,
      id: null,
      name: null,
      dob: null,
      sex: null,
      confidence: null,
      qrPresent: false,
      mismatches: [],
    });
  });
});
