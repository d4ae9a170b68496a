import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdCardFieldReader } from '../../electron/core/analysis/page-analysis';
import type { Backend } from '../../electron/core/backend';
import { fieldMismatches } from '../../electron/core/citizens/id-cards';
import { DEFAULT_OCR_LANGUAGES, ensureLanguageFolder } from '../../electron/core/ocr/language-data';
import { OcrPool } from '../../electron/core/ocr/pool';
import { SAMPLE_CCCD_QR } from '../fixtures/id-card-pages';
import { renderCardFront } from '../fixtures/id-card-front';
import { renderTextPage } from '../fixtures/scans';
import { call, importRecognized, openTempBackend, tempDir } from '../support/temp-backend';

/**
 * The printed fields of a page recognised as an ID card front, through the real backend (import,
 * OCR and page analysis, then `idCards.readFields`): offered when the card has no readable QR
 * code, checked against the QR code when it has one, and not read at all for other pages.
 */
describe('ID card printed fields on a recognised card page', () => {
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

  it('offers the printed fields of a card without a QR code once its type says “ID card”', async () => {
    const pageId = await importPage(
      'the-khong-qr.jpg',
      await renderCardFront({
        id: '079190123456',
        name: 'TRẦN THỊ QUỲNH',
        dob: '07/09/1990',
        sex: 'Nữ',
        nationality: 'Việt Nam',
      }),
    );
    const page = await call(backend, 'pages.get', { id: pageId });
    expect(page.idCards).toEqual([]);
    // Confirmed by the clerk, whatever the text suggested: the page counts as an ID card.
    await call(backend, 'documents.setType', { documentId: page.documentId, code: 'cccd' });
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

  it('checks the printed fields against the card’s QR code and shows a mismatch', async () => {
    // The QR code says born 15/03/1985; the printed date says the 16th.
    const pageId = await importPage(
      'the-co-qr.jpg',
      await renderCardFront(
        { id: '001085012345', name: 'NGUYỄN VĂN AN', dob: '16/03/1985', sex: 'Nam', nationality: 'Việt Nam' },
        { qr: SAMPLE_CCCD_QR },
      ),
    );
    const page = await call(backend, 'pages.get', { id: pageId });
    expect(page.idCards.map((card) => card.dob)).toEqual(['1985-03-15']);
    const fields = await call(backend, 'idCards.readFields', { pageId });
    expect(fields).toMatchObject({
      recognised: true,
      id: '001085012345',
      dob: '1985-03-16',
      sex: 'male',
      qrPresent: true,
      mismatches: ['dob'],
    });
    // The QR code stays what the page shows and what the clerk applies: nothing was chosen.
    expect((await call(backend, 'pages.get', { id: pageId })).idCards[0]?.dob).toBe('1985-03-15');
  });

  it('reads the page as stored, not an image handed in that is no longer the page’s', async () => {
    const pageId = await importPage(
      'the-xoay.jpg',
      await renderCardFront({
        id: '079190654321',
        name: 'LÊ VĂN BÌNH',
        dob: '02/01/1991',
        sex: 'Nam',
        nationality: 'Việt Nam',
      }),
    );
    const page = await call(backend, 'pages.get', { id: pageId });
    await call(backend, 'documents.setType', { documentId: page.documentId, code: 'cccd' });
    const other = await renderCardFront({
      id: '001085099999',
      name: 'PHẠM THỊ HOA',
      dob: '09/09/1985',
      sex: 'Nữ',
      nationality: 'Việt Nam',
    });
    // A reader of its own, so nothing read ahead after OCR is remembered.
    const languages = tempDir('sohoa-id-page-fields-');
    const pool = new OcrPool({
      langPath: await ensureLanguageFolder(languages.dir),
      languages: DEFAULT_OCR_LANGUAGES,
      size: 1,
    });
    try {
      const reader = new IdCardFieldReader({ db: backend.db, store: backend.store, reader: pool });
      // As if the page was turned between OCR and the read-ahead: the image OCR read is stale.
      const stale = await reader.read(pageId, { sha256: 'f'.repeat(64), bytes: other });
      expect(stale).toMatchObject({ recognised: true, id: '079190654321' });
      // The page's own image, handed in as OCR read it, reads the same.
      const sha = (
        backend.db.prepare('SELECT image_sha256 FROM pages WHERE id = ?').get(pageId) as {
          image_sha256: string;
        }
      ).image_sha256;
      const fresh = new IdCardFieldReader({ db: backend.db, store: backend.store, reader: pool });
      const handed = await fresh.read(pageId, { sha256: sha, bytes: await backend.store.read(sha) });
      expect(handed).toMatchObject({ recognised: true, id: '079190654321', sex: 'male' });
    } finally {
      await pool.close();
      languages.cleanup();
    }
  });

  it('reads nothing on the back of a card, though its document is an ID card', async () => {
    const pageId = await importPage(
      'mat-sau.png',
      await renderTextPage({
        lines: ['Đặc điểm nhân dạng: Nốt ruồi', 'IDVNM0790123456<<<<<<<<<<<<'],
        widthPx: 1012,
        heightPx: 638,
      }),
    );
    const page = await call(backend, 'pages.get', { id: pageId });
    await call(backend, 'documents.setType', { documentId: page.documentId, code: 'cccd' });
    expect((await call(backend, 'idCards.readFields', { pageId })).recognised).toBe(false);
  });

  it('compares names without diacritics or case, and never counts an unread field', () => {
    const qr = { id: '001085012345', name: 'Nguyễn Văn An', dob: '1985-03-15', sex: 'male' } as const;
    expect(fieldMismatches({ id: null, name: 'NGUYEN VAN  AN', dob: null, sex: null }, qr)).toEqual([]);
    expect(fieldMismatches({ id: '001085012346', name: 'NGUYỄN VĂN AM', dob: null, sex: 'female' }, qr)).toEqual([
      'id',
      'name',
      'sex',
    ]);
  });

  it('reads nothing on a page that is not an ID card', async () => {
    const pageId = await importPage(
      'to-khai.png',
      await renderTextPage({ lines: ['TỜ KHAI ĐĂNG KÝ KHAI SINH'], widthPx: 900, heightPx: 1200 }),
    );
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
