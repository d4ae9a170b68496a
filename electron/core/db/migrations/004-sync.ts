import type { Migration } from '../migrate';

/**
 * Sync with the central store: delivery state of outbox rows, the client's sync state (pull cursor,
 * last success, last error), which files the server is known to hold, and the metadata of
 * documents digitized at other counters, pulled for reuse (their files come on demand).
 */
export const sync: Migration = {
  version: 4,
  name: 'sync',
  up: `
    -- An outbox row stays until the server acknowledges it; these say how delivery went so far.
    ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE outbox ADD COLUMN last_error TEXT;   -- JSON { code, message, messageEn }
    ALTER TABLE outbox ADD COLUMN rejected_at TEXT;  -- the server refused it as sent: kept and shown

    CREATE TABLE sync_state (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    -- Files the server confirmed it holds, so each is offered once.
    CREATE TABLE sync_sent_blobs (
      sha256  TEXT PRIMARY KEY,
      sent_at TEXT NOT NULL
    ) STRICT;

    -- Documents digitized elsewhere, from the server's change log: enough to offer them for reuse.
    CREATE TABLE remote_documents (
      id              TEXT PRIMARY KEY,
      citizen_id      TEXT,
      title           TEXT NOT NULL,
      doc_type        TEXT,
      valid_until     TEXT,
      kind            TEXT NOT NULL,
      dossier_code    TEXT,
      procedure_code  TEXT,
      page_count      INTEGER NOT NULL,
      unit            TEXT NOT NULL,
      digitized_at    TEXT NOT NULL,
      record          TEXT NOT NULL,          -- the DocumentRecord as the server holds it
      seq             INTEGER NOT NULL,       -- its place in the server's change log
      pulled_at       TEXT NOT NULL,
      materialized_at TEXT                    -- when its files were fetched and it became a local document
    ) STRICT;
    CREATE INDEX remote_documents_by_citizen ON remote_documents(citizen_id);
  `,
};
