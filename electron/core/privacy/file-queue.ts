import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import type { BlobStore } from '../files/blob-store';

/**
 * Removing store files after their records were purged or deleted. The hashes are queued in the
 * transaction that drops the records; draining handles each (remove, or keep when a remaining
 * record still uses the same bytes) and only then deletes its queue row, so a crash at any point
 * is finished by the next drain. Removing an already removed file is a no-op.
 */

/** Hashes of every file a document's rows refer to (source, page images, thumbnails, originals). */
export function documentFiles(db: Db, documentId: string): string[] {
  const rows = db
    .prepare(
      `SELECT source_sha256 AS sha FROM documents WHERE id = ?
       UNION SELECT image_sha256 FROM pages WHERE document_id = ?
       UNION SELECT thumb_sha256 FROM pages WHERE document_id = ?
       UNION SELECT original_sha256 FROM pages WHERE document_id = ? AND original_sha256 IS NOT NULL`,
    )
    .all(documentId, documentId, documentId, documentId) as { sha: string }[];
  return rows.map((r) => r.sha);
}

/** Drops cached PDF renditions of the subjects and returns their files. */
export function dropRenditions(db: Db, subjects: readonly string[]): string[] {
  const files: string[] = [];
  const find = db.prepare('SELECT sha256 FROM pdf_renditions WHERE subject = ?');
  const drop = db.prepare('DELETE FROM pdf_renditions WHERE subject = ?');
  for (const subject of subjects) {
    const row = find.get(subject) as { sha256: string } | undefined;
    if (row) files.push(row.sha256);
    drop.run(subject);
  }
  return files;
}

export function queueFiles(db: Db, hashes: Iterable<string>, dossierId: string | null): number {
  const insert = db.prepare(
    'INSERT INTO privacy_file_queue (sha256, dossier_id, queued_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const at = nowIso();
  let queued = 0;
  for (const sha of new Set(hashes)) queued += insert.run(sha, dossierId, at).changes;
  return queued;
}

/** True while a record that was neither purged nor deleted uses these bytes. */
function stillUsed(db: Db, sha: string): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM documents WHERE source_sha256 = @sha AND purged_at IS NULL
         UNION ALL
         SELECT 1 FROM pages p JOIN documents d ON d.id = p.document_id
          WHERE d.purged_at IS NULL AND (p.image_sha256 = @sha OR p.thumb_sha256 = @sha OR p.original_sha256 = @sha)
         UNION ALL
         SELECT 1 FROM pdf_renditions WHERE sha256 = @sha
         LIMIT 1`,
      )
      .get({ sha }) !== undefined
  );
}

/** Purged rows keep referring to the hash (for counts and sizes): then the blob row stays, marked. */
function referencedAtAll(db: Db, sha: string): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM documents WHERE source_sha256 = @sha
         UNION ALL
         SELECT 1 FROM pages WHERE image_sha256 = @sha OR thumb_sha256 = @sha OR original_sha256 = @sha
         LIMIT 1`,
      )
      .get({ sha }) !== undefined
  );
}

/**
 * Deletes an unreferenced blob row. A table this module does not know may still refer to it (a
 * foreign key refuses the delete): then the file is kept, never left dangling.
 */
function deleteBlobRow(db: Db, sha: string): boolean {
  try {
    db.prepare('DELETE FROM blobs WHERE sha256 = ?').run(sha);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return false;
    throw error;
  }
}

export interface DrainOutcome {
  removed: number;
  shared: number;
}

/** Handles every queued file; safe to run again at any time (and after a crash). */
export async function drainFileQueue(db: Db, store: BlobStore): Promise<DrainOutcome> {
  const outcome: DrainOutcome = { removed: 0, shared: 0 };
  const rows = db.prepare('SELECT sha256, dossier_id FROM privacy_file_queue ORDER BY queued_at, sha256').all() as {
    sha256: string;
    dossier_id: string | null;
  }[];
  for (const row of rows) {
    // Decided and recorded before the file goes: a crash after this re-runs an idempotent remove.
    const keep = db
      .transaction(() => {
        if (stillUsed(db, row.sha256)) return true;
        if (referencedAtAll(db, row.sha256))
          db.prepare('UPDATE blobs SET purged_at = coalesce(purged_at, ?) WHERE sha256 = ?').run(nowIso(), row.sha256);
        else if (!deleteBlobRow(db, row.sha256)) return true;
        return false;
      })
      .immediate();
    if (!keep) await store.remove(row.sha256);
    db.transaction(() => {
      db.prepare('DELETE FROM privacy_file_queue WHERE sha256 = ?').run(row.sha256);
      if (row.dossier_id)
        db.prepare(
          `UPDATE privacy_purges SET ${keep ? 'files_shared = files_shared + 1' : 'files_removed = files_removed + 1'}
           WHERE dossier_id = ?`,
        ).run(row.dossier_id);
    })();
    if (keep) outcome.shared++;
    else outcome.removed++;
  }
  db.prepare(
    `UPDATE privacy_purges SET state = 'done', done_at = ?
     WHERE state = 'files' AND NOT EXISTS (SELECT 1 FROM privacy_file_queue q WHERE q.dossier_id = privacy_purges.dossier_id)`,
  ).run(nowIso());
  return outcome;
}
