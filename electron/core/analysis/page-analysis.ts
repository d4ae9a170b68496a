/**
 * What runs on a page after OCR: chip ID card QR codes are read from the image, then the page's
 * and its document's type is suggested (a card's QR code counts as evidence for "ID card").
 */
import { idCardCodes, storePageIdCards } from '../citizens/id-cards';
import type { DocTypeService } from '../doc-types/doc-type-service';
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
