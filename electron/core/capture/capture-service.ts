import type { PageCleanup, QualityWarning } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import { updateDossierStatus } from '../dossiers/dossier-service';
import type { JobQueue } from '../jobs/job-queue';
import { writeOutbox } from '../sync/outbox';

interface CleanupRow {
  rotation: 0 | 90 | 180 | 270;
  skew: number;
  blank: number;
  blank_confirmed: number;
  quality: string;
  text_source: 'ocr' | 'pdf';
  dossier_id: string | null;
  document_id: string;
}

function cleanupRow(db: Db, pageId: number): CleanupRow {
  const row = db
    .prepare(
      `SELECT pg.rotation, pg.skew, pg.blank, pg.blank_confirmed, pg.quality, pg.text_source, pg.document_id,
              doc.dossier_id
       FROM pages pg JOIN documents doc ON doc.id = pg.document_id WHERE pg.id = ?`,
    )
    .get(pageId) as CleanupRow | undefined;
  if (!row) throw new AppFailure('NOT_FOUND', 'Không tìm thấy trang.', 'Page not found.');
  return row;
}

/** What automatic cleanup did to a page, as `Page` shows it. */
export function pageCleanup(db: Db, pageId: number): PageCleanup {
  const row = cleanupRow(db, pageId);
  return {
    rotation: row.rotation,
    skew: row.skew,
    blank: row.blank === 1,
    blankConfirmed: row.blank_confirmed === 1,
    qualityWarnings: JSON.parse(row.quality) as QualityWarning[],
    textSource: row.text_source,
  };
}

/**
 * The clerk's answer to the blank flag. Kept blank: nothing else happens (the page stays, unread).
 * Not blank after all: the flag is cleared and the page queued for OCR like any other.
 */
export function confirmBlank(db: Db, jobs: JobQueue, pageId: number, blank: boolean): PageCleanup {
  db.transaction(() => {
    const row = cleanupRow(db, pageId);
    db.prepare('UPDATE pages SET blank = ?, blank_confirmed = 1 WHERE id = ?').run(blank ? 1 : 0, pageId);
    if (!blank && row.blank === 1) queueOcr(db, jobs, pageId);
    writeOutbox(db, 'page', String(pageId), 'blank', { documentId: row.document_id, blank });
    if (row.dossier_id) updateDossierStatus(db, row.dossier_id);
  })();
  return pageCleanup(db, pageId);
}

/** Queues a page for OCR again (a kept PDF text layer the clerk does not trust, a cleared blank flag). */
export function forceOcr(db: Db, jobs: JobQueue, pageId: number): boolean {
  return db.transaction(() => {
    const row = cleanupRow(db, pageId);
    if (row.blank === 1)
      throw new AppFailure(
        'CONFLICT',
        'Trang đang được đánh dấu là trang trắng; hãy bỏ đánh dấu trước khi nhận dạng chữ.',
        'The page is flagged blank; clear the flag before recognizing it.',
      );
    const queued = queueOcr(db, jobs, pageId);
    if (row.dossier_id) updateDossierStatus(db, row.dossier_id);
    return queued;
  })();
}

function queueOcr(db: Db, jobs: JobQueue, pageId: number): boolean {
  const running = db.prepare(`SELECT ocr_status FROM pages WHERE id = ?`).get(pageId) as { ocr_status: string };
  if (running.ocr_status === 'queued' || running.ocr_status === 'running') return false;
  db.prepare(`UPDATE pages SET ocr_status = 'queued', ocr_error = NULL, text_source = 'ocr' WHERE id = ?`).run(pageId);
  // The job table keeps one row per page: a finished job is put back in the queue.
  const requeued = db
    .prepare(
      `UPDATE jobs SET status = 'queued', attempts = 0, owner = NULL, error = NULL, updated_at = ?
       WHERE kind = 'ocr' AND subject = ?`,
    )
    .run(nowIso(), String(pageId));
  if (requeued.changes === 0) jobs.enqueue('ocr', String(pageId));
  return true;
}
