import type { Page } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import type { PageImageVariant } from '../../../shared/api/bridge';
import type { Db } from '../db/database';
import { toPageSummary } from '../dossiers/dossier-service';
import type { BlobStore } from '../files/blob-store';
import { listPageIdCards } from '../citizens/id-cards';
import { documentTypeState } from '../doc-types/doc-type-service';
import { listTags } from '../tagging/page-tags';
import { pageCleanup } from '../capture/capture-service';
import { needsReview, reviewThreshold } from '../ocr/review-threshold';

interface PageRow {
  id: number;
  document_id: string;
  dossier_id: string | null;
  page_no: number;
  width: number;
  height: number;
  ocr_status: Page['ocrStatus'];
  ocr_confidence: number | null;
  ocr_text: string;
  ocr_error: string | null;
}

export function getPage(db: Db, id: number): Page {
  const row = db
    .prepare(`SELECT pg.*, doc.dossier_id FROM pages pg JOIN documents doc ON doc.id = pg.document_id WHERE pg.id = ?`)
    .get(id) as PageRow | undefined;
  if (!row) throw new AppFailure('NOT_FOUND', 'Không tìm thấy trang.', 'Page not found.');
  return {
    ...toPageSummary(row),
    ...pageCleanup(db, id),
    dossierId: row.dossier_id,
    text: row.ocr_text,
    ocrError: row.ocr_error,
    ocrCancelled: row.ocr_status === 'cancelled',
    needsReview: needsReview(row, reviewThreshold(db)),
    tags: listTags(db, id),
    idCards: listPageIdCards(db, id),
    documentType: documentTypeState(db, row.document_id),
  };
}

/** The stored image of a page (archival scan or thumbnail) with its type. */
export async function readPageImage(
  db: Db,
  store: BlobStore,
  id: number,
  variant: PageImageVariant,
): Promise<{ bytes: Buffer; mime: string }> {
  const row = db
    .prepare(
      `SELECT b.sha256, b.mime FROM pages pg JOIN blobs b ON b.sha256 = ${variant === 'thumb' ? 'pg.thumb_sha256' : 'pg.image_sha256'}
       WHERE pg.id = ?`,
    )
    .get(id) as { sha256: string; mime: string } | undefined;
  if (!row) throw new AppFailure('NOT_FOUND', 'Không tìm thấy trang.', 'Page not found.');
  return { bytes: await store.read(row.sha256), mime: row.mime };
}
