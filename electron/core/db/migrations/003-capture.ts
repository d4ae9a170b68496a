import type { Migration } from '../migrate';

/**
 * Capture: what automatic cleanup did to each page (the scan as it came is kept in
 * `original_sha256`; `image_sha256` becomes the cleaned working copy OCR and the screen use), where a
 * page's text came from, and the scanner hot folders with their claim journal (exactly-once import).
 */
export const capture: Migration = {
  version: 3,
  name: 'capture',
  up: `
    -- NULL when cleanup changed nothing: the page image is then the scan itself.
    ALTER TABLE pages ADD COLUMN original_sha256 TEXT REFERENCES blobs(sha256);
    -- Clockwise degrees applied to make the page upright (EXIF included).
    ALTER TABLE pages ADD COLUMN rotation INTEGER NOT NULL DEFAULT 0 CHECK (rotation IN (0, 90, 180, 270));
    -- Degrees straightened (positive: the scan leant clockwise).
    ALTER TABLE pages ADD COLUMN skew REAL NOT NULL DEFAULT 0;
    -- 1 when the page looks blank (a page number alone counts); the clerk confirms, nothing is dropped.
    ALTER TABLE pages ADD COLUMN blank INTEGER NOT NULL DEFAULT 0 CHECK (blank IN (0, 1));
    ALTER TABLE pages ADD COLUMN blank_confirmed INTEGER NOT NULL DEFAULT 0 CHECK (blank_confirmed IN (0, 1));
    -- JSON array of quality warnings, e.g. [{"kind":"lowResolution","dpi":150}].
    ALTER TABLE pages ADD COLUMN quality TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE pages ADD COLUMN dpi REAL;
    -- Where ocr_text came from: 'ocr' (recognized here) or 'pdf' (a good text layer kept as it was).
    ALTER TABLE pages ADD COLUMN text_source TEXT NOT NULL DEFAULT 'ocr' CHECK (text_source IN ('ocr', 'pdf'));

    CREATE TABLE hot_folders (
      id         INTEGER PRIMARY KEY,
      path       TEXT NOT NULL UNIQUE,
      enabled    INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
      created_at TEXT NOT NULL
    ) STRICT;

    -- The journal that makes a hot-folder import exactly-once: a row is written before the file is
    -- moved, so a crash at any step is resumed from the row, never by guessing from the folder.
    CREATE TABLE hot_folder_claims (
      id            INTEGER PRIMARY KEY,
      folder        TEXT NOT NULL,            -- the watched folder's path at claim time
      name          TEXT NOT NULL,            -- file name as found (shown, never opened as given)
      source_path   TEXT NOT NULL,
      archive_path  TEXT NOT NULL UNIQUE,
      size          INTEGER NOT NULL,
      sha256        TEXT NOT NULL,
      dossier_id    TEXT REFERENCES dossiers(id),
      status        TEXT NOT NULL
                    CHECK (status IN ('claimed', 'moved', 'imported', 'duplicate', 'refused')),
      document_id   TEXT REFERENCES documents(id),
      page_count    INTEGER,
      error         TEXT,                     -- Vietnamese reason when refused
      error_en      TEXT,
      created_at    TEXT NOT NULL,
      updated_at    TEXT NOT NULL
    ) STRICT;
    CREATE INDEX hot_folder_claims_by_status ON hot_folder_claims(status);
    CREATE INDEX hot_folder_claims_by_sha ON hot_folder_claims(sha256);
  `,
};
