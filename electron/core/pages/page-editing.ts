/**
 * Page editing at the counter: reorder, rotate, delete with undo, split a document, merge two,
 * put pages under a checklist component, and replace a page by a rescan. Every edit is one
 * transaction that also refreshes the dossier's status and, for a document the central store
 * already has, writes a `document.pages` outbox row (a document whose `create` row is still
 * waiting goes out as it is at send time, so it needs none).
 *
 * Page numbers stay dense (1..n per document) and unique; a document's place in its dossier is
 * (created_at, id), so a document split off gets its parent's time and an id that sorts right
 * after it (`idAfter`).
 */
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import type { PageEditState, PageEditResult, PageTurn } from '../../../shared/api/calls/page-editing';
import type { DossierStatus, QualityWarning } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import { forceOcr } from '../capture/capture-service';
import { analyzePage, isUntouched, makeWorkingCopy, type Raster, type Rotation } from '../capture/cleanup';
import { exifRotation, MAX_INPUT_PIXELS } from '../capture/image-input';
import { encodeThumbnail, encodeWorkingCopy } from '../capture/page-source';
import { assignDocument, refreshComponent } from '../checklist/checklist-service';
import type { Db } from '../db/database';
import type { DocumentsTableRow } from '../db/document-row';
import { nowIso } from '../db/database';
import { unlearnExample } from '../doc-types/learned-model';
import { updateDossierStatus } from '../dossiers/dossier-service';
import { CLOSED_STATUSES } from '../dossiers/lifecycle';
import type { BlobStore } from '../files/blob-store';
import type { JobQueue } from '../jobs/job-queue';
import { dropRenditions, queueFiles } from '../privacy/file-queue';
import { writeOutbox } from '../sync/outbox';
import { refreshSearchText } from './search-text';

/** How long a deleted page can be brought back; the screen offers it for less (see PageGrid). */
export const UNDO_WINDOW_MS = 60_000;

export interface EditContext {
  db: Db;
  store: BlobStore;
  jobs: JobQueue;
}

type DocumentRow = Pick<DocumentsTableRow, 'id' | 'dossier_id' | 'citizen_id' | 'title' | 'source_name' | 'created_at'>;

interface PageRow {
  id: number;
  document_id: string;
  page_no: number;
  image_sha256: string;
  original_sha256: string | null;
  rotation: Rotation;
  blank: number;
  dpi: number | null;
  ocr_status: string;
}

// ---------------------------------------------------------------------------------------------
// Who may edit what

function lockReason(db: Db, doc: { id: string; dossier_id: string | null }): AppFailure | null {
  if (doc.dossier_id) {
    const dossier = db.prepare('SELECT status FROM dossiers WHERE id = ?').get(doc.dossier_id) as
      { status: DossierStatus } | undefined;
    if (dossier && CLOSED_STATUSES.includes(dossier.status)) {
      return new AppFailure(
        'CONFLICT',
        'Hồ sơ đã có kết quả (hoặc đã trả kết quả) nên không sửa trang được nữa.',
        'The dossier already has its result (or it was returned): its pages can no longer be edited.',
      );
    }
  }
  const approved = db
    .prepare(`SELECT 1 FROM component_items WHERE document_id = ? AND removed_at IS NULL AND approval = 'approved'`)
    .get(doc.id);
  if (approved) {
    return new AppFailure(
      'CONFLICT',
      'Tài liệu này đã được duyệt số hóa nên không sửa trang được nữa.',
      'This document has been approved: its pages can no longer be edited.',
    );
  }
  return null;
}

function documentRow(db: Db, documentId: string): DocumentRow {
  const row = db
    .prepare('SELECT id, dossier_id, citizen_id, title, source_name, created_at FROM documents WHERE id = ?')
    .get(documentId) as DocumentRow | undefined;
  if (!row) throw new AppFailure('NOT_FOUND', 'Không tìm thấy tài liệu.', 'Document not found.');
  return row;
}

/** The document, refused when its dossier is closed or the document approved. */
function editableDocument(db: Db, documentId: string): DocumentRow {
  const doc = documentRow(db, documentId);
  const locked = lockReason(db, doc);
  if (locked) throw locked;
  return doc;
}

function pageRow(db: Db, pageId: number): PageRow {
  const row = db
    .prepare(
      `SELECT id, document_id, page_no, image_sha256, original_sha256, rotation, blank, dpi, ocr_status
       FROM pages WHERE id = ?`,
    )
    .get(pageId) as PageRow | undefined;
  if (!row) throw new AppFailure('NOT_FOUND', 'Không tìm thấy trang.', 'Page not found.');
  return row;
}

function pageIdsOf(db: Db, documentId: string): number[] {
  return (
    db.prepare('SELECT id FROM pages WHERE document_id = ? ORDER BY page_no').all(documentId) as { id: number }[]
  ).map((row) => row.id);
}

