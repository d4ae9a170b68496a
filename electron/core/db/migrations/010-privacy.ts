import type { Migration } from '../migrate';

/**
 * Privacy: the postal processor's purge of dossiers the central store confirmed, citizens'
 * requests about their data (72-hour limit), restrictions of use, and a crash-safe queue of store
 * files to remove once no remaining record refers to them.
 *
 * A purged dossier keeps its rows (counts, page sizes, dates, code, operator: the 766 report and
 * the postal invoice read them) without personal fields, OCR text or files.
 */
/** The guard's message: dispatch turns it into a clear refusal for the clerk. */
export const PURGED_DOSSIER_GUARD = 'the dossier was purged after the central store confirmed it';

export const privacy: Migration = {
  version: 10,
  name: 'privacy',
  up: `
    -- Set when the processor purged the document: its rows stay, its files and text are gone.
    ALTER TABLE documents ADD COLUMN purged_at TEXT;
    -- Set when the file was removed from the store while rows still refer to it (a purge);
    -- backups skip these.
    ALTER TABLE blobs ADD COLUMN purged_at TEXT;

    -- One row per purged dossier: the purge report. 'files' until every file of it is handled.
    CREATE TABLE privacy_purges (
      dossier_id    TEXT PRIMARY KEY REFERENCES dossiers(id),
      dossier_code  TEXT NOT NULL,
      contract_ref  TEXT NOT NULL,
      state         TEXT NOT NULL CHECK (state IN ('files', 'done')),
      documents     INTEGER NOT NULL,
      pages         INTEGER NOT NULL,
      files_removed INTEGER NOT NULL DEFAULT 0,
      files_shared  INTEGER NOT NULL DEFAULT 0,  -- kept: another remaining record uses the same bytes
      actor         TEXT NOT NULL,
      started_at    TEXT NOT NULL,
      done_at       TEXT
    ) STRICT;
    CREATE INDEX privacy_purges_by_time ON privacy_purges(started_at);

    -- Files to remove from the store, written in the transaction that dropped their records; a
    -- row is deleted only after the file is handled, so a crash resumes from here.
    CREATE TABLE privacy_file_queue (
      sha256     TEXT PRIMARY KEY,
      dossier_id TEXT REFERENCES privacy_purges(dossier_id),  -- NULL: a citizen's deletion
      queued_at  TEXT NOT NULL
    ) STRICT;

    -- A purged dossier or document has no personal data left here: sending it again would blank
    -- the central store's copy. Its status changes (no personal data) still go.
    CREATE TRIGGER outbox_not_after_purge BEFORE INSERT ON outbox
      WHEN (new.entity = 'dossier' AND new.op != 'status'
            AND EXISTS (SELECT 1 FROM privacy_purges p WHERE p.dossier_id = new.entity_id))
        OR (new.entity = 'document'
            AND EXISTS (SELECT 1 FROM documents d WHERE d.id = new.entity_id AND d.purged_at IS NOT NULL))
    BEGIN
      SELECT RAISE(ABORT, '${PURGED_DOSSIER_GUARD}');
    END;

    -- A citizen's request about their data, answered within 72 hours.
    CREATE TABLE citizen_requests (
      id          TEXT PRIMARY KEY,
      citizen_id  TEXT NOT NULL,
      kind        TEXT NOT NULL CHECK (kind IN ('access', 'restriction', 'deletion')),
      received_at TEXT NOT NULL,
      due_at      TEXT NOT NULL,
      legal_basis TEXT NOT NULL,
      notes       TEXT NOT NULL DEFAULT '',
      status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'refused')),
      outcome     TEXT,                         -- what was done, or why it was refused
      created_by  TEXT NOT NULL,
      created_at  TEXT NOT NULL,
      closed_by   TEXT,
      closed_at   TEXT,
      CHECK ((status = 'open') = (closed_at IS NULL)),
      CHECK (status != 'refused' OR outcome IS NOT NULL)
    ) STRICT;
    CREATE INDEX citizen_requests_by_status ON citizen_requests(status, due_at);
    CREATE INDEX citizen_requests_by_citizen ON citizen_requests(citizen_id);

    -- While a row exists the citizen's data is not offered for reuse nor found by others' search.
    CREATE TABLE citizen_restrictions (
      citizen_id TEXT PRIMARY KEY,
      request_id TEXT REFERENCES citizen_requests(id),
      since      TEXT NOT NULL,
      by_user    TEXT NOT NULL
    ) STRICT;
  `,
};
