/**
 * What runs on a page after OCR: chip ID card QR codes are read from the image, then the page's
 * and its document's type is suggested (a card's QR code counts as evidence for "ID card").
 * The printed fields of an ID card front (the page itself, or a card copied onto a sheet) are read
 * in the background once analysis saw a card, and kept in memory for when the clerk opens it.
 */
import type { IdCardPrintedFields } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import { mentionsIdCard } from '../citizens/card-locator';
import {
  fieldMismatches,
  listPageIdCards,
  locateIdCardFront,
  pageIsIdCardFront,
  pageMayHoldIdCard,
  readIdCardFields,
  storePageIdCards,
  idCardCodes,
  type IdCardFields,
  type LineReader,
} from '../citizens/id-cards';
import type { Db } from '../db/database';
import type { DocTypeService } from '../doc-types/doc-type-service';
import type { BlobStore } from '../files/blob-store';
import { readQrCodes } from '../imaging/qr-reader';
import type { PageAnalyzer } from '../ocr/ocr-runner';

/**
 * `fieldReader`, when given, reads a card's printed fields in the background once a page shows a
 * card, so the clerk's panel opens without waiting for OCR.
 */
export function pageAnalyzer(docTypes: DocTypeService, fieldReader?: IdCardFieldReader): PageAnalyzer {
  return {
    name: 'id-card-qr+doc-type',
    async analyze(page) {
      // The slow part (decoding the image) runs before the OCR transaction opens.
      const cards = idCardCodes(await readQrCodes(page.image));
      return (db) => {
        storePageIdCards(db, page.pageId, cards);
        docTypes.refreshAfterOcr(db, page.pageId);
        // After the OCR transaction commits (this runs inside it): the reader sees the stored page.
        if (fieldReader && (cards.length > 0 || mentionsIdCard(page.text)))
          setImmediate(() => fieldReader.warm(page.pageId, { sha256: page.imageSha256, bytes: page.image }));
      };
    },
  };
}

interface StoredImage {
  sha256: string;
  bytes: Buffer;
}

/** Page images whose fields were read lately: a clerk going back and forth pays the OCR once. */
const FIELD_CACHE_SIZE = 32;

/**
 * Reads the printed ID number, name, date of birth and sex of ID card fronts (four or five
 * single-line OCR reads, only for a page that is a card front or carries one copied onto it), when
 * the clerk asks or ahead of them once analysis saw a card, and checks them against
 * the card's QR code. Nothing is stored: the values are personal data, and the QR code, when
 * read, stays what the clerk applies; the printed fields are shown beside it, mismatches marked.
 */
export class IdCardFieldReader {
  private readonly recent = new Map<string, Promise<IdCardFields | null>>();

  constructor(private readonly deps: { db: Db; store: BlobStore; reader: LineReader }) {}

  /**
   * Reads a page's fields ahead of the clerk, into memory only; a failure waits for the clerk's own
   * call. `image`: the page image OCR just read, whose decode OCR may still hold (ocr-input.ts).
   */
  warm(pageId: number, image?: StoredImage): void {
    this.read(pageId, image).catch(() => undefined);
  }

  async read(pageId: number, image?: StoredImage): Promise<IdCardPrintedFields> {
    const { db, store, reader } = this.deps;
    const page = db.prepare('SELECT image_sha256 FROM pages WHERE id = ?').get(pageId) as
      { image_sha256: string } | undefined;
    if (!page) throw new AppFailure('NOT_FOUND', 'Không tìm thấy trang.', 'Page not found.');
    const qr = listPageIdCards(db, pageId)[0] ?? null;
    const sha = page.image_sha256;
    // The image handed in only while it is still the page's (it may have been turned since).
    const bytes = async (): Promise<Buffer> => (image?.sha256 === sha ? image.bytes : store.read(sha));
    let fields: IdCardFields | null = null;
    if (pageIsIdCardFront(db, pageId)) {
      fields = await this.remembered(sha, async () => readIdCardFields(reader, await bytes()));
    } else if (pageMayHoldIdCard(db, pageId)) {
      // A card copied onto a sheet: the first front, top to bottom, is read from its crop.
      fields = await this.remembered(`${sha}#sheet`, async () => {
        const front = await locateIdCardFront(db, pageId, await bytes());
        return front ? readIdCardFields(reader, front.crop) : null;
      });
    }
    if (!fields) {
      return {
        recognised: false,
        id: null,
        name: null,
        dob: null,
        sex: null,
        confidence: null,
        qrPresent: qr !== null,
        mismatches: [],
      };
    }
    const { id, name, dob, sex } = fields;
    const anything = id !== null || name !== null || dob !== null || sex !== null;
    return {
      recognised: true,
      id,
      name,
      dob,
      sex,
      confidence: anything ? fields.confidence : null,
      qrPresent: qr !== null,
      mismatches: qr ? fieldMismatches(fields, qr) : [],
    };
  }

  /**
   * Keyed by the image's hash: a rotated or rescanned page is read again. A sheet where no card
   * front was found is not remembered: its words or type may say more once OCR or the clerk is done.
   */
  private remembered(key: string, read: () => Promise<IdCardFields | null>): Promise<IdCardFields | null> {
    const known = this.recent.get(key);
    if (known) return known;
    const reading = read();
    this.recent.set(key, reading);
    reading.then(
      (fields) => {
        if (fields === null) this.recent.delete(key);
      },
      () => this.recent.delete(key),
    );
    for (const oldest of this.recent.keys()) {
      if (this.recent.size <= FIELD_CACHE_SIZE) break;
      this.recent.delete(oldest);
    }
    return reading;
  }
}