function sameFolder(a: DocumentRow, b: DocumentRow): boolean {
  return a.dossier_id !== null ? a.dossier_id === b.dossier_id : b.dossier_id === null && a.citizen_id === b.citizen_id;
}

function refuseOtherFolder(): AppFailure {
  return new AppFailure(
    'VALIDATION',
    'Chỉ chuyển hoặc gộp trang giữa các tài liệu của cùng một hồ sơ.',
    'Pages can only be moved or merged between documents of the same dossier.',
  );
}

// ---------------------------------------------------------------------------------------------
// Shared steps

/**
 * Makes `ordered` the pages of `documentId`, numbered 1..n. Passes keep UNIQUE(document_id,
 * page_no) true at every statement: pages leaving the document are parked on numbers of their own
 * (below -1e6; the caller places them next), the rest go to negative numbers, then to the final ones.
 */
function placePages(db: Db, documentId: string, ordered: readonly number[]): void {
  const staying = new Set(ordered);
  const park = db.prepare('UPDATE pages SET page_no = -1000000 - id WHERE id = ?');
  for (const id of pageIdsOf(db, documentId)) if (!staying.has(id)) park.run(id);
  const set = db.prepare('UPDATE pages SET document_id = ?, page_no = ? WHERE id = ?');
  ordered.forEach((id, i) => set.run(documentId, -(i + 1), id));
  ordered.forEach((id, i) => set.run(documentId, i + 1, id));
  db.prepare('UPDATE documents SET page_count = ? WHERE id = ?').run(ordered.length, documentId);
}

/** Tells the central store about a document it already holds (see the file comment). */
function noteDocumentChanged(db: Db, documentId: string, cause: string): void {
  const waiting = db
    .prepare(`SELECT 1 FROM outbox WHERE entity = 'document' AND entity_id = ? AND op = 'create'`)
    .get(documentId);
  if (!waiting) writeOutbox(db, 'document', documentId, 'pages', { cause });
}

/**
 * Drops the cached PDFs the documents' page change made stale (theirs and their dossiers') and
 * queues the files: the queue removes each only when no record still uses the same bytes, and
 * finishes after a crash (privacy/file-queue). The next export builds fresh ones.
 */
function dropStalePdfs(db: Db, documentIds: readonly string[]): void {
  const subjects = new Set<string>();
  for (const id of documentIds) {
    subjects.add(`document:${id}`);
    const doc = db.prepare('SELECT dossier_id FROM documents WHERE id = ?').get(id) as
      { dossier_id: string | null } | undefined;
    if (doc?.dossier_id) subjects.add(`dossier:${doc.dossier_id}`);
  }
  queueFiles(db, dropRenditions(db, [...subjects]), null);
}

function afterEdit(db: Db, documentIds: readonly string[], cause: string): void {
  dropStalePdfs(db, documentIds);
  const dossiers = new Set<string>();
  for (const id of new Set(documentIds)) {
    const doc = db.prepare('SELECT dossier_id FROM documents WHERE id = ?').get(id) as
      { dossier_id: string | null } | undefined;
    if (!doc) continue;
    noteDocumentChanged(db, id, cause);
    if (doc.dossier_id) dossiers.add(doc.dossier_id);
  }
  for (const dossierId of dossiers) updateDossierStatus(db, dossierId);
}

/** Tables whose rows point at `table`'s rows, read from the schema (new tables are covered too). */
function referencesTo(db: Db, table: 'pages' | 'documents'): { table: string; column: string; nullable: boolean }[] {
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
    .all() as { name: string }[];
  const found: { table: string; column: string; nullable: boolean }[] = [];
  for (const { name } of tables) {
    const keys = db.prepare(`SELECT "table", "from" FROM pragma_foreign_key_list(?)`).all(name) as {
      table: string;
      from: string;
    }[];
    for (const key of keys) {
      if (key.table !== table) continue;
      const column = db
        .prepare(`SELECT "notnull", pk FROM pragma_table_info(?) WHERE name = ?`)
        .get(name, key.from) as {
        notnull: number;
        pk: number;
      };
      // A key column is never cleared (an INTEGER PRIMARY KEY set to NULL would get a new id).
      found.push({ table: name, column: key.from, nullable: column.notnull === 0 && column.pk === 0 });
    }
  }
  return found;
}

