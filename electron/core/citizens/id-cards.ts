/**
 * Chip ID card (CCCD) QR codes found on pages, and filling a dossier's citizen from one.
 *
 * The QR text is stored as decoded and parsed again when read, so the clerk's warnings (birth
 * year against the ID's century digit, dates in the future ...) follow today's date and the
 * parser's current rules. Its content is personal data: it never reaches a log or an error message.
 */
import sharp from 'sharp';
import type { CitizenCard, IdCardQr } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import { parseCccdQr, type CccdQrData } from '../../../shared/domain/cccd-qr';
import { foldText } from '../../../shared/domain/fold';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import { dossierSyncRecord } from '../dossiers/sync-record';
import { toPgm } from '../imaging/pgm';
import { readQrCodes, type FoundQr } from '../imaging/qr-reader';
import type { OcrResult, RecognizeOptions } from '../ocr/pool';
import { refreshSearchText } from '../pages/search-text';
import { writeOutbox } from '../sync/outbox';
import {
  CARD_BACK_MARKERS,
  cardContains,
  cardSideOfText,
  cropCard,
  decodeGrey,
  locateCards,
  mentionsIdCard,
  pxPerMm,
  type LocatedCard,
} from './card-locator';

/** The QR codes of a page that are CCCD cards, in page order; other QR codes are ignored. */
export function idCardCodes(found: readonly FoundQr[]): FoundQr[] {
  return found.filter((code) => parseCccdQr(code.text).ok);
}

/** Replaces what is stored for a page with the cards found on it this time. */
export function storePageIdCards(db: Db, pageId: number, cards: readonly FoundQr[]): void {
  db.prepare('DELETE FROM page_id_cards WHERE page_id = ?').run(pageId);
  const insert = db.prepare(
    'INSERT INTO page_id_cards (page_id, ordinal, payload, decoder, found_at) VALUES (?, ?, ?, ?, ?)',
  );
  const now = nowIso();
  cards.forEach((card, ordinal) => insert.run(pageId, ordinal, card.text, card.decoder, now));
}

export function pageHasIdCard(db: Db, pageId: number): boolean {
  return db.prepare('SELECT 1 FROM page_id_cards WHERE page_id = ? LIMIT 1').get(pageId) !== undefined;
}

/** The ID cards read from a page, parsed, top to bottom. */
export function listPageIdCards(db: Db, pageId: number, now = new Date()): IdCardQr[] {
  return pageCards(db, pageId, now).map(({ id, oldId, name, dob, sex, address, issued, warnings, warningsEn }) => ({
    id,
    oldId,
    name,
    dob,
    sex,
    address,
    issued,
    warnings,
    warningsEn,
  }));
}

function pageCards(db: Db, pageId: number, now: Date): CccdQrData[] {
  const rows = db.prepare('SELECT payload FROM page_id_cards WHERE page_id = ? ORDER BY ordinal').all(pageId) as {
    payload: string;
  }[];
  return rows.flatMap((row) => {
    const parsed = parseCccdQr(row.payload, { now });
    return parsed.ok ? [parsed] : [];
  });
}

interface DossierCitizenRow {
  citizen_id: string;
  citizen_name: string;
}

/**
 * Fills the dossier's citizen from the `index`th ID card read on one of its pages: the dossier's
 * name (and ID number, if the clerk says so when they differ), and the card's data (old ID, date
 * of birth, sex, raw address, issue date) for that citizen. One transaction, with outbox rows.
 */
