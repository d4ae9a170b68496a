import type { Migration } from '../migrate';

/**
 * Batch splitting: a scanned stack with separator sheets (or ID card QR codes) is not committed at
 * once but staged as a proposed split the clerk confirms. The pages' images are already in the
 * blob store; these rows hold everything needed to create the documents later, so a staged batch
 * survives a crash or a restart.
 */
export const batchSplit: Migration = {
  version: 12,
  name: 'batch-split',
  up: `
    CREATE TABLE staged_batches (
      id            TEXT PRIMARY KEY,
      dossier_id    TEXT REFERENCES dossiers(id),   -- NULL: the inbox
      citizen_id    TEXT,                           -- inbox documents' citizen, if known
      source_name   TEXT NOT NULL,                  -- the stack's file name (display only)
      source_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
      page_count    INTEGER NOT NULL,
      status        TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'rejected')),
      document_ids  TEXT NOT NULL DEFAULT '[]',     -- JSON: documents created when decided
      created_at    TEXT NOT NULL,
      decided_at    TEXT,
      decided_by    TEXT
    ) STRICT;
    CREATE INDEX staged_batches_by_dossier ON staged_batches(dossier_id, status);
    -- One stack is staged once: importing the same bytes again finds this row.
    CREATE UNIQUE INDEX staged_batches_by_source ON staged_batches(source_sha256);

    CREATE TABLE staged_pages (
      batch_id      TEXT NOT NULL REFERENCES staged_batches(id),
      position      INTEGER NOT NULL,               -- 1-based, the stack's page order
      stored        TEXT NOT NULL,                  -- JSON: the stored page (images, cleanup, text layer)
      marker        TEXT CHECK (marker IN ('separator', 'idCard')),
      component_code TEXT,                          -- a separator's component ('*': new document)
      card_id       TEXT,                           -- an ID card page's personal ID number
      -- The clerk's (or the proposal's) split: a document starts at this page, for this component.
      starts_group  INTEGER NOT NULL DEFAULT 0 CHECK (starts_group IN (0, 1)),
      component_id  TEXT REFERENCES dossier_components(id),
      PRIMARY KEY (batch_id, position)
    ) STRICT;
  `,
};