function quoteId(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Rows taken away with a page or document, to put back on undo. */
interface RemovedRows {
  table: string;
  column: string;
  /** 'deleted': whole rows removed; 'cleared': the column set to NULL in these rows (by rowid). */
  mode: 'deleted' | 'cleared';
  rows: Record<string, unknown>[];
}

/**
 * Removes (or, for a nullable reference, clears) every row that points at `id` in `target`.
 * The learned document-type example is unlearned, not kept: putting the document back queues it
 * to be learned again (the insert trigger of migration 6).
 */
function detachReferences(db: Db, target: 'pages' | 'documents', id: string | number): RemovedRows[] {
  if (target === 'documents') unlearnExample(db, String(id));
  const removed: RemovedRows[] = [];
  for (const ref of referencesTo(db, target)) {
    const t = quoteId(ref.table);
    const c = quoteId(ref.column);
    if (ref.table === 'doc_type_examples' || ref.table === 'doc_type_relearn') {
      db.prepare(`DELETE FROM ${t} WHERE ${c} = ?`).run(id);
      continue;
    }
    if (ref.nullable && hasRowid(db, ref.table)) {
      const rows = db.prepare(`SELECT rowid AS __rowid FROM ${t} WHERE ${c} = ?`).all(id) as Record<string, unknown>[];
      if (rows.length === 0) continue;
      db.prepare(`UPDATE ${t} SET ${c} = NULL WHERE ${c} = ?`).run(id);
      removed.push({ table: ref.table, column: ref.column, mode: 'cleared', rows });
    } else {
      const rows = db.prepare(`SELECT * FROM ${t} WHERE ${c} = ?`).all(id) as Record<string, unknown>[];
      if (rows.length === 0) continue;
      db.prepare(`DELETE FROM ${t} WHERE ${c} = ?`).run(id);
      removed.push({ table: ref.table, column: ref.column, mode: 'deleted', rows });
    }
  }
  return removed;
}

/** Cleared references are put back by rowid, which a WITHOUT ROWID table does not have. */
function hasRowid(db: Db, table: string): boolean {
  const sql = (
    db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) as
      { sql: string } | undefined
  )?.sql;
  return !/WITHOUT\s+ROWID/iu.test(sql ?? '');
}