export function applyIdCardToDossier(
  db: Db,
  input: { dossierId: string; pageId: number; index: number; replaceCitizenId: boolean },
  now = new Date(),
): {
  dossierId: string;
  citizenId: string;
  citizenName: string;
  card: CitizenCard;
  warnings: string[];
  warningsEn: string[];
} {
  return db.transaction(() => {
    const dossier = db.prepare('SELECT citizen_id, citizen_name FROM dossiers WHERE id = ?').get(input.dossierId) as
      DossierCitizenRow | undefined;
    if (!dossier) throw new AppFailure('NOT_FOUND', 'Không tìm thấy hồ sơ.', 'Dossier not found.');
    const onPage = db
      .prepare(`SELECT doc.dossier_id FROM pages pg JOIN documents doc ON doc.id = pg.document_id WHERE pg.id = ?`)
      .get(input.pageId) as { dossier_id: string | null } | undefined;
    if (!onPage) throw new AppFailure('NOT_FOUND', 'Không tìm thấy trang.', 'Page not found.');
    if (onPage.dossier_id !== input.dossierId) {
      throw new AppFailure(
        'VALIDATION',
        'Trang này không thuộc hồ sơ đã chọn.',
        'This page does not belong to the chosen dossier.',
        'pageId',
      );
    }
    const card = pageCards(db, input.pageId, now)[input.index];
    if (!card) {
      throw new AppFailure(
        'NOT_FOUND',
        'Không có mã QR thẻ căn cước nào đọc được trên trang này.',
        'No ID card QR code was read on this page.',
        'index',
      );
    }
    const warnings = [...card.warnings];
    const warningsEn = [...card.warningsEn];
    const idChanges = card.id !== dossier.citizen_id;
    if (idChanges && !input.replaceCitizenId) {
      throw new AppFailure(
        'CONFLICT',
        'Số định danh trên thẻ khác với số định danh của hồ sơ. Hãy đối chiếu thẻ; nếu hồ sơ ghi sai, chọn thay số định danh của hồ sơ.',
        'The ID number on the card differs from the dossier’s. Check the card; if the dossier’s is wrong, choose to replace it.',
        'replaceCitizenId',
      );
    }
    if (dossier.citizen_name.trim() !== '' && foldText(dossier.citizen_name.trim()) !== foldText(card.name)) {
      warnings.push('Họ tên trong hồ sơ đã được thay bằng họ tên trên thẻ.');
      warningsEn.push('The name in the dossier was replaced by the name on the card.');
    }
    const at = nowIso();
    db.prepare('UPDATE dossiers SET citizen_id = ?, citizen_name = ?, updated_at = ? WHERE id = ?').run(
      card.id,
      card.name,
      at,
      input.dossierId,
    );
    if (idChanges) {
      db.prepare('UPDATE documents SET citizen_id = ? WHERE dossier_id = ?').run(card.id, input.dossierId);
    }
    // The name (and ID) are part of what search finds the dossier's pages by.
    const pages = db
      .prepare('SELECT pg.id FROM pages pg JOIN documents doc ON doc.id = pg.document_id WHERE doc.dossier_id = ?')
      .all(input.dossierId) as { id: number }[];
    for (const page of pages) refreshSearchText(db, page.id);

    const stored: CitizenCard = {
      citizenId: card.id,
      oldId: card.oldId,
      name: card.name,
      dob: card.dob,
      sex: card.sex,
      address: card.address,
      issued: card.issued,
    };
    db.prepare(
      `INSERT INTO citizen_cards (citizen_id, old_id, name, dob, sex, address, issued, source_page_id, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (citizen_id) DO UPDATE SET old_id = excluded.old_id, name = excluded.name, dob = excluded.dob,
         sex = excluded.sex, address = excluded.address, issued = excluded.issued,
         source_page_id = excluded.source_page_id, updated_at = excluded.updated_at`,
    ).run(
      stored.citizenId,
      stored.oldId,
      stored.name,
      stored.dob,
      stored.sex,
      stored.address,
      stored.issued,
      input.pageId,
      at,
    );
    writeOutbox(db, 'citizen', stored.citizenId, 'card', stored);
    writeOutbox(db, 'dossier', input.dossierId, 'update', dossierSyncRecord(db, input.dossierId));
    return {
      dossierId: input.dossierId,
      citizenId: card.id,
      citizenName: card.name,
      card: stored,
      warnings,
      warningsEn,
    };
  })();
}

/** What an ID card said about a citizen, if a clerk applied one. */
export function getCitizenCard(db: Db, citizenId: string): CitizenCard | null {
  const row = db.prepare('SELECT * FROM citizen_cards WHERE citizen_id = ?').get(citizenId) as
    | {
        citizen_id: string;
        old_id: string | null;
        name: string;
        dob: string;
        sex: CitizenCard['sex'];
        address: string;
        issued: string;
      }
    | undefined;
  if (!row) return null;
  return {
    citizenId: row.citizen_id,
    oldId: row.old_id,
    name: row.name,
    dob: row.dob,
    sex: row.sex,
    address: row.address,
    issued: row.issued,
  };
}

