import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../../electron/core/db/database';

/**
 * Stores a document whose single page was already recognized as `text`, as the import and the
 * OCR runner would leave it (a real row in a real database, without rendering and reading a scan):
 * for measuring what is done with OCR text, such as the document-type suggestion, on hundreds of
 * texts in seconds. The file hash is made up: no file is behind it.
 */
export function insertRecognizedDocument(
  db: Db,
  text: string,
  options: { dossierId?: string | null; citizenId?: string | null } = {},
): { documentId: string; pageId: number } {
  const documentId = randomUUID();
  const sha = createHash('sha256').update(documentId).digest('hex');
  const now = new Date().toISOString();
  db.prepare('INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, 0, ?, ?)').run(sha, 'image/png', now);
  db.prepare(
    `INSERT INTO documents (id, dossier_id, citizen_id, title, source_name, source_sha256, page_count, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 1, ?)`,
  ).run(documentId, options.dossierId ?? null, options.citizenId ?? null, 'text', 'text.png', sha, now);
  const pageId = Number(
    db
      .prepare(
        `INSERT INTO pages (document_id, page_no, image_sha256, thumb_sha256, width, height, ocr_status, ocr_text)
         VALUES (?, 1, ?, ?, 1000, 1400, 'done', ?)`,
      )
      .run(documentId, sha, sha, text).lastInsertRowid,
  );
  return { documentId, pageId };
}
