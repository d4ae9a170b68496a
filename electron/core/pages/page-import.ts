import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ImportOutcome } from '../../../shared/api/contract';
import { AppFailure, type AppError } from '../../../shared/api/errors';
import { log } from '../log';
import { checkImageFile, decodePage } from '../capture/image-input';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import { updateDossierStatus } from '../dossiers/dossier-service';
import type { BlobStore } from '../files/blob-store';
import { hashFile } from '../files/blob-store';
import { safeDisplayName } from '../files/uploads';
import type { JobQueue } from '../jobs/job-queue';
import { writeOutbox } from '../sync/outbox';
import { refreshSearchText } from './search-text';

export interface ImportTarget {
  dossierId: string | null;
  /** For documents outside a dossier (the inbox), the citizen they belong to, if known. */
  citizenId: string | null;
}

export interface ImportContext {
  db: Db;
  store: BlobStore;
  jobs: JobQueue;
}

interface StoredPage {
  pageNo: number;
  imageSha: string;
  imageSize: number;
  imageMime: string;
  thumbSha: string;
  thumbSize: number;
  width: number;
  height: number;
}

/**
 * Imports one scanned file as a document: every page decoded and stored, then the document, its
 * pages and their OCR jobs committed in one transaction. A bad file is refused with a reason and
 * nothing is written to the database; importing the same bytes again returns the stored document.
 */
export async function importFile(
  ctx: ImportContext,
  file: string,
  displayName: string,
  target: ImportTarget,
): Promise<ImportOutcome> {
  // A display name may come from anywhere (a folder walk, an upload, a caller): keep only its last
  // path segment, NFC, without control characters, so no stored name looks like a path.
  const name = safeDisplayName(displayName);
  try {
    if (target.dossierId) {
      const exists = ctx.db.prepare('SELECT 1 FROM dossiers WHERE id = ?').get(target.dossierId);
      if (!exists) throw new AppFailure('NOT_FOUND', 'Không tìm thấy hồ sơ.', 'Dossier not found.');
    }
    const { format, pages } = await checkImageFile(file);
    const sourceSha = await hashFile(file);
    const existing = findBySource(ctx.db, sourceSha);
    if (existing) return { ok: true, name, ...existing, duplicate: true };

    let original: Buffer | null = null;
    const originalBytes = async (): Promise<Buffer> => (original ??= await readFile(file));
    const stored: StoredPage[] = [];
    for (let index = 0; index < pages; index++) {
      const page = await decodePage(file, format, index, pages, originalBytes);
      const image = await ctx.store.put(page.image);
      const thumb = await ctx.store.put(page.thumb);
      stored.push({
        pageNo: page.pageNo,
        imageSha: image.sha256,
        imageSize: image.size,
        imageMime: page.mime,
        thumbSha: thumb.sha256,
        thumbSize: thumb.size,
        width: page.width,
        height: page.height,
      });
    }
    const source = await ctx.store.put(await originalBytes());

    const documentId = randomUUID();
    const committed = ctx.db.transaction(() => {
      // Another process may have imported the same bytes meanwhile.
      const raced = findBySource(ctx.db, sourceSha);
      if (raced) return raced;
      const now = nowIso();
      const blob = ctx.db.prepare(
        'INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      );
      blob.run(source.sha256, source.size, mimeOf(format), now);
      const citizenId = target.dossierId
        ? (
            ctx.db.prepare('SELECT citizen_id FROM dossiers WHERE id = ?').get(target.dossierId) as {
              citizen_id: string;
            }
          ).citizen_id
        : target.citizenId;
      ctx.db
        .prepare(
          `INSERT INTO documents (id, dossier_id, citizen_id, title, source_name, source_sha256, page_count, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(documentId, target.dossierId, citizenId, titleOf(name), name, source.sha256, stored.length, now);
      const insertPage = ctx.db.prepare(
        `INSERT INTO pages (document_id, page_no, image_sha256, thumb_sha256, width, height) VALUES (?, ?, ?, ?, ?, ?)`,
      );
      const pageIds: number[] = [];
      for (const page of stored) {
        blob.run(page.imageSha, page.imageSize, page.imageMime, now);
        blob.run(page.thumbSha, page.thumbSize, 'image/jpeg', now);
        const id = Number(
          insertPage.run(documentId, page.pageNo, page.imageSha, page.thumbSha, page.width, page.height)
            .lastInsertRowid,
        );
        refreshSearchText(ctx.db, id);
        ctx.jobs.enqueue('ocr', String(id));
        pageIds.push(id);
      }
      writeOutbox(ctx.db, 'document', documentId, 'create', {
        dossierId: target.dossierId,
        sourceSha256: source.sha256,
        pages: stored.map((page) => ({ pageNo: page.pageNo, sha256: page.imageSha })),
      });
      if (target.dossierId) updateDossierStatus(ctx.db, target.dossierId);
      return { documentId, pageIds, fresh: true as const };
    })();
    return {
      ok: true,
      name,
      documentId: committed.documentId,
      pageIds: committed.pageIds,
      duplicate: !('fresh' in committed),
    };
  } catch (error) {
    return { ok: false, name, error: importError(error) };
  }
}

const FILE_ERRORS: Record<string, [string, string]> = {
  ENOENT: ['Không tìm thấy tệp.', 'File not found.'],
  EACCES: ['Không có quyền đọc tệp.', 'No permission to read the file.'],
  EPERM: ['Không có quyền đọc tệp.', 'No permission to read the file.'],
  EISDIR: ['Đây là thư mục, không phải tệp.', 'This is a folder, not a file.'],
};

function importError(error: unknown): AppError {
  if (error instanceof AppFailure) return error.appError;
  const known = FILE_ERRORS[(error as NodeJS.ErrnoException).code ?? ''];
  if (known) return { code: 'UNSUPPORTED_FILE', message: known[0], messageEn: known[1] };
  log.error('import', 'file import failed', error);
  return {
    code: 'INTERNAL',
    message: 'Không nhập được tệp do lỗi nội bộ; các tệp khác vẫn được nhập.',
    messageEn: 'The file could not be imported (internal error); other files go on.',
  };
}

function findBySource(db: Db, sha256: string): { documentId: string; pageIds: number[] } | null {
  const doc = db.prepare('SELECT id FROM documents WHERE source_sha256 = ?').get(sha256) as { id: string } | undefined;
  if (!doc) return null;
  const pageIds = (
    db.prepare('SELECT id FROM pages WHERE document_id = ? ORDER BY page_no').all(doc.id) as { id: number }[]
  ).map((row) => row.id);
  return { documentId: doc.id, pageIds };
}

function titleOf(name: string): string {
  const base = path.basename(name);
  const ext = path.extname(base);
  return (ext ? base.slice(0, -ext.length) : base) || base;
}

function mimeOf(format: string): string {
  return format === 'jpeg' ? 'image/jpeg' : `image/${format}`;
}