/** A printed field of an ID card: where its value sits, as fractions of the card's width and height. */
export interface CardField {
  name: 'id' | 'name' | 'dob' | 'sex' | 'nationality';
  box: readonly [x0: number, y0: number, x1: number, y1: number];
}

/**
 * The value boxes on the front of a chip ID card (CCCD, 2021 design, ISO ID-1, 85.6 x 54 mm), the
 * card cropped to its edges. Each box holds one printed line; the boxes leave room for the card
 * being cropped a little loosely or tightly by the scanner.
 */
export const CCCD_FRONT_FIELDS: readonly CardField[] = [
  { name: 'id', box: [0.4, 0.355, 0.86, 0.455] },
  { name: 'name', box: [0.3, 0.525, 0.97, 0.615] },
  { name: 'dob', box: [0.58, 0.625, 0.86, 0.71] },
  { name: 'sex', box: [0.43, 0.715, 0.6, 0.8] },
  { name: 'nationality', box: [0.78, 0.715, 0.99, 0.8] },
];

/** What OCR read in each field; null where nothing fitting the field was read. */
export interface IdCardFields {
  id: string | null;
  name: string | null;
  /** YYYY-MM-DD */
  dob: string | null;
  sex: 'male' | 'female' | null;
  nationality: string | null;
  /** Lowest word confidence over the fields read (0-100): under the review threshold, a clerk checks. */
  confidence: number;
}

/** The part of the OCR pool this needs (a real OcrPool in the app and in tests). */
export interface LineReader {
  recognize(image: Buffer, options: RecognizeOptions): Promise<OcrResult>;
}

/**
 * Each field's crop is scaled to this height (plus a margin): measured on stacked Vietnamese
 * capitals (Ầ, Ỳ), taller lines lose their marks in tesseract's line normalisation.
 */
const FIELD_LINE_PX = 48;

/**
 * Reads the printed fields of a card whose layout is known, each field's crop as a single text
 * line (tesseract's page segmentation mode 7): full-page layout analysis on a card splits the
 * label from the value, reads the photo and the guilloche as text, and costs a page's time. The
 * values are personal data: returned to the caller, never logged.
 */
export async function readIdCardFields(
  reader: LineReader,
  card: Buffer,
  layout: readonly CardField[] = CCCD_FRONT_FIELDS,
): Promise<IdCardFields> {
  // Decoded once; each field is cut from the raw pixels and handed to tesseract as PGM (nothing to
  // inflate or check), as page OCR does.
  const { data: grey, width, height } = await decodeGrey(card);
  const raw = { width, height, channels: 1 } as const;
  const fields: IdCardFields = { id: null, name: null, dob: null, sex: null, nationality: null, confidence: 100 };
  for (const field of layout) {
    const [x0, y0, x1, y1] = field.box;
    const left = Math.max(0, Math.floor(x0 * width));
    const top = Math.max(0, Math.floor(y0 * height));
    const cropWidth = Math.min(width - left, Math.ceil((x1 - x0) * width));
    const cropHeight = Math.min(height - top, Math.ceil((y1 - y0) * height));
    if (cropWidth < 4 || cropHeight < 4) continue;
    const scale = FIELD_LINE_PX / cropHeight;
    const crop = await sharp(grey, { raw })
      .extract({ left, top, width: cropWidth, height: cropHeight })
      .resize({ height: FIELD_LINE_PX, width: Math.max(1, Math.round(cropWidth * scale)), kernel: 'lanczos3' })
      // A white margin: tesseract misreads glyphs that touch the image edge.
      .extend({ top: 16, bottom: 16, left: 16, right: 16, background: { r: 255, g: 255, b: 255 } })
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const read = await reader.recognize(toPgm(crop.data, crop.info.width, crop.info.height), {
      segmentation: 'singleLine',
    });
    const text = read.text.normalize('NFC').replace(/\s+/gu, ' ').trim();
    const value = parseField(field.name, text);
    if (value === null) continue;
    assignField(fields, field.name, value);
    for (const word of read.words) fields.confidence = Math.min(fields.confidence, word.c);
  }
  return fields;
}

function assignField(fields: IdCardFields, name: CardField['name'], value: string): void {
  if (name === 'sex') fields.sex = value === 'male' ? 'male' : 'female';
  else fields[name] = value;
}

