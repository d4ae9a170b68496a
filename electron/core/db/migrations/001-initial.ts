import type { Migration } from '../migrate';

/**
 * The first schema: dossiers, documents and their pages, content-addressed blobs, proposed tags,
 * the persistent job queue, the sync outbox, and FTS5 over folded page text.
 */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  up: `
    CREATE TABLE settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE procedures (
      code       TEXT PRIMARY KEY,
      name       TEXT NOT NULL,
      components TEXT NOT NULL,              -- JSON array of { code, name, docType }
      sample     INTEGER NOT NULL DEFAULT 0  -- 1 while this is the starter sample catalog
    ) STRICT;

    CREATE TABLE dossiers (
      id             TEXT PRIMARY KEY,
      code           TEXT NOT NULL UNIQUE,
      citizen_id     TEXT NOT NULL,
      citizen_name   TEXT NOT NULL DEFAULT '',
      procedure_code TEXT NOT NULL REFERENCES procedures(code),
      status         TEXT NOT NULL CHECK (status IN ('received', 'digitizing', 'digitized')),
      created_at     TEXT NOT NULL,
      updated_at     TEXT NOT NULL
    ) STRICT;
    CREATE INDEX dossiers_by_citizen ON dossiers(citizen_id);

    -- Per agency and day, the last sequence number handed out by this workstation.
    CREATE TABLE dossier_sequences (
      agency TEXT NOT NULL,
      day    TEXT NOT NULL,
      last   INTEGER NOT NULL,
      PRIMARY KEY (agency, day)
    ) STRICT;

    -- Files in the content-addressed store. A row exists only once the file is safely on disk.
    CREATE TABLE blobs (
      sha256     TEXT PRIMARY KEY,
      size       INTEGER NOT NULL,
      mime       TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE documents (
      id            TEXT PRIMARY KEY,
      dossier_id    TEXT REFERENCES dossiers(id),
      citizen_id    TEXT,
      title         TEXT NOT NULL,
      source_name   TEXT NOT NULL,
      source_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
      page_count    INTEGER NOT NULL,
      created_at    TEXT NOT NULL
    ) STRICT;
    -- One document per source file: importing the same bytes again is a duplicate, not a copy.
    CREATE UNIQUE INDEX documents_by_source ON documents(source_sha256);
    CREATE INDEX documents_by_dossier ON documents(dossier_id);
    CREATE INDEX documents_by_citizen ON documents(citizen_id);

    CREATE TABLE pages (
      id             INTEGER PRIMARY KEY,
      document_id    TEXT NOT NULL REFERENCES documents(id),
      page_no        INTEGER NOT NULL,
      image_sha256   TEXT NOT NULL REFERENCES blobs(sha256),
      thumb_sha256   TEXT NOT NULL REFERENCES blobs(sha256),
      width          INTEGER NOT NULL,
      height         INTEGER NOT NULL,
      ocr_status     TEXT NOT NULL DEFAULT 'queued'
                     CHECK (ocr_status IN ('queued', 'running', 'done', 'failed')),
      ocr_text       TEXT NOT NULL DEFAULT '',
      ocr_confidence REAL,
      ocr_words      TEXT,                    -- JSON: [{ t, c, b: [x0, y0, x1, y1] }]
      ocr_error      TEXT,
      search_text    TEXT NOT NULL DEFAULT '', -- folded OCR text + metadata, indexed by pages_fts
      UNIQUE (document_id, page_no)
    ) STRICT;

    CREATE VIRTUAL TABLE pages_fts USING fts5(
      search_text,
      content = 'pages',
      content_rowid = 'id',
      tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER pages_fts_insert AFTER INSERT ON pages BEGIN
      INSERT INTO pages_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END;
    CREATE TRIGGER pages_fts_delete AFTER DELETE ON pages BEGIN
      INSERT INTO pages_fts(pages_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    END;
    CREATE TRIGGER pages_fts_update AFTER UPDATE OF search_text ON pages BEGIN
      INSERT INTO pages_fts(pages_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
      INSERT INTO pages_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END;

    CREATE TABLE tags (
      id      INTEGER PRIMARY KEY,
      page_id INTEGER NOT NULL REFERENCES pages(id),
      kind    TEXT NOT NULL CHECK (kind IN ('citizenId', 'procedureCode', 'dossierCode')),
      value   TEXT NOT NULL,
      status  TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed', 'rejected')),
      UNIQUE (page_id, kind, value)
    ) STRICT;

    -- Long work survives restarts: a job is claimed by a process and reclaimed if it dies.
    CREATE TABLE jobs (
      id         INTEGER PRIMARY KEY,
      kind       TEXT NOT NULL,
      subject    TEXT NOT NULL,
      status     TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
      attempts   INTEGER NOT NULL DEFAULT 0,
      owner      TEXT,
      error      TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (kind, subject)
    ) STRICT;
    CREATE INDEX jobs_by_status ON jobs(status, kind);

    -- Changes that must reach the central store, written in the same transaction as the change.
    CREATE TABLE outbox (
      id         TEXT PRIMARY KEY,            -- client-generated: the idempotency key
      entity     TEXT NOT NULL,
      entity_id  TEXT NOT NULL,
      op         TEXT NOT NULL,
      payload    TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;
  `,
};
