import type { OcrReview, OcrScope, OcrSettings } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import { forceOcr } from '../capture/capture-service';
import { getSetting, setSetting } from '../config/settings';
import type { Db } from '../db/database';
import { updateDossierStatus } from '../dossiers/dossier-service';
import type { JobQueue } from '../jobs/job-queue';
import { layoutLines } from '../pdf/text-layer';
import { refreshSearchText } from '../pages/search-text';
import { writeOutbox } from '../sync/outbox';
import { extractTags } from '../../../shared/domain/tags';
import { proposeTags } from '../tagging/page-tags';
import { isOcrLanguages, isOcrModel, type OcrLanguages, type OcrModel } from './language-data';
import type { OcrLine, OcrWord } from './pool';
import { reviewThreshold } from './review-threshold';

/** What a cancel was stored as before migration 13 gave it its own status (migrated from). */
export const OCR_CANCELLED = 'Đã hủy nhận dạng.';

function scopedPageIds(db: Db, scope: OcrScope): number[] {
  if ('all' in scope) {
    return (
      db.prepare(`SELECT id FROM pages WHERE ocr_status IN ('queued', 'cancelled') ORDER BY id`).all() as {
        id: number;
      }[]
    ).map((row) => row.id);
  }
  if ('dossierId' in scope) {
    return (
      db
        .prepare(
          `SELECT pg.id FROM pages pg JOIN documents doc ON doc.id = pg.document_id WHERE doc.dossier_id = ? ORDER BY pg.id`,
        )
        .all(scope.dossierId) as { id: number }[]
    ).map((row) => row.id);
  }
  return [...new Set(scope.pageIds)];
}

/**
 * Takes queued pages out of the queue. A page already being recognized is left to finish: its
 * job is held by a worker, and stopping tesseract mid-page would only waste what it has done.
 * The job row is removed, so the queue counts stay those of real work; a retry enqueues it again.
 */
export function cancelOcr(db: Db, scope: OcrScope): { cancelled: number; dossierIds: string[] } {
  const ids = scopedPageIds(db, scope);
  return db.transaction(() => {
    const dropJob = db.prepare(`DELETE FROM jobs WHERE kind = 'ocr' AND subject = ? AND status = 'queued'`);
    const markPage = db.prepare(
      `UPDATE pages SET ocr_status = 'cancelled', ocr_error = NULL WHERE id = ? AND ocr_status = 'queued'`,
    );
    const dossierOf = db.prepare(
      `SELECT doc.dossier_id FROM pages pg JOIN documents doc ON doc.id = pg.document_id WHERE pg.id = ?`,
    );
    const dossiers = new Set<string>();
    let cancelled = 0;
    for (const id of ids) {
      if (dropJob.run(String(id)).changes === 0) continue;
      if (markPage.run(id).changes === 0) continue;
      cancelled++;
      const row = dossierOf.get(id) as { dossier_id: string | null } | undefined;
      if (row?.dossier_id) dossiers.add(row.dossier_id);
    }
    for (const dossierId of dossiers) updateDossierStatus(db, dossierId);
    return { cancelled, dossierIds: [...dossiers] };
  })();
}

/** Queues cancelled pages again; other pages in the scope are left as they are. */
export function retryCancelledOcr(db: Db, jobs: JobQueue, scope: OcrScope): number {
  const cancelledOnly = db.prepare(`SELECT 1 FROM pages WHERE id = ? AND ocr_status = 'cancelled'`);
  let queued = 0;
  for (const id of scopedPageIds(db, scope)) {
    if (cancelledOnly.get(id) === undefined) continue;
    if (forceOcr(db, jobs, id)) queued++;
  }
  return queued;
}

/** The worker count an administrator stored for this workstation, or null (one per core). */
export function storedOcrWorkers(db: Db): number | null {
  const stored = Number(getSetting(db, 'ocr.workers'));
  return Number.isInteger(stored) && stored >= 1 ? stored : null;
}

/** The model an administrator chose for this workstation, or null (the default). */
export function storedOcrModel(db: Db): OcrModel | null {
  const stored = getSetting(db, 'ocr.model');
  return isOcrModel(stored) ? stored : null;
}

/** The languages an administrator chose for this workstation, or null (the default). */
export function storedOcrLanguages(db: Db): OcrLanguages | null {
  const stored = getSetting(db, 'ocr.languages');
  return isOcrLanguages(stored) ? stored : null;
}

/** Stores the OCR settings; the caller applies the worker count, model and languages to the running pool. */
export function saveOcrSettings(db: Db, settings: OcrSettings): OcrSettings {
  db.transaction(() => {
    setSetting(db, 'ocr.reviewThreshold', String(settings.reviewThreshold));
    setSetting(db, 'ocr.workers', String(settings.workers));
    setSetting(db, 'ocr.model', settings.model);
    setSetting(db, 'ocr.languages', settings.languages);
  })();
  return settings;
}