/** A field's value from the line read, or null when it does not look like one. */
export function parseField(name: CardField['name'], text: string): string | null {
  switch (name) {
    case 'id': {
      // OCR confuses a few digit shapes with letters on small print.
      const digits = text.replace(/[Oo]/gu, '0').replace(/[Il|]/gu, '1').replace(/\D/gu, '');
      return /^\d{12}$/u.test(digits) ? digits : null;
    }
    case 'dob': {
      const m = /(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})/u.exec(text);
      if (!m) return null;
      const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (month < 1 || month > 12 || day < 1 || day > 31) return null;
      return `${String(year)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    }
    case 'sex': {
      const folded = foldText(text).toLowerCase();
      if (/\bnam\b/u.test(folded)) return 'male';
      if (/\bnu\b/u.test(folded)) return 'female';
      // The field holds "Nam" or "Nữ" only: a lone two-letter N word that is no part of "Nam" is a
      // "Nữ" whose ư OCR misread (seen as "Nv" on copied cards).
      if (/^n[^\sam\d]$/u.test(folded)) return 'female';
      return null;
    }
    case 'name': {
      // Names are printed in capitals; stray marks at the ends are dropped.
      const name = text
        .replace(/[^\p{L}\s]/gu, ' ')
        .replace(/\s+/gu, ' ')
        .trim();
      return name.length >= 2 ? name : null;
    }
    case 'nationality':
      return text.length > 0 ? text : null;
  }
}

/** The document type code of a chip ID card (assets/reference/document-types.json). */
export const ID_CARD_DOC_TYPE = 'cccd';

/** ISO ID-1 (85.6 x 54 mm) is 1.585:1; a scanner's loose or tight crop stays within these. */
const CARD_ASPECT = { min: 1.45, max: 1.75 } as const;

function isCardShaped(width: number, height: number): boolean {
  if (width <= 0 || height <= 0) return false;
  const aspect = Math.max(width, height) / Math.min(width, height);
  return aspect >= CARD_ASPECT.min && aspect <= CARD_ASPECT.max;
}

/**
 * Whether a page is the front of an ID card cropped to its edges, the image the field layout fits
 * as it is (a card copied onto a larger sheet is found and cropped by locateIdCardFront first):
 * a CCCD QR code was read on it (the QR is printed on the front), or its type is the ID card
 * (the clerk's confirmed type, else the page's suggestion) and its text is not the back's. A
 * database look-up only: the caller reads the fields (OCR) when this says yes.
 */
export function pageIsIdCardFront(db: Db, pageId: number): boolean {
  const page = db
    .prepare(
      `SELECT pg.width, pg.height, pg.ocr_text, doc.doc_type, pdt.suggested
       FROM pages pg JOIN documents doc ON doc.id = pg.document_id
       LEFT JOIN page_doc_types pdt ON pdt.page_id = pg.id WHERE pg.id = ?`,
    )
    .get(pageId) as
    { width: number; height: number; ocr_text: string; doc_type: string | null; suggested: string | null } | undefined;
  if (!page || !isCardShaped(page.width, page.height)) return false;
  if (pageHasIdCard(db, pageId)) return true;
  if ((page.doc_type ?? page.suggested) !== ID_CARD_DOC_TYPE) return false;
  const text = foldText(page.ocr_text);
  return !CARD_BACK_MARKERS.some((marker) => text.includes(marker));
}

interface SheetRow {
  width: number;
  height: number;
  dpi: number | null;
  ocr_text: string;
  ocr_words: string | null;
  doc_type: string | null;
}

function sheetRow(db: Db, pageId: number): SheetRow | undefined {
  return db
    .prepare(
      `SELECT pg.width, pg.height, pg.dpi, pg.ocr_text, pg.ocr_words, doc.doc_type
       FROM pages pg JOIN documents doc ON doc.id = pg.document_id WHERE pg.id = ?`,
    )
    .get(pageId) as SheetRow | undefined;
}

/**
 * Whether a page that is not itself a card may carry one copied onto it, so that its image is
 * worth searching (decoding a sheet costs tens of ms): a CCCD QR code was read on it, its text
 * names an ID card, or the clerk confirmed its type as an ID card. A database look-up only.
 */
export function pageMayHoldIdCard(db: Db, pageId: number): boolean {
  const page = sheetRow(db, pageId);
  if (!page || page.width <= 0 || page.height <= 0 || isCardShaped(page.width, page.height)) return false;
  return pageHasIdCard(db, pageId) || page.doc_type === ID_CARD_DOC_TYPE || mentionsIdCard(page.ocr_text);
}

/** A card front located on a sheet: its crop, straightened, and how many fronts the sheet holds. */
export interface SheetCardFront {
  crop: Buffer;
  card: LocatedCard;
  fronts: number;
}

/**
 * The first card front (top to bottom) copied onto a sheet. A card-shaped rectangle is a front
 * when the words OCR read inside it say so (the card's title and a field label or its number,
 * not the back's MRZ), when a CCCD QR code is read inside it, or, for the one rectangle of a page
 * the clerk confirmed as an ID card, when it is not a back. A form that mentions "căn cước" has no
 * card-shaped rectangle holding a card's words, so it stays a form.
 */
export async function locateIdCardFront(db: Db, pageId: number, image: Buffer): Promise<SheetCardFront | null> {
  const page = sheetRow(db, pageId);
  if (!page) return null;
  const grey = await decodeGrey(image);
  const stated = pxPerMm(grey.width, grey.height, page.dpi);
  const asA4 = pxPerMm(grey.width, grey.height, null);
  let cards = await locateCards(grey, stated);
  // Some scanners state a wrong resolution (96 dpi for a 200 dpi scan): then measure against A4.
  if (cards.length === 0 && Math.abs(asA4 / stated - 1) > 0.1) cards = await locateCards(grey, asA4);
  if (cards.length === 0) return null;
  // Words are stored in the page image's pixels; the image decoded may differ only if rescaled.
  const sx = grey.width / page.width;
  const sy = grey.height / page.height;
  const words = parseWords(page.ocr_words);
  const sides = cards.map((card) =>
    cardSideOfText(
      words
        .filter((w) => cardContains(card, ((w.b[0] + w.b[2]) / 2) * sx, ((w.b[1] + w.b[3]) / 2) * sy))
        .map((w) => w.t)
        .join(' '),
    ),
  );
  const fronts: LocatedCard[] = cards.filter((_, i) => sides[i] === 'front');
  if (fronts.length === 0 && pageHasIdCard(db, pageId)) {
    // OCR missed the card's words: the card whose crop holds a CCCD QR code is a front.
    for (const [i, card] of cards.entries()) {
      if (sides[i] === 'back') continue;
      if (idCardCodes(await readQrCodes(await cropCard(grey, card))).length > 0) fronts.push(card);
    }
  }
  if (fronts.length === 0 && page.doc_type === ID_CARD_DOC_TYPE) {
    const unread = cards.filter((_, i) => sides[i] !== 'back');
    if (unread.length === 1 && unread[0]) fronts.push(unread[0]);
  }
  const first = fronts[0];
  if (!first) return null;
  return { crop: await cropCard(grey, first), card: first, fronts: fronts.length };
}

function parseWords(json: string | null): { t: string; b: [number, number, number, number] }[] {
  if (!json) return [];
  try {
    const words = JSON.parse(json) as unknown;
    return Array.isArray(words)
      ? words.filter(
          (w): w is { t: string; b: [number, number, number, number] } =>
            typeof (w as { t?: unknown }).t === 'string' && Array.isArray((w as { b?: unknown }).b),
        )
      : [];
  } catch {
    return [];
  }
}

/**
 * The printed fields that differ from the card's QR code. Names are compared without diacritics
 * or case: single-line OCR sometimes loses a mark, which is no reason to doubt a card, while a
 * different name differs in its letters. A field OCR did not read is not a mismatch.
 */
export function fieldMismatches(
  printed: Pick<IdCardFields, 'id' | 'name' | 'dob' | 'sex'>,
  qr: Pick<IdCardQr, 'id' | 'name' | 'dob' | 'sex'>,
): ('id' | 'name' | 'dob' | 'sex')[] {
  const squeeze = (s: string): string => foldText(s).replace(/\s+/gu, ' ').trim();
  const mismatches: ('id' | 'name' | 'dob' | 'sex')[] = [];
  if (printed.id !== null && printed.id !== qr.id) mismatches.push('id');
  if (printed.name !== null && squeeze(printed.name) !== squeeze(qr.name)) mismatches.push('name');
  if (printed.dob !== null && printed.dob !== qr.dob) mismatches.push('dob');
  if (printed.sex !== null && printed.sex !== qr.sex) mismatches.push('sex');
  return mismatches;
}
