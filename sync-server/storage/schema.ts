/**
 * The central store's tables, for SQLite and PostgreSQL. `records` is the change log: every change
 * a counter pushed, exactly once (its client-generated id is unique), numbered by `seq`, which is
 * the pull cursor. `dossiers`, `dossier_statuses` and `documents` are projections of it for reuse
 * look-ups and portal adapters; files live in the blob store and `blobs` lists those that
 * records refer to (an upload nobody refers to is not listed, and may be collected).
 */
export const SCHEMA_VERSION = 1;

const TABLES = (t: { serial: string; bigint: string; strict: string }): string => `
  CREATE TABLE IF NOT EXISTS server_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  )${t.strict};

  CREATE TABLE IF NOT EXISTS devices (
    id          TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    name        TEXT NOT NULL,
    unit        TEXT NOT NULL,
    province    TEXT NOT NULL,
    scope       TEXT NOT NULL CHECK (scope IN ('unit', 'province')),
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
  )${t.strict};

  CREATE TABLE IF NOT EXISTS enrol_codes (
    code_hash  TEXT PRIMARY KEY,
    unit       TEXT NOT NULL,
    province   TEXT NOT NULL,
    scope      TEXT NOT NULL CHECK (scope IN ('unit', 'province')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    device_id  TEXT
  )${t.strict};

  CREATE TABLE IF NOT EXISTS records (
    seq         ${t.serial},
    change_id   TEXT NOT NULL UNIQUE,
    device_id   TEXT NOT NULL,
    unit        TEXT NOT NULL,
    province    TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    op          TEXT NOT NULL,
    at          TEXT NOT NULL,
    record      TEXT NOT NULL,
    received_at TEXT NOT NULL
  )${t.strict};
  CREATE INDEX IF NOT EXISTS records_by_unit ON records (unit, seq);
  CREATE INDEX IF NOT EXISTS records_by_province ON records (province, seq);
  CREATE INDEX IF NOT EXISTS records_by_entity ON records (entity, entity_id);

  CREATE TABLE IF NOT EXISTS dossiers (
    id             TEXT PRIMARY KEY,
    unit           TEXT NOT NULL,
    province       TEXT NOT NULL,
    code           TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    channel        INTEGER NOT NULL,
    citizen_id     TEXT,
    citizen_name   TEXT NOT NULL,
    status         TEXT NOT NULL,
    status_at      TEXT NOT NULL,
    received_at    TEXT NOT NULL,
    record         TEXT,
    record_at      TEXT
  )${t.strict};
  CREATE INDEX IF NOT EXISTS dossiers_by_citizen ON dossiers (citizen_id);
  CREATE INDEX IF NOT EXISTS dossiers_by_code ON dossiers (code);

  CREATE TABLE IF NOT EXISTS dossier_statuses (
    change_id  TEXT PRIMARY KEY,
    dossier_id TEXT NOT NULL,
    status     TEXT NOT NULL,
    at         TEXT NOT NULL,
    device_id  TEXT NOT NULL
  )${t.strict};
  CREATE INDEX IF NOT EXISTS dossier_statuses_by_dossier ON dossier_statuses (dossier_id, at);

  CREATE TABLE IF NOT EXISTS documents (
    id             TEXT PRIMARY KEY,
    unit           TEXT NOT NULL,
    province       TEXT NOT NULL,
    citizen_id     TEXT,
    dossier_id     TEXT,
    dossier_code   TEXT,
    procedure_code TEXT,
    title          TEXT NOT NULL,
    page_count     INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    record         TEXT NOT NULL,
    seq            ${t.bigint} NOT NULL
  )${t.strict};
  CREATE INDEX IF NOT EXISTS documents_by_citizen ON documents (citizen_id, created_at);

  CREATE TABLE IF NOT EXISTS document_files (
    document_id TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    PRIMARY KEY (document_id, sha256)
  )${t.strict};
  CREATE INDEX IF NOT EXISTS document_files_by_sha ON document_files (sha256);

  CREATE TABLE IF NOT EXISTS blobs (
    sha256     TEXT PRIMARY KEY,
    size       ${t.bigint} NOT NULL,
    created_at TEXT NOT NULL
  )${t.strict};
`;

export const SQLITE_SCHEMA = TABLES({
  serial: 'INTEGER PRIMARY KEY AUTOINCREMENT',
  bigint: 'INTEGER',
  strict: ' STRICT',
});

export const POSTGRES_SCHEMA = TABLES({ serial: 'BIGSERIAL PRIMARY KEY', bigint: 'BIGINT', strict: '' });
