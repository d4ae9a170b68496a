import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../electron/core/db/migrate';
import { tempDir } from '../support/temp-backend';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

function migratedTo5(): Database.Database {
  const { dir, cleanup } = tempDir('sohoa-migrate-5-');
  cleanups.push(cleanup);
  const db = new Database(path.join(dir, 'sohoa.db'));
  cleanups.unshift(() => db.close());
  db.pragma('foreign_keys = ON');
  expect(migrate(db, 5)).toBe(5);
  return db;
}

describe('migration 5 (PDF output)', () => {
  it('adds the OCR lines column to pages', () => {
    const db = migratedTo5();
    const columns = (db.prepare('PRAGMA table_info(pages)').all() as { name: string; type: string }[]).map((c) => [
      c.name,
      c.type,
    ]);
    expect(columns).toContainEqual(['ocr_lines', 'TEXT']);
  });

  it('keeps one rendition per document or dossier, pointing at a stored blob', () => {
    const db = migratedTo5();
    const sql = (db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'pdf_renditions'`).get() as { sql: string })
      .sql;
    expect(sql).toMatch(/\)\s*STRICT\s*$/);
    db.prepare(
      `INSERT INTO blobs VALUES ('pdf1', 10, 'application/pdf', 'now'), ('pdf2', 12, 'application/pdf', 'now')`,
    ).run();
    const upsert = db.prepare(
      `INSERT INTO pdf_renditions (subject, input_key, sha256, size, page_count, created_at) VALUES (?, ?, ?, ?, 1, 'now')
       ON CONFLICT (subject) DO UPDATE SET input_key = excluded.input_key, sha256 = excluded.sha256, size = excluded.size`,
    );
    upsert.run('document:d1', 'k1', 'pdf1', 10);
    upsert.run('document:d1', 'k2', 'pdf2', 12);
    expect(db.prepare('SELECT subject, input_key, sha256 FROM pdf_renditions').all()).toEqual([
      { subject: 'document:d1', input_key: 'k2', sha256: 'pdf2' },
    ]);
    // A rendition must point at a stored file, and name what it renders.
    expect(() => upsert.run('dossier:x', 'k', 'missing', 1)).toThrow(/FOREIGN KEY/);
    expect(() => upsert.run('page:1', 'k', 'pdf1', 10)).toThrow(/CHECK/);
  });
});
