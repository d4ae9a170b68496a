/**
 * What runs on a page after OCR: chip ID card QR codes are read from the image, then the page's
 * and its document's type is suggested (a card's QR code counts as evidence for "ID card").
 * The printed fields of a page recognised as an ID card front are read when the clerk opens it.
 */
import type { IdCardPrintedFields } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import {
  fieldMismatches,
  listPageIdCards,
  pageIsIdCardFront,
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

export function pageAnalyzer(docTypes: DocTypeService): PageAnalyzer {
  return {
    name: 'id-card-qr+doc-type',
    async analyze(page) {
      // The slow part (decoding the image) runs before the OCR transaction opens.
      const cards = idCardCodes(await readQrCodes(page.image));
      return (db) => {
        storePageIdCards(db, page.pageId, cards);
        docTypes.refreshAfterOcr(db, page.pageId);
      };
    },
  };
}

/** Page images whose fields were read lately: a clerk going back and forth pays the OCR once. */
const FIELD_CACHE_SIZE = 32;

/**
 * Reads the printed ID number, name, date of birth and sex of ID card fronts, on demand (four or
 * five single-line OCR reads, only for a page recognised as a card front), and checks them against
 * the card's QR code. Nothing is stored: the values are personal data, and the QR code, when
 * read, stays what the clerk applies; the printed fields are shown beside it, mismatches marked.
 */
export class IdCardFieldReader {
  private readonly recent = new Map<string, Promise<IdCardFields>>();

  constructor(private readonly deps: { db: Db; store: BlobStore; reader: LineReader }) {}

  async read(pageId: number): Promise<IdCardPrintedFields> {
    const { db } = this.deps;
    const page = db.prepare('SELECT image_sha256 FROM pages WHERE id = ?').get(pageId) as
      { image_sha256: string } | undefined;
    if (!page) throw new AppFailure('NOT_FOUND', 'Không tìm thấy trang.', 'Page not found.');
    const qr = listPageIdCards(db, pageId)[0] ?? null;
    if (!pageIsIdCardFront(db, pageId)) {
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
    const fields = await this.fieldsOf(page.image_sha256);
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

  /** Keyed by the image's hash: a rotated or rescanned page is read again. */
  private fieldsOf(imageSha: string): Promise<IdCardFields> {
    const known = this.recent.get(imageSha);
    if (known) return known;
    const reading = this.deps.store.read(imageSha).then((image) => readIdCardFields(this.deps.reader, image));
    this.recent.set(imageSha, reading);
    reading.catch(() => this.recent.delete(imageSha));
    for (const oldest of this.recent.keys()) {
      if (this.recent.size <= FIELD_CACHE_SIZE) break;
      this.recent.delete(oldest);
    }
    return reading;
  }
}
