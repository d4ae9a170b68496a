import type { Migration } from '../migrate';

/**
 * The counter workflow: versioned procedure catalogs, each dossier's component checklist with
 * reuse flags and approvals, the dossier lifecycle with its history, and per-workstation blocks
 * of dossier numbers.
 *
 * `dossiers` and `dossier_sequences` are rebuilt (SQLite cannot alter a CHECK constraint or a
 * primary key): new table, copy, drop, rename, indexes again, the procedure SQLite documents
 * ("Making Other Kinds Of Table Schema Changes"). It runs with foreign keys off, which only works
 * outside a transaction, so migrate() switches them off around this migration and runs
 * `PRAGMA foreign_key_check` before committing (`foreignKeysOff`).
 *
 * The v1 `procedures` table becomes catalog version 1; dossiers received under it keep it, and
 * get their checklist rows from it, so an old dossier still shows the checklist it came with.
 */
export const workflow: Migration = {
  version: 2,
  name: 'workflow',
  foreignKeysOff: true,
  up: `
    CREATE TABLE catalog_versions (
      id              INTEGER PRIMARY KEY,
      label           TEXT NOT NULL,
      sample          INTEGER NOT NULL DEFAULT 0 CHECK (sample IN (0, 1)),
      source_name     TEXT NOT NULL,
      source_sha256   TEXT,                       -- the imported file's hash (NULL: migrated)
      procedure_count INTEGER NOT NULL,
      imported_at     TEXT NOT NULL,
      imported_by     TEXT NOT NULL
    ) STRICT;

    CREATE TABLE catalog_procedures (
      version_id      INTEGER NOT NULL REFERENCES catalog_versions(id),
      code            TEXT NOT NULL,
      name            TEXT NOT NULL,
      field           TEXT NOT NULL DEFAULT '',
      level           TEXT NOT NULL DEFAULT '',
      result_on_paper INTEGER NOT NULL DEFAULT 1 CHECK (result_on_paper IN (0, 1)),
      result_doc_type TEXT,                       -- the document type of the procedure's result
      processing_days INTEGER CHECK (processing_days BETWEEN 0 AND 365), -- NULL: not given (v1)
      PRIMARY KEY (version_id, code)
    ) STRICT;

    CREATE TABLE catalog_components (
      version_id     INTEGER NOT NULL,
      procedure_code TEXT NOT NULL,
      position       INTEGER NOT NULL,
      code           TEXT NOT NULL,
      name           TEXT NOT NULL,
      doc_type       TEXT NOT NULL,
      required       INTEGER NOT NULL DEFAULT 1 CHECK (required IN (0, 1)),
      PRIMARY KEY (version_id, procedure_code, code),
      FOREIGN KEY (version_id, procedure_code) REFERENCES catalog_procedures(version_id, code)
    ) STRICT;

    INSERT INTO catalog_versions (id, label, sample, source_name, procedure_count, imported_at, imported_by)
      SELECT 1,
             CASE WHEN max(sample) = 1 THEN 'Danh mục mẫu' ELSE 'Danh mục trước khi nâng cấp' END,
             max(sample), 'procedures (v1)', count(*), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'system:migration'
      FROM procedures HAVING count(*) > 0;
    INSERT INTO catalog_procedures (version_id, code, name, processing_days)
      SELECT 1, code, name, NULL FROM procedures;
    INSERT INTO catalog_components (version_id, procedure_code, position, code, name, doc_type, required)
      SELECT 1, p.code, c.key, json_extract(c.value, '$.code'), json_extract(c.value, '$.name'),
             json_extract(c.value, '$.docType'), 1
      FROM procedures p, json_each(p.components) c;

    CREATE TABLE dossiers_v2 (
      id                   TEXT PRIMARY KEY,
      code                 TEXT NOT NULL UNIQUE,
      citizen_id           TEXT NOT NULL,
      citizen_name         TEXT NOT NULL DEFAULT '',
      catalog_version_id   INTEGER NOT NULL,
      procedure_code       TEXT NOT NULL,
      status               TEXT NOT NULL
                           CHECK (status IN ('received', 'digitizing', 'digitized', 'result_recorded', 'returned')),
      channel              INTEGER NOT NULL DEFAULT 1 CHECK (channel IN (1, 2, 3)), -- KenhThucHien
      promised_return_date TEXT,                  -- YYYY-MM-DD, Vietnam
      result_code          TEXT,
      result_document_id   TEXT REFERENCES documents(id),
      workstation_no       INTEGER,
      created_at           TEXT NOT NULL,
      updated_at           TEXT NOT NULL,
      FOREIGN KEY (catalog_version_id, procedure_code) REFERENCES catalog_procedures(version_id, code)
    ) STRICT;
    INSERT INTO dossiers_v2 (id, code, citizen_id, citizen_name, catalog_version_id, procedure_code, status,
                             channel, created_at, updated_at)
      SELECT id, code, citizen_id, citizen_name, 1, procedure_code, status, 1, created_at, updated_at FROM dossiers;
    DROP TABLE dossiers;
    ALTER TABLE dossiers_v2 RENAME TO dossiers;
    CREATE INDEX dossiers_by_citizen ON dossiers(citizen_id);
    CREATE INDEX dossiers_by_status ON dossiers(status, updated_at);
    DROP TABLE procedures;

    -- Each workstation counts in its own block of the day's numbers (see dossier-codes.ts).
    CREATE TABLE dossier_sequences_v2 (
      agency         TEXT NOT NULL,
      day            TEXT NOT NULL,
      workstation_no INTEGER NOT NULL CHECK (workstation_no BETWEEN 0 AND 9),
      last           INTEGER NOT NULL,
      PRIMARY KEY (agency, day, workstation_no)
    ) STRICT;
    INSERT INTO dossier_sequences_v2 (agency, day, workstation_no, last)
      SELECT agency, day, 0, last FROM dossier_sequences;
    DROP TABLE dossier_sequences;
    ALTER TABLE dossier_sequences_v2 RENAME TO dossier_sequences;

    -- Every lifecycle change, with who and when: reports and sync read this.
    CREATE TABLE dossier_status_history (
      id          INTEGER PRIMARY KEY,
      dossier_id  TEXT NOT NULL REFERENCES dossiers(id),
      from_status TEXT,
      to_status   TEXT NOT NULL,
      actor       TEXT NOT NULL,
      at          TEXT NOT NULL,
      note        TEXT
    ) STRICT;
    CREATE INDEX dossier_status_history_by_dossier ON dossier_status_history(dossier_id, id);
    CREATE INDEX dossier_status_history_by_time ON dossier_status_history(at);
    INSERT INTO dossier_status_history (dossier_id, from_status, to_status, actor, at, note)
      SELECT id, NULL, 'received', 'system:migration', created_at, NULL FROM dossiers;
    INSERT INTO dossier_status_history (dossier_id, from_status, to_status, actor, at, note)
      SELECT id, 'received', status, 'system:migration', updated_at, NULL FROM dossiers WHERE status != 'received';

    -- A document's type (the clerk's confirmed choice) and validity: reuse matches on the first
    -- and never offers a document past the second.
    ALTER TABLE documents ADD COLUMN doc_type TEXT;
    ALTER TABLE documents ADD COLUMN valid_until TEXT; -- last valid day, YYYY-MM-DD; NULL: no expiry

    -- The checklist of a dossier: a snapshot of its procedure's components when received.
    CREATE TABLE dossier_components (
      id                    TEXT PRIMARY KEY,
      dossier_id            TEXT NOT NULL REFERENCES dossiers(id),
      position              INTEGER NOT NULL,
      code                  TEXT NOT NULL,
      name                  TEXT NOT NULL,
      doc_type              TEXT NOT NULL,
      required              INTEGER NOT NULL CHECK (required IN (0, 1)),
      state                 TEXT NOT NULL DEFAULT 'not_digitized'
                            CHECK (state IN ('not_digitized', 'digitized', 'reused_component', 'reused_result')),
      digitized             INTEGER NOT NULL DEFAULT 0, -- DuocSoHoa
      reused                INTEGER NOT NULL DEFAULT 0, -- DuocTaiSuDung
      from_national_store   INTEGER NOT NULL DEFAULT 0, -- DuocLayTuKhoDMQG
      replacing_result_code TEXT,                       -- MaKetQuaThayThe
      missing_reason        TEXT,
      originals             INTEGER NOT NULL DEFAULT 0,
      copies                INTEGER NOT NULL DEFAULT 0,
      updated_at            TEXT NOT NULL,
      UNIQUE (dossier_id, code),
      CHECK (digitized = (state != 'not_digitized')),
      CHECK (reused = (state IN ('reused_component', 'reused_result'))),
      CHECK ((replacing_result_code IS NOT NULL) = (state = 'reused_result')),
      CHECK (from_national_store IN (0, 1) AND (from_national_store = 0 OR reused = 1)),
      CHECK (missing_reason IS NULL OR state = 'not_digitized')
    ) STRICT;
    INSERT INTO dossier_components (id, dossier_id, position, code, name, doc_type, required, updated_at)
      SELECT lower(hex(randomblob(16))), d.id, c.position, c.code, c.name, c.doc_type, c.required, d.updated_at
      FROM dossiers d JOIN catalog_components c
        ON c.version_id = d.catalog_version_id AND c.procedure_code = d.procedure_code;

    -- What fills a component: a document scanned for it, or one reused by reference (never a copy).
    CREATE TABLE component_items (
      id                  TEXT PRIMARY KEY,
      component_id        TEXT NOT NULL REFERENCES dossier_components(id),
      document_id         TEXT NOT NULL REFERENCES documents(id),
      kind                TEXT NOT NULL CHECK (kind IN ('scanned', 'reused_component', 'reused_result')),
      source              TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'central', 'national')),
      origin_dossier_code TEXT,
      origin_component_id TEXT,                   -- no foreign key: it may live in the central store
      origin_result_code  TEXT,
      approval            TEXT CHECK (approval IN ('pending', 'approved', 'rejected')),
      approval_reason     TEXT,
      decided_by          TEXT,
      decided_at          TEXT,
      added_by            TEXT NOT NULL,
      added_at            TEXT NOT NULL,
      -- Taken off the component. Kept, not deleted: a rejected scan stays on record as rejected
      -- (never offered for reuse, never listed to assign again).
      removed_at          TEXT,
      removed_by          TEXT,
      CHECK ((kind = 'scanned') = (approval IS NOT NULL)),
      CHECK (approval IS NOT 'rejected' OR approval_reason IS NOT NULL),
      CHECK (kind != 'reused_result' OR origin_result_code IS NOT NULL)
    ) STRICT;
    CREATE UNIQUE INDEX component_items_live ON component_items(component_id, document_id) WHERE removed_at IS NULL;
    CREATE INDEX component_items_by_document ON component_items(document_id);
    CREATE INDEX component_items_by_approval ON component_items(approval, added_at);
  `,
};
