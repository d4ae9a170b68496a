import { createHash } from 'node:crypto';
import { AppFailure } from '../../../shared/api/errors';
import { PullResponse, ROUTES } from '../../../shared/sync/protocol';
import { DocumentRecord, documentFiles } from '../../../shared/sync/records';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import type { BlobStore } from '../files/blob-store';
import type { JobQueue } from '../jobs/job-queue';
import { refreshSearchText } from '../pages/search-text';
import { withRetry, type RetryOptions } from './retry';
import { answerError, type SyncHttp } from './sync-http';

/**
 * Documents digitized at other counters: their metadata arrives by pull (and by direct look-ups),
 * their files only when a clerk takes one, at which point the document becomes a local row with
 * the same id, so the checklist refers to it like to any other.
 */

/** Stores or refreshes a remote document's metadata; an older record never replaces a newer one. */
export function upsertRemoteDocument(db: Db, record: DocumentRecord, unit: string, seq: number): void {
  db.prepare(
    `INSERT INTO remote_documents (id, citizen_id, title, doc_type, valid_until, kind, dossier_code, procedure_code,
                                   page_count, unit, digitized_at, record, seq, pulled_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET citizen_id = excluded.citizen_id, title = excluded.title,
       doc_type = excluded.doc_type, valid_until = excluded.valid_until, kind = excluded.kind,
       dossier_code = excluded.dossier_code, procedure_code = excluded.procedure_code,
       page_count = excluded.page_count, record = excluded.record, seq = excluded.seq, pulled_at = excluded.pulled_at
     WHERE excluded.seq >= remote_documents.seq`,
  ).run(
    record.documentId,
    record.owner.citizenId,
    record.title,
    record.docType,
    record.validUntil,
    record.kind,
    record.dossierCode,
    record.procedureCode,
    record.pageCount,
    unit,
    record.digitizedAt,
    JSON.stringify(record),
    seq,
    nowIso(),
  );
  // A document already fetched here follows what its counter decided since (validity, type).
  db.prepare(
    `UPDATE documents SET valid_until = ?, doc_type = coalesce(?, doc_type)
     WHERE id = ? AND id IN (SELECT id FROM remote_documents WHERE materialized_at IS NOT NULL)`,
  ).run(record.validUntil, record.docType, record.documentId);
}