function restoreReferences(db: Db, removed: readonly RemovedRows[], id: string | number): void {
  for (const group of removed) {
    const t = quoteId(group.table);
    if (group.mode === 'cleared') {
      const set = db.prepare(`UPDATE ${t} SET ${quoteId(group.column)} = ? WHERE rowid = ?`);
      for (const row of group.rows) set.run(id, row.__rowid as number);
      continue;
    }
    for (const row of group.rows) {
      const values = { ...row, [group.column]: id };
      const columns = Object.keys(values);
      db.prepare(
        `INSERT INTO ${t} (${columns.map(quoteId).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      ).run(...columns.map((name) => values[name] as never));
    }
  }
}

/** Points what referred to document `from` at `to` instead (merge), learned data aside. */
function repointReferences(db: Db, from: string, to: string): string[] {
  unlearnExample(db, from);
  const components = new Set<string>();
  for (const ref of referencesTo(db, 'documents')) {
    const t = quoteId(ref.table);
    const c = quoteId(ref.column);
    if (ref.table === 'pages') continue;
    if (ref.table === 'component_items') {
      // A component that already holds `to` keeps that one item; the other is taken off.
      const items = db
        .prepare(`SELECT id, component_id FROM component_items WHERE document_id = ? AND removed_at IS NULL`)
        .all(from) as { id: string; component_id: string }[];
      for (const item of items) {
        components.add(item.component_id);
        const held = db
          .prepare('SELECT 1 FROM component_items WHERE component_id = ? AND document_id = ? AND removed_at IS NULL')
          .get(item.component_id, to);
        if (held) {
          db.prepare(`UPDATE component_items SET removed_at = ?, removed_by = 'system:merge' WHERE id = ?`).run(
            nowIso(),
            item.id,
          );
        }
      }
    }
    if (['doc_type_examples', 'doc_type_relearn', 'document_type_suggestions'].includes(ref.table)) {
      db.prepare(`DELETE FROM ${t} WHERE ${c} = ?`).run(from);
      continue;
    }
    db.prepare(`UPDATE ${t} SET ${c} = ? WHERE ${c} = ?`).run(to, from);
  }
  return [...components];
}

/** Removes an emptied document: its pending `create` row is withdrawn, or the store is told. */
function dropEmptyDocument(db: Db, documentId: string, successorId: string | null): void {
  dropStalePdfs(db, [documentId]);
  announceDocumentGone(db, documentId, { mergedInto: successorId });
  db.prepare('DELETE FROM documents WHERE id = ?').run(documentId);
}

/** A `create` never tried is simply withdrawn; otherwise the central store is told. */
function announceDocumentGone(db: Db, documentId: string, payload: Record<string, unknown>): void {
  const waiting = db
    .prepare(`DELETE FROM outbox WHERE entity = 'document' AND entity_id = ? AND op = 'create' AND attempts = 0`)
    .run(documentId);
  if (waiting.changes === 0) writeOutbox(db, 'document', documentId, 'delete', payload);
}

/** An id that sorts after `after` and before `before` (the next document with the same time). */
function idAfter(db: Db, after: string, before: string | null): string {
  let candidate: string;
  if (before !== null && before.startsWith(`${after}.`)) {
    // Between x and x.D…: x.0D… is smaller than x.D… and still after x.
    candidate = `${after}.0${before.slice(after.length + 1).split('.')[0] ?? ''}`;
  } else {
    candidate = `${after}.5`;
  }
  const taken = db.prepare('SELECT 1 FROM documents WHERE id = ?');
  while (taken.get(candidate)) candidate = `${candidate}5`;
  if (candidate.length > 64) return randomUUID(); // deep nesting: order falls back to time
  return candidate;
}

/** A new document right after `parent` in its dossier, holding no pages yet. */
async function storedProvenance(
  store: BlobStore,
  payload: Record<string, unknown>,
): Promise<{ sha256: string; size: number }> {
  return store.put(Buffer.from(JSON.stringify(payload)));
}

function createDocumentAfter(
  db: Db,
  parent: DocumentRow,
  title: string,
  provenance: { sha256: string; size: number },
  documentId: string,
): void {
  db.prepare(
    `INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, ?, 'application/json', ?) ON CONFLICT DO NOTHING`,
  ).run(provenance.sha256, provenance.size, nowIso());
  db.prepare(
    `INSERT INTO documents (id, dossier_id, citizen_id, title, source_name, source_sha256, page_count, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 0, ?)`,
  ).run(
    documentId,
    parent.dossier_id,
    parent.citizen_id,
    title,
    parent.source_name,
    provenance.sha256,
    parent.created_at,
  );
  writeOutbox(db, 'document', documentId, 'create', { dossierId: parent.dossier_id, splitFrom: parent.id });
}

function nextDocumentId(db: Db, parent: DocumentRow): string {
  const next = db
    .prepare(`SELECT id FROM documents WHERE created_at = ? AND id > ? AND dossier_id IS ? ORDER BY id LIMIT 1`)
    .get(parent.created_at, parent.id, parent.dossier_id) as { id: string } | undefined;
  return idAfter(db, parent.id, next?.id ?? null);
}

// ---------------------------------------------------------------------------------------------
// The edits

/** Moves a page to `position` (1-based) of `documentId`, its own document or another of the dossier. */
export function movePage(db: Db, input: { pageId: number; documentId: string; position: number }): PageEditResult {
  return db.transaction(() => {
    const page = pageRow(db, input.pageId);
    const from = editableDocument(db, page.document_id);
    const to = input.documentId === from.id ? from : editableDocument(db, input.documentId);
    if (!sameFolder(from, to)) throw refuseOtherFolder();
    const source = pageIdsOf(db, from.id).filter((id) => id !== page.id);
    if (from.id !== to.id && source.length === 0) {
      throw new AppFailure(
        'CONFLICT',
        'Đây là trang duy nhất của tài liệu: hãy dùng “Gộp với tài liệu trước” để gộp tài liệu.',
        'This is the only page of its document: use “Merge with previous document” instead.',
      );
    }
    const target = from.id === to.id ? source : pageIdsOf(db, to.id);
    const index = Math.max(0, Math.min(target.length, input.position - 1));
    target.splice(index, 0, page.id);
    if (from.id !== to.id) placePages(db, from.id, source);
    placePages(db, to.id, target);
    refreshSearchText(db, page.id);
    afterEdit(db, [from.id, to.id], 'move');
    return { dossierId: to.dossier_id, documentId: to.id, pageIds: [page.id] };
  })();
}

/**
 * Turns a page by a quarter, half or three quarters clockwise. The working copy is made again
 * from the scan as it came (cleanup's crop and straightening found again, the turn the clerk's),
 * with a new thumbnail; the page is recognized again, alone. Refused while its OCR is running:
 * the result would belong to the old image.
 */
export async function rotatePage(ctx: EditContext, input: { pageId: number; turn: PageTurn }): Promise<PageEditResult> {
  const { db, store } = ctx;
  const before = pageRow(db, input.pageId);
  editableDocument(db, before.document_id);
  refuseWhileRecognizing(before);
  const originalSha = before.original_sha256 ?? before.image_sha256;
  const bytes = await store.read(originalSha);
  const meta = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  const fromExif = exifRotation(meta.orientation);
  const decoded = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS })
    .rotate()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raster: Raster = {
    data: decoded.data,
    width: decoded.info.width,
    height: decoded.info.height,
    channels: decoded.info.channels as Raster['channels'],
  };
  const total = ((before.rotation + input.turn) % 360) as Rotation;
  const found = await analyzePage(raster, before.dpi ?? meta.density ?? null);
  const analysis = { ...found, rotation: ((total - fromExif + 360) % 360) as Rotation };
  let image = { sha256: originalSha, size: bytes.length, mime: mimeOf(meta.format) };
  let working = raster;
  if (!isUntouched(analysis)) {
    working = await makeWorkingCopy(raster, analysis);
    const encoded = await encodeWorkingCopy(working, isBilevel(working.data), found.effectiveDpi);
    image = { ...(await store.put(encoded.bytes)), mime: encoded.mime };
  }
  const thumbBytes = await encodeThumbnail(working);
  const thumb = { ...(await store.put(thumbBytes)), mime: 'image/jpeg' };

  return db.transaction(() => {
    const now = pageRow(db, input.pageId);
    const doc = editableDocument(db, now.document_id);
    refuseWhileRecognizing(now);
    if (now.image_sha256 !== before.image_sha256 || now.rotation !== before.rotation) {
      throw new AppFailure(
        'CONFLICT',
        'Trang vừa được thay đổi ở nơi khác; hãy thử lại.',
        'The page was changed meanwhile; try again.',
      );
    }
    const blob = db.prepare(
      'INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    for (const stored of [image, thumb]) blob.run(stored.sha256, stored.size, stored.mime, nowIso());
    db.prepare(
      `UPDATE pages SET image_sha256 = ?, thumb_sha256 = ?, original_sha256 = ?, width = ?, height = ?, rotation = ?,
         ocr_words = NULL, ocr_lines = NULL WHERE id = ?`,
    ).run(
      image.sha256,
      thumb.sha256,
      image.sha256 === originalSha ? null : originalSha,
      working.width,
      working.height,
      total,
      input.pageId,
    );
    // A blank page is not read; any other is recognized again on its new image, alone.
    if (now.blank === 0) {
      forceOcr(db, ctx.jobs, input.pageId);
    }
    afterEdit(db, [doc.id], 'rotate');
    return { dossierId: doc.dossier_id, documentId: doc.id, pageIds: [input.pageId] };
  })();
}

function refuseWhileRecognizing(page: PageRow): void {
  if (page.ocr_status === 'running') {
    throw new AppFailure(
      'CONFLICT',
      'Trang đang được nhận dạng chữ; hãy xoay lại sau giây lát.',
      'The page is being recognized right now; rotate it again in a moment.',
    );
  }
}

function mimeOf(format: string | undefined): string {
  if (format === 'jpeg') return 'image/jpeg';
  if (format === 'png') return 'image/png';
  if (format === 'tiff') return 'image/tiff';
  if (format === 'webp') return 'image/webp';
  return `image/${format ?? 'octet-stream'}`;
}

function isBilevel(data: Buffer): boolean {
  for (const value of data) if (value !== 0 && value !== 255) return false;
  return true;
}

interface TrashSnapshot {
  page: Record<string, unknown>;
  pageRefs: RemovedRows[];
  /** The page's document, when the page was its last one (the document went with it). */
  document: { row: Record<string, unknown>; refs: RemovedRows[]; components: string[] } | null;
  /** The page was waiting for OCR: it is queued again when it comes back. */
  queued: boolean;
}

/**
 * Deletes a page, undoable for UNDO_WINDOW_MS: the page's row and what pointed at it move to
 * `page_trash` (its document's too, when it was the last page). Final afterwards.
 */
export function deletePage(db: Db, input: { pageId: number }, actor: string): { pageId: number; undoUntil: string } {
  return db.transaction(() => {
    purgeExpiredTrash(db);
    const page = pageRow(db, input.pageId);
    const doc = editableDocument(db, page.document_id);
    const row = db.prepare('SELECT * FROM pages WHERE id = ?').get(page.id) as Record<string, unknown>;
    dropStalePdfs(db, [doc.id]);
    const pageRefs = detachReferences(db, 'pages', page.id);
    db.prepare(`DELETE FROM jobs WHERE kind = 'ocr' AND subject = ?`).run(String(page.id));
    db.prepare('DELETE FROM pages WHERE id = ?').run(page.id);
    const rest = pageIdsOf(db, doc.id);
    let document: TrashSnapshot['document'] = null;
    if (rest.length === 0) {
      const docRow = db.prepare('SELECT * FROM documents WHERE id = ?').get(doc.id) as Record<string, unknown>;
      const components = (
        db
          .prepare('SELECT DISTINCT component_id FROM component_items WHERE document_id = ? AND removed_at IS NULL')
          .all(doc.id) as { component_id: string }[]
      ).map((c) => c.component_id);
      const refs = detachReferences(db, 'documents', doc.id);
      db.prepare('DELETE FROM documents WHERE id = ?').run(doc.id);
      announceDocumentGone(db, doc.id, { reason: 'lastPageDeleted' });
      for (const componentId of components) refreshComponent(db, componentId);
      document = { row: docRow, refs, components };
    } else {
      placePages(db, doc.id, rest);
      noteDocumentChanged(db, doc.id, 'delete');
    }
    const snapshot: TrashSnapshot = {
      page: row,
      pageRefs,
      document,
      queued: page.ocr_status === 'queued' || page.ocr_status === 'running',
    };
    const deletedAt = new Date();
    const undoUntil = new Date(deletedAt.getTime() + UNDO_WINDOW_MS).toISOString();
    db.prepare(
      `INSERT INTO page_trash (page_id, document_id, dossier_id, position, snapshot, deleted_by, deleted_at, undo_until)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      page.id,
      doc.id,
      doc.dossier_id,
      page.page_no,
      JSON.stringify(snapshot),
      actor,
      deletedAt.toISOString(),
      undoUntil,
    );
    if (doc.dossier_id) updateDossierStatus(db, doc.dossier_id);
    return { pageId: page.id, undoUntil };
  })();
}

