import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../shared/api/errors';
import { openDatabase } from '../../electron/core/db/database';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from '../../electron/core/db/migrate';
import { tempDir } from '../support/temp-backend';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

function freshFile(): string {
  const { dir, cleanup } = tempDir('sohoa-migrate-');
  cleanups.push(cleanup);
  return path.join(dir, 'sohoa.db');
}

describe('migrations', () => {
  it('are numbered 1..n without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_m, i) => i + 1));
  });

  it('refuse a database written by a newer app, and leave it untouched', () => {
    const file = freshFile();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.exec('CREATE TABLE future_table (x INTEGER)');
    raw.close();
    const refusal = (() => {
      try {
        openDatabase(file);
        return null;
      } catch (error) {
        return error instanceof AppFailure ? error.appError : null;
      }
    })();
    expect(refusal?.code).toBe('CONFLICT');
    expect(refusal?.message).toMatch(/mới hơn/);
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    expect(check.prepare(`SELECT name FROM sqlite_master WHERE name = 'future_table'`).get()).toBeDefined();
    check.close();
  });

  it('opening twice is a no-op the second time', () => {
    const file = freshFile();
    openDatabase(file).close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });
});

describe('migration 1 (initial schema)', () => {
  function migrated(): Database.Database {
    const db = new Database(freshFile());
    db.pragma('foreign_keys = ON');
    expect(migrate(db, 1)).toBe(1);
    return db;
  }

  it('creates STRICT tables with WAL-ready pragmas applied by openDatabase', () => {
    const db = openDatabase(freshFile());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    for (const table of [
      'dossiers',
      'documents',
      'pages',
      'blobs',
      'tags',
      'jobs',
      'outbox',
      'catalog_versions',
      'catalog_procedures',
      'catalog_components',
      'dossier_components',
      'component_items',
      'dossier_status_history',
      'dossier_sequences',
      'settings',
    ]) {
      const sql = (db.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).get(table) as { sql: string }).sql;
      expect(sql, table).toMatch(/\)\s*STRICT\s*$/);
    }
    // STRICT: a wrong type is refused, not coerced.
    expect(() => db.prepare(`INSERT INTO blobs VALUES ('x', 'not a number', 'image/png', 'now')`).run()).toThrow();
    db.close();
  });

  it('keeps the folded full-text index in step with pages through triggers', () => {
    const db = migrated();
    db.prepare(`INSERT INTO blobs VALUES ('a', 1, 'image/png', 'now')`).run();
    db.prepare(
      `INSERT INTO documents (id, title, source_name, source_sha256, page_count, created_at)
      VALUES ('d1', 't', 't.png', 'a', 1, 'now')`,
    ).run();
    db.prepare(
      `INSERT INTO pages (id, document_id, page_no, image_sha256, thumb_sha256, width, height, search_text)
      VALUES (1, 'd1', 1, 'a', 'a', 10, 10, 'dang ky khai sinh')`,
    ).run();
    const find = (q: string) => db.prepare(`SELECT rowid FROM pages_fts WHERE pages_fts MATCH ?`).all(q);
    expect(find('"khai"')).toEqual([{ rowid: 1 }]);
    // unicode61 remove_diacritics 2 also matches a query typed with tone marks (but not đ, which
    // is why the app folds text itself).
    expect(find('"khái"')).toEqual([{ rowid: 1 }]);
    db.prepare(`UPDATE pages SET search_text = 'ket hon' WHERE id = 1`).run();
    expect(find('"khai"')).toEqual([]);
    expect(find('"hon"')).toEqual([{ rowid: 1 }]);
    db.prepare(`DELETE FROM pages WHERE id = 1`).run();
    expect(find('"hon"')).toEqual([]);
    db.close();
  });

  it('enforces one document per source file, one row per page number, and foreign keys', () => {
    const db = migrated();
    db.prepare(`INSERT INTO blobs VALUES ('a', 1, 'image/png', 'now')`).run();
    const doc = db.prepare(`INSERT INTO documents (id, title, source_name, source_sha256, page_count, created_at)
      VALUES (?, 't', 't.png', 'a', 1, 'now')`);
    doc.run('d1');
    expect(() => doc.run('d2')).toThrow(/UNIQUE/);
    const page = db.prepare(`INSERT INTO pages (document_id, page_no, image_sha256, thumb_sha256, width, height)
      VALUES (?, 1, 'a', 'a', 10, 10)`);
    page.run('d1');
    expect(() => page.run('d1')).toThrow(/UNIQUE/);
    expect(() => page.run('missing')).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('keeps one job per kind and subject', () => {
    const db = migrated();
    const insert = db.prepare(`INSERT INTO jobs (kind, subject, status, created_at, updated_at)
      VALUES ('ocr', '1', 'queued', 'now', 'now') ON CONFLICT DO NOTHING`);
    insert.run();
    insert.run();
    expect(db.prepare(`SELECT count(*) AS n FROM jobs`).get()).toEqual({ n: 1 });
    db.close();
  });
});
