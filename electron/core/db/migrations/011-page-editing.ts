import type { Migration } from '../migrate';

/**
 * Page editing: a deleted page waits in `page_trash` until its undo window has passed. The page's
 * row (and every row that pointed at it, and its document's when that was its last page) is kept
 * there as JSON, so undo puts back exactly what was removed, with the same page id, at the same
 * place. Nothing else in the schema changes: every other reader sees the page gone at once.
 */
export const pageEditing: Migration = {
  version: 11,
  name: 'page-editing',
  up: `
    CREATE TABLE page_trash (
      page_id     INTEGER PRIMARY KEY,        -- the id the page had, and gets back on undo
      document_id TEXT NOT NULL,              -- no foreign key: the document may have gone with it
      dossier_id  TEXT,
      position    INTEGER NOT NULL,           -- its page_no when deleted (1-based)
      snapshot    TEXT NOT NULL,              -- JSON: the rows removed or cleared, to put back
      deleted_by  TEXT NOT NULL,
      deleted_at  TEXT NOT NULL,
      undo_until  TEXT NOT NULL               -- ISO time; after it the deletion is final
    ) STRICT;
    CREATE INDEX page_trash_by_expiry ON page_trash(undo_until);
  `,
};
