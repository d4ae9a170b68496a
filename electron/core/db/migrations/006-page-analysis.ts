import type { Migration } from '../migrate';

/**
 * Page analysis after OCR: chip ID card QR codes found on page images, the citizen data the clerk
 * applied from one, and document types — suggested from the text, learned from the types clerks
 * confirm.
 *
 * The confirmed type itself is `documents.doc_type` (migration 2), whoever set it (the type
 * picker, or assigning the document to a checklist component): a trigger queues every change in
 * `doc_type_relearn`, and the learned model catches up from that queue, so it never drifts from
 * what the clerks chose.
 */
export const pageAnalysis: Migration = {
  version: 6,
  name: 'page-analysis',
  up: `
    -- CCCD QR codes decoded from a page (a card, or a photocopy of one or two cards).
    CREATE TABLE page_id_cards (
      page_id  INTEGER NOT NULL REFERENCES pages(id),
      ordinal  INTEGER NOT NULL,              -- 0.., top to bottom on the page
      payload  TEXT NOT NULL,                 -- the QR text as decoded: personal data, never logged
      decoder  TEXT NOT NULL CHECK (decoder IN ('zxing', 'jsqr')),
      found_at TEXT NOT NULL,
      PRIMARY KEY (page_id, ordinal)
    ) STRICT;

    -- What the chip ID card's QR code says about a citizen, as applied by a clerk.
    CREATE TABLE citizen_cards (
      citizen_id     TEXT PRIMARY KEY,        -- 12-digit personal ID number
      old_id         TEXT,                    -- the old 9-digit CMND (or 12-digit pre-chip CCCD)
      name           TEXT NOT NULL,
      dob            TEXT NOT NULL,           -- YYYY-MM-DD
      sex            TEXT NOT NULL CHECK (sex IN ('male', 'female')),
      address        TEXT NOT NULL,           -- permanent address, raw, as on the card
      issued         TEXT NOT NULL,           -- YYYY-MM-DD
      source_page_id INTEGER REFERENCES pages(id),
      updated_at     TEXT NOT NULL
    ) STRICT;

    -- The suggested type of each page and each document (rules + learned model).
    CREATE TABLE page_doc_types (
      page_id    INTEGER PRIMARY KEY REFERENCES pages(id),
      suggested  TEXT,                        -- NULL: nothing scored enough
      score      REAL NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE document_type_suggestions (
      document_id TEXT PRIMARY KEY REFERENCES documents(id),
      suggested   TEXT,
      score       REAL NOT NULL,
      updated_at  TEXT NOT NULL
    ) STRICT;

    -- The learned model: one example per document with a confirmed type, and its counts.
    CREATE TABLE doc_type_examples (
      document_id TEXT PRIMARY KEY REFERENCES documents(id),
      type_code   TEXT NOT NULL,
      features    TEXT NOT NULL,              -- JSON array of the features counted, to unlearn exactly
      learned_at  TEXT NOT NULL
    ) STRICT;
    CREATE TABLE doc_type_classes (
      type_code TEXT PRIMARY KEY,
      documents INTEGER NOT NULL,
      features  INTEGER NOT NULL              -- sum of the examples' feature counts
    ) STRICT;
    CREATE TABLE doc_type_features (
      feature   TEXT NOT NULL,
      type_code TEXT NOT NULL,
      count     INTEGER NOT NULL,             -- confirmed documents of the type that have the feature
      PRIMARY KEY (feature, type_code)
    ) STRICT, WITHOUT ROWID;

    -- Documents whose confirmed type changed since the model last learned them.
    CREATE TABLE doc_type_relearn (
      document_id TEXT PRIMARY KEY REFERENCES documents(id)
    ) STRICT;
    CREATE TRIGGER documents_doc_type_changed AFTER UPDATE OF doc_type ON documents
      WHEN new.doc_type IS NOT old.doc_type
    BEGIN
      INSERT OR IGNORE INTO doc_type_relearn (document_id) VALUES (new.id);
    END;
    CREATE TRIGGER documents_doc_type_inserted AFTER INSERT ON documents
      WHEN new.doc_type IS NOT NULL
    BEGIN
      INSERT OR IGNORE INTO doc_type_relearn (document_id) VALUES (new.id);
    END;
    INSERT INTO doc_type_relearn (document_id) SELECT id FROM documents WHERE doc_type IS NOT NULL;
  `,
};