interface ReviewRow {
  ocr_status: string;
  ocr_words: string | null;
  ocr_lines: string | null;
  document_id: string;
  dossier_id: string | null;
}

function reviewRow(db: Db, pageId: number): ReviewRow {
  const row = db
    .prepare(
      `SELECT pg.ocr_status, pg.ocr_words, pg.ocr_lines, pg.document_id, doc.dossier_id
       FROM pages pg JOIN documents doc ON doc.id = pg.document_id WHERE pg.id = ?`,
    )
    .get(pageId) as ReviewRow | undefined;
  if (!row) throw new AppFailure('NOT_FOUND', 'Không tìm thấy trang.', 'Page not found.');
  return row;
}

function parseWords(json: string | null): OcrWord[] {
  if (!json) return [];
  try {
    const words = JSON.parse(json) as unknown;
    return Array.isArray(words) ? (words as OcrWord[]) : [];
  } catch {
    return [];
  }
}

function parseLines(json: string | null): OcrLine[] | null {
  if (!json) return null;
  try {
    const lines = JSON.parse(json) as unknown;
    return Array.isArray(lines) ? (lines as OcrLine[]) : null;
  } catch {
    return null;
  }
}

export function ocrReview(db: Db, pageId: number): OcrReview {
  const row = reviewRow(db, pageId);
  return {
    pageId,
    threshold: reviewThreshold(db),
    words: parseWords(row.ocr_words).map((word, index) => ({ index, text: word.t, confidence: word.c, box: word.b })),
  };
}

/**
 * The page text rebuilt from its words: one line of text per OCR line (tesseract's own lines when
 * stored, else lines grouped by the word boxes, as the PDF text layer does).
 */
export function textFromWords(words: readonly OcrWord[], lines: readonly OcrLine[] | null): string {
  return layoutLines(words, lines)
    .map((line) => line.words.map((word) => word.text).join(' '))
    .join('\n');
}

/**
 * The clerk's correction of one word. The corrected word counts as certain (confidence 100); the
 * page's text, search index and proposed tags are rebuilt from the words in the same transaction,
 * and the PDF text layer follows because exports are keyed on the stored words.
 */
export function correctWord(db: Db, input: { pageId: number; index: number; text: string }): OcrReview {
  const text = input.text.normalize('NFC').replace(/\s+/gu, ' ').trim();
  db.transaction(() => {
    const row = reviewRow(db, input.pageId);
    if (row.ocr_status !== 'done')
      throw new AppFailure(
        'CONFLICT',
        'Trang chưa nhận dạng xong; chưa thể sửa chữ.',
        'The page has not been recognized yet; words cannot be corrected.',
      );
    const words = parseWords(row.ocr_words);
    const word = words[input.index];
    if (!word)
      throw new AppFailure('VALIDATION', 'Không tìm thấy từ cần sửa trên trang.', 'No such word on the page.', 'index');
    words[input.index] = { ...word, t: text, c: 100 };
    const pageText = textFromWords(words, parseLines(row.ocr_lines));
    const confidence = words.length > 0 ? words.reduce((sum, w) => sum + w.c, 0) / words.length : null;
    db.prepare(`UPDATE pages SET ocr_words = ?, ocr_text = ?, ocr_confidence = ? WHERE id = ?`).run(
      JSON.stringify(words),
      pageText,
      confidence === null ? null : Math.round(confidence * 10) / 10,
      input.pageId,
    );
    dropStaleProposals(db, input.pageId, pageText);
    proposeTags(db, input.pageId, pageText);
    refreshSearchText(db, input.pageId);
    writeOutbox(db, 'page', String(input.pageId), 'ocr.correct', { documentId: row.document_id, index: input.index });
    if (row.dossier_id) updateDossierStatus(db, row.dossier_id);
  })();
  return ocrReview(db, input.pageId);
}

/** Proposals the corrected text no longer supports; tags the clerk confirmed or rejected stay. */
function dropStaleProposals(db: Db, pageId: number, text: string): void {
  const found = extractTags(text);
  const still = new Set([
    ...found.citizenIds.map((v) => `citizenId:${v}`),
    ...found.procedureCodes.map((v) => `procedureCode:${v}`),
    ...found.dossierCodes.map((v) => `dossierCode:${v}`),
  ]);
  const proposals = db
    .prepare(`SELECT id, kind, value FROM tags WHERE page_id = ? AND status = 'proposed'`)
    .all(pageId) as {
    id: number;
    kind: string;
    value: string;
  }[];
  const drop = db.prepare(`DELETE FROM tags WHERE id = ?`);
  for (const tag of proposals) if (!still.has(`${tag.kind}:${tag.value}`)) drop.run(tag.id);
}
