import type { Migration } from '../migrate';

/**
 * Accounts, sign-in sessions, and the processing log of citizens' personal data (who viewed,
 * exported, printed, reused or deleted what, when, on which legal basis), hash-chained so an edit
 * behind the app's back is detected.
 */
export const accounts: Migration = {
  version: 7,
  name: 'accounts',
  up: `
    CREATE TABLE users (
      id              TEXT PRIMARY KEY,
      username        TEXT NOT NULL UNIQUE COLLATE NOCASE,
      display_name    TEXT NOT NULL,
      role            TEXT NOT NULL CHECK (role IN ('clerk', 'postal', 'supervisor', 'admin')),
      password_hash   TEXT NOT NULL,           -- scrypt$N$r$p$salt$hash (base64)
      disabled        INTEGER NOT NULL DEFAULT 0,
      failed_attempts INTEGER NOT NULL DEFAULT 0,
      locked_until    TEXT,                    -- sign-in refused before this time after failures
      created_at      TEXT NOT NULL
    ) STRICT;

    CREATE TABLE sessions (
      token_hash TEXT PRIMARY KEY,             -- sha256 of the bearer token; the token is never stored
      user_id    TEXT NOT NULL REFERENCES users(id),
      created_at TEXT NOT NULL,
      last_seen  TEXT NOT NULL
    ) STRICT;

    CREATE TABLE processing_log (
      seq         INTEGER PRIMARY KEY,
      at          TEXT NOT NULL,
      user_id     TEXT,
      username    TEXT NOT NULL,
      action      TEXT NOT NULL,               -- view | export | print | reuse | delete | create | update
      subject     TEXT NOT NULL,               -- e.g. document:<id>, dossier:<id>, page:<id>
      citizen_id  TEXT,
      legal_basis TEXT NOT NULL,
      prev_hash   TEXT NOT NULL,
      hash        TEXT NOT NULL
    ) STRICT;
    -- Append-only: the app never updates or deletes an entry.
    CREATE TRIGGER processing_log_no_update BEFORE UPDATE ON processing_log
      BEGIN SELECT RAISE(ABORT, 'processing_log is append-only'); END;
    CREATE TRIGGER processing_log_no_delete BEFORE DELETE ON processing_log
      BEGIN SELECT RAISE(ABORT, 'processing_log is append-only'); END;
  `,
};