export function getState(db: Db, key: string): string | null {
  const row = db.prepare('SELECT value FROM sync_state WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function setState(db: Db, key: string, value: string): void {
  db.prepare(
    'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

/**
 * Reads the server's change log after the stored cursor, page by page; each page and the cursor
 * move forward in one transaction, so a crash re-reads at most one page (upserts are idempotent).
 */
export async function pullChanges(db: Db, http: SyncHttp, retry: RetryOptions): Promise<number> {
  let pulled = 0;
  for (;;) {
    const after = Number(getState(db, 'pull.cursor') ?? 0);
    const page = await withRetry(
      () => http.json('GET', `${ROUTES.changes}?after=${after}&limit=500&entities=document`, PullResponse),
      retry,
    );
    db.transaction(() => {
      for (const entry of page.entries) {
        if (entry.entity !== 'document') continue;
        const record = DocumentRecord.safeParse(entry.record);
        if (record.success) upsertRemoteDocument(db, record.data, entry.unit, entry.seq);
      }
      // Never move back (two runs at once, the app and the command line, may interleave).
      if (page.next > Number(getState(db, 'pull.cursor') ?? 0)) setState(db, 'pull.cursor', String(page.next));
    })();
    pulled += page.entries.length;
    if (!page.more || page.next <= after) return pulled;
  }
}

export interface MaterializeContext {
  db: Db;
  store: BlobStore;
  jobs: JobQueue;
  http: SyncHttp | null;
  retry: RetryOptions;
}

/**
 * Makes a remote document local: downloads its files (each checked against its hash), then adds
 * the document, its pages and their OCR jobs in one transaction. No outbox row: the central store
 * already has it. Resolves to the local document (the same id, or the local one with the same
 * source file when this counter already had those bytes).
 */
export async function materializeRemoteDocument(
  ctx: MaterializeContext,
  documentId: string,
): Promise<{ documentId: string; pageIds: number[] }> {
  const local = localDocument(ctx.db, documentId);
  if (local) return local;
  const row = ctx.db.prepare('SELECT record FROM remote_documents WHERE id = ?').get(documentId) as
    { record: string } | undefined;
  if (!row) throw new AppFailure('NOT_FOUND', 'Không tìm thấy giấy tờ.', 'Document not found.', 'documentId');
  const record = DocumentRecord.parse(JSON.parse(row.record));
  const sameBytes = ctx.db.prepare('SELECT id FROM documents WHERE source_sha256 = ?').get(record.source.sha256) as
    { id: string } | undefined;
  if (sameBytes) return localDocument(ctx.db, sameBytes.id)!;

  for (const sha256 of documentFiles(record)) {
    if (await ctx.store.has(sha256)) continue;
    if (!ctx.http) {
      throw new AppFailure(
        'OFFLINE',
        'Máy này chưa đăng ký với máy chủ đồng bộ nên chưa tải được tệp của giấy tờ này.',
        'This workstation is not enrolled with a sync server, so the document’s files cannot be fetched.',
      );
    }
    const http = ctx.http;
    const bytes = await withRetry(async () => {
      const answer = await http.request('GET', `${ROUTES.blobs}${sha256}`, { maxAnswerBytes: 2 * 1024 ** 3 });
      if (answer.status !== 200) throw answerError(answer);
      return answer.body;
    }, ctx.retry);
    if (createHash('sha256').update(bytes).digest('hex') !== sha256) {
      throw new AppFailure(
        'INTERNAL',
        'Tệp tải về không khớp mã băm; chưa lưu. Hãy thử lại.',
        'The downloaded file does not match its hash; nothing was stored. Try again.',
      );
    }
    await ctx.store.put(bytes);
  }

  return ctx.db.transaction(() => {
    const raced = localDocument(ctx.db, documentId);
    if (raced) return raced;
    const now = nowIso();
    const blob = ctx.db.prepare(
      'INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    blob.run(record.source.sha256, record.source.size, record.source.mime, now);
    ctx.db
      .prepare(
        `INSERT INTO documents (id, dossier_id, citizen_id, title, source_name, source_sha256, page_count, created_at,
                                doc_type, valid_until)
         VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        record.documentId,
        record.owner.citizenId,
        record.title,
        record.source.name,
        record.source.sha256,
        record.pages.length,
        record.digitizedAt,
        record.docType,
        record.validUntil,
      );
    const insertPage = ctx.db.prepare(
      'INSERT INTO pages (document_id, page_no, image_sha256, thumb_sha256, width, height) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const pageIds: number[] = [];
    for (const page of record.pages) {
      blob.run(page.image.sha256, page.image.size, page.image.mime, now);
      blob.run(page.thumb.sha256, page.thumb.size, page.thumb.mime, now);
      const id = Number(
        insertPage.run(record.documentId, page.pageNo, page.image.sha256, page.thumb.sha256, page.width, page.height)
          .lastInsertRowid,
      );
      refreshSearchText(ctx.db, id);
      // The text is recognized here rather than shipped: the same engine, searchable the same way.
      ctx.jobs.enqueue('ocr', String(id));
      pageIds.push(id);
    }
    ctx.db.prepare('UPDATE remote_documents SET materialized_at = ? WHERE id = ?').run(now, record.documentId);
    return { documentId: record.documentId, pageIds };
  })();
}

function localDocument(db: Db, documentId: string): { documentId: string; pageIds: number[] } | null {
  const exists = db.prepare('SELECT 1 FROM documents WHERE id = ?').get(documentId);
  if (!exists) return null;
  const pageIds = (
    db.prepare('SELECT id FROM pages WHERE document_id = ? ORDER BY page_no').all(documentId) as { id: number }[]
  ).map((row) => row.id);
  return { documentId, pageIds };
}