/** Puts a deleted page back where it was, with everything that pointed at it. */
export function undoDeletePage(db: Db, jobs: JobQueue, input: { pageId: number }): PageEditResult {
  return db.transaction(() => {
    const trash = db.prepare('SELECT * FROM page_trash WHERE page_id = ?').get(input.pageId) as
      { page_id: number; document_id: string; position: number; snapshot: string; undo_until: string } | undefined;
    if (!trash || trash.undo_until < nowIso()) {
      throw new AppFailure(
        'CONFLICT',
        'Không hoàn tác được nữa: trang đã bị xóa hẳn.',
        'This can no longer be undone: the page has been deleted for good.',
      );
    }
    const snapshot = JSON.parse(trash.snapshot) as TrashSnapshot;
    if (snapshot.document) {
      const columns = Object.keys(snapshot.document.row);
      db.prepare(
        `INSERT INTO documents (${columns.map(quoteId).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      ).run(...columns.map((name) => snapshot.document!.row[name] as never));
      restoreReferences(db, snapshot.document.refs, trash.document_id);
      const pending = db
        .prepare(`DELETE FROM outbox WHERE entity = 'document' AND entity_id = ? AND op = 'delete' AND attempts = 0`)
        .run(trash.document_id);
      if (pending.changes === 0) writeOutbox(db, 'document', trash.document_id, 'create', { restored: true });
    }
    const doc = editableDocument(db, trash.document_id);
    // The id is the page's own unless a new page took it meanwhile (SQLite reuses the highest id).
    const idFree = !db.prepare('SELECT 1 FROM pages WHERE id = ?').get(trash.page_id);
    const pageId = idFree ? trash.page_id : nextPageId(db);
    const values: Record<string, unknown> = {
      ...snapshot.page,
      id: pageId,
      document_id: doc.id,
      page_no: -1_000_000 - pageId,
      ocr_status: snapshot.queued ? 'queued' : snapshot.page.ocr_status,
    };
    const columns = Object.keys(values);
    db.prepare(
      `INSERT INTO pages (${columns.map(quoteId).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    ).run(...columns.map((name) => values[name] as never));
    restoreReferences(db, snapshot.pageRefs, pageId);
    const order = pageIdsOf(db, doc.id).filter((id) => id !== pageId);
    order.splice(Math.max(0, Math.min(order.length, trash.position - 1)), 0, pageId);
    placePages(db, doc.id, order);
    if (snapshot.queued) jobs.enqueue('ocr', String(pageId));
    for (const componentId of snapshot.document?.components ?? []) refreshComponent(db, componentId);
    db.prepare('DELETE FROM page_trash WHERE page_id = ?').run(trash.page_id);
    afterEdit(db, [doc.id], 'undoDelete');
    return { dossierId: doc.dossier_id, documentId: doc.id, pageIds: [pageId] };
  })();
}

function nextPageId(db: Db): number {
  return (db.prepare('SELECT coalesce(max(id), 0) + 1 AS id FROM pages').get() as { id: number }).id;
}

/** Deletions past their undo window become final: their snapshots go. */
export function purgeExpiredTrash(db: Db, now: string = nowIso()): number {
  return db.prepare('DELETE FROM page_trash WHERE undo_until < ?').run(now).changes;
}

/** Splits a document before `pageId`: that page and the ones after it become a new document. */
export async function splitDocument(ctx: EditContext, input: { pageId: number }): Promise<PageEditResult> {
  const page = pageRow(ctx.db, input.pageId);
  const documentId = nextDocumentId(ctx.db, documentRow(ctx.db, page.document_id));
  const provenance = await storedProvenance(ctx.store, { kind: 'sohoa.split', from: page.document_id, documentId });
  const { db } = ctx;
  return db.transaction(() => {
    const now = pageRow(db, input.pageId);
    const parent = editableDocument(db, now.document_id);
    const ids = pageIdsOf(db, parent.id);
    const at = ids.indexOf(now.id);
    if (at <= 0) {
      throw new AppFailure(
        'VALIDATION',
        'Đây là trang đầu của tài liệu: không có gì để tách.',
        'This is the first page of its document: there is nothing to split off.',
      );
    }
    const moved = ids.slice(at);
    const id = db.prepare('SELECT 1 FROM documents WHERE id = ?').get(documentId)
      ? nextDocumentId(db, parent)
      : documentId;
    createDocumentAfter(db, parent, `${parent.title} (${at + 1}–${ids.length})`, provenance, id);
    placePages(db, parent.id, ids.slice(0, at));
    placePages(db, id, moved);
    for (const pageId of moved) refreshSearchText(db, pageId);
    afterEdit(db, [parent.id, id], 'split');
    return { dossierId: parent.dossier_id, documentId: id, pageIds: moved };
  })();
}

/** Appends `documentId`'s pages to `intoDocumentId` and removes the emptied document. */
export function mergeDocuments(db: Db, input: { documentId: string; intoDocumentId: string }): PageEditResult {
  return db.transaction(() => {
    if (input.documentId === input.intoDocumentId) {
      throw new AppFailure('VALIDATION', 'Hãy chọn hai tài liệu khác nhau để gộp.', 'Pick two different documents.');
    }
    const from = editableDocument(db, input.documentId);
    const into = editableDocument(db, input.intoDocumentId);
    if (!sameFolder(from, into)) throw refuseOtherFolder();
    const moved = pageIdsOf(db, from.id);
    placePages(db, into.id, [...pageIdsOf(db, into.id), ...moved]);
    const components = repointReferences(db, from.id, into.id);
    dropEmptyDocument(db, from.id, into.id);
    for (const componentId of components) refreshComponent(db, componentId);
    for (const pageId of moved) refreshSearchText(db, pageId);
    afterEdit(db, [into.id], 'merge');
    return { dossierId: into.dossier_id, documentId: into.id, pageIds: moved };
  })();
}

/**
 * Puts pages under a checklist component: a whole document is assigned as it is; a selection
 * becomes a document of its own (named after the component, placed after the first page's
 * document), then assigned. A run of pages from inside one document keeps its place: the pages
 * after it become a document of their own after it. Documents left empty are removed.
 */
export async function assignPages(
  ctx: EditContext,
  input: { pageIds: number[]; componentId: string },
  actor: string,
): Promise<PageEditResult> {
  const { db } = ctx;
  const first = pageRow(db, input.pageIds[0]!);
  const newId = nextDocumentId(db, documentRow(db, first.document_id));
  const provenance = await storedProvenance(ctx.store, { kind: 'sohoa.assign', documentId: newId });
  const restProvenance = await storedProvenance(ctx.store, { kind: 'sohoa.assign.rest', after: newId });
  return db.transaction(() => {
    const component = db
      .prepare('SELECT dossier_id, name FROM dossier_components WHERE id = ?')
      .get(input.componentId) as { dossier_id: string; name: string } | undefined;
    if (!component)
      throw new AppFailure('NOT_FOUND', 'Không tìm thấy thành phần hồ sơ.', 'Dossier component not found.');
    const pages = [...new Set(input.pageIds)].map((id) => pageRow(db, id));
    const docs = new Map<string, DocumentRow>();
    for (const page of pages) {
      if (!docs.has(page.document_id)) docs.set(page.document_id, editableDocument(db, page.document_id));
    }
    for (const doc of docs.values()) {
      if (doc.dossier_id !== component.dossier_id) {
        throw new AppFailure(
          'VALIDATION',
          'Các trang phải thuộc hồ sơ của thành phần này.',
          "The pages must belong to this component's dossier.",
        );
      }
    }
    const [only] = docs.values();
    let target: string;
    if (docs.size === 1 && only && pageIdsOf(db, only.id).length === pages.length) {
      target = only.id;
    } else {
      const firstDoc = docs.get(first.document_id)!;
      target = db.prepare('SELECT 1 FROM documents WHERE id = ?').get(newId) ? nextDocumentId(db, firstDoc) : newId;
      createDocumentAfter(db, firstDoc, component.name, provenance, target);
      const chosen = new Set(pages.map((p) => p.id));
      // In the order the dossier shows them: documents in order, pages in order.
      const ordered = (
        db
          .prepare(
            `SELECT pg.id FROM pages pg JOIN documents doc ON doc.id = pg.document_id
             WHERE doc.dossier_id = ? ORDER BY doc.created_at, doc.id, pg.page_no`,
          )
          .all(component.dossier_id) as { id: number }[]
      )
        .map((row) => row.id)
        .filter((id) => chosen.has(id));
      const tail = contiguousTail(db, docs, chosen);
      for (const doc of docs.values())
        placePages(
          db,
          doc.id,
          pageIdsOf(db, doc.id).filter((id) => !chosen.has(id) && !tail.includes(id)),
        );
      placePages(db, target, ordered);
      if (tail.length > 0) {
        const rest = nextDocumentId(db, documentRow(db, target));
        createDocumentAfter(db, documentRow(db, target), firstDoc.title, restProvenance, rest);
        placePages(db, rest, tail);
        for (const id of tail) refreshSearchText(db, id);
        afterEdit(db, [rest], 'assign');
      }
      for (const doc of docs.values()) {
        if (pageIdsOf(db, doc.id).length === 0) {
          const components = repointReferences(db, doc.id, target);
          dropEmptyDocument(db, doc.id, target);
          for (const componentId of components) refreshComponent(db, componentId);
        }
      }
      for (const id of ordered) refreshSearchText(db, id);
      afterEdit(db, [...docs.keys(), target], 'assign');
    }
    const held = db
      .prepare('SELECT 1 FROM component_items WHERE component_id = ? AND document_id = ? AND removed_at IS NULL')
      .get(input.componentId, target);
    if (!held) assignDocument(db, { componentId: input.componentId, documentId: target }, actor);
    return { dossierId: component.dossier_id, documentId: target, pageIds: pages.map((p) => p.id) };
  })();
}

/**
 * The pages after a selection that is one run inside a single document: they move to a document
 * after the selection's, so the dossier reads in the same order as before.
 */
function contiguousTail(db: Db, docs: ReadonlyMap<string, DocumentRow>, chosen: ReadonlySet<number>): number[] {
  const [only] = docs.values();
  if (docs.size !== 1 || !only) return [];
  const ids = pageIdsOf(db, only.id);
  const places = ids.map((id, i) => (chosen.has(id) ? i : -1)).filter((i) => i >= 0);
  const first = places[0] ?? 0;
  const last = places.at(-1) ?? 0;
  if (last - first + 1 !== places.length) return [];
  return ids.slice(last + 1);
}

/** Checked before a rescan is imported, so a locked page is refused before any work. */
export function assertPageEditable(db: Db, pageId: number): { dossierId: string | null; citizenId: string | null } {
  const page = pageRow(db, pageId);
  const doc = editableDocument(db, page.document_id);
  return { dossierId: doc.dossier_id, citizenId: doc.citizen_id };
}

/**
 * Puts the pages of a freshly imported rescan (`importedDocumentId`) where `pageId` is, and moves
 * the old page to the trash (undoable like a deletion). Until this commits the old page stays.
 */
export function replacePage(
  db: Db,
  input: { pageId: number; importedDocumentId: string },
  actor: string,
): PageEditResult & { undoUntil: string } {
  return db.transaction(() => {
    const old = pageRow(db, input.pageId);
    const doc = editableDocument(db, old.document_id);
    const imported = documentRow(db, input.importedDocumentId);
    if (!sameFolder(doc, imported)) throw refuseOtherFolder();
    const fresh = pageIdsOf(db, imported.id);
    const order = pageIdsOf(db, doc.id);
    order.splice(order.indexOf(old.id) + 1, 0, ...fresh);
    placePages(db, doc.id, order);
    repointReferences(db, imported.id, doc.id);
    dropEmptyDocument(db, imported.id, doc.id);
    for (const id of fresh) refreshSearchText(db, id);
    const { undoUntil } = deletePage(db, { pageId: old.id }, actor);
    afterEdit(db, [doc.id], 'rescan');
    return { dossierId: doc.dossier_id, documentId: doc.id, pageIds: fresh, undoUntil };
  })();
}

/** What the page grid shows and allows: cleanup flags per page, locks, the dossier's components. */
export function pageEditState(db: Db, dossierId: string): PageEditState {
  const rows = db
    .prepare(
      `SELECT pg.id, pg.document_id, pg.rotation, pg.blank, pg.blank_confirmed, pg.quality, pg.thumb_sha256, doc.dossier_id
       FROM pages pg JOIN documents doc ON doc.id = pg.document_id WHERE doc.dossier_id = ?
       ORDER BY doc.created_at, doc.id, pg.page_no`,
    )
    .all(dossierId) as {
    id: number;
    document_id: string;
    rotation: Rotation;
    blank: number;
    blank_confirmed: number;
    quality: string;
    thumb_sha256: string;
    dossier_id: string;
  }[];
  const lockedDocs = new Map<string, AppFailure | null>();
  const lockOf = (documentId: string): AppFailure | null => {
    if (!lockedDocs.has(documentId))
      lockedDocs.set(documentId, lockReason(db, { id: documentId, dossier_id: dossierId }));
    return lockedDocs.get(documentId) ?? null;
  };
  const dossierLock = lockReason(db, { id: '', dossier_id: dossierId });
  const components = db
    .prepare('SELECT id, code, name FROM dossier_components WHERE dossier_id = ? ORDER BY position')
    .all(dossierId) as { id: string; code: string; name: string }[];
  return {
    dossierId,
    locked: dossierLock
      ? { message: dossierLock.appError.message, messageEn: dossierLock.appError.messageEn ?? '' }
      : null,
    pages: rows.map((row) => {
      const lock = lockOf(row.document_id);
      return {
        id: row.id,
        documentId: row.document_id,
        rotation: row.rotation,
        blank: row.blank === 1,
        blankConfirmed: row.blank_confirmed === 1,
        qualityWarnings: JSON.parse(row.quality) as QualityWarning[],
        imageVersion: row.thumb_sha256.slice(0, 12),
        locked: lock !== null,
      };
    }),
    components,
  };
}
