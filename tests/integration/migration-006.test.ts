import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../electron/core/db/migrate';
import { tempDir } from '../support/temp-backend';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

function database(): Database.Database {
  const { dir, cleanup } = tempDir('sohoa-migrate-6-');
  cleanups.push(cleanup);
  const db = new Database(path.join(dir, 'sohoa.db'));
  db.pragma('foreign_keys = ON');
  return db;
}

const BEFORE = Math.max(...MIGRATIONS.filter((m) => m.version < 6).map((m) => m.version));

function addDocument(db: Database.Database, id: string, docType: string | null): void {
  db.prepare(`INSERT OR IGNORE INTO blobs VALUES ('a', 1, 'image/png', 'now')`).run();
  db.prepare(
    `INSERT INTO documents (id, title, source_name, source_sha256, page_count, created_at, doc_type)
     VALUES (?, 't', ?, 'a', 1, 'now', ?)`,
  ).run(id, `${id}.png`, docType);
}

describe('migration 6 (page analysis: ID card QR codes, document types)', () => {
  it('queues the documents whose type was already confirmed, so the model learns them', () => {
    const db = database();
    migrate(db, BEFORE);
    // documents.source_sha256 is unique: one blob row per document here.
    db.prepare(`INSERT INTO blobs VALUES ('b', 1, 'image/png', 'now')`).run();
    addDocument(db, 'typed', 'to-khai');
    db.prepare(
      `INSERT INTO documents (id, title, source_name, source_sha256, page_count, created_at)
       VALUES ('untyped', 't', 'u.png', 'b', 1, 'now')`,
    ).run();
    expect(migrate(db, 6)).toBe(6);
    expect(db.prepare('SELECT document_id FROM doc_type_relearn').all()).toEqual([{ document_id: 'typed' }]);
    db.close();
  });

  it('creates STRICT tables and queues every change of a confirmed type, whoever makes it', () => {
    const db = database();
    migrate(db, 6);
    for (const table of [
      'page_id_cards',
      'citizen_cards',
      'page_doc_types',
      'document_type_suggestions',
      'doc_type_examples',
      'doc_type_classes',
      'doc_type_features',
      'doc_type_relearn',
    ]) {
      const sql = (db.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).get(table) as { sql: string }).sql;
      expect(sql, table).toMatch(/\)\s*STRICT(,\s*WITHOUT ROWID)?\s*$/);
    }
    addDocument(db, 'd1', null);
    expect(db.prepare('SELECT count(*) AS n FROM doc_type_relearn').get()).toEqual({ n: 0 });
    db.prepare(`UPDATE documents SET doc_type = 'cccd' WHERE id = 'd1'`).run();
    expect(db.prepare('SELECT document_id FROM doc_type_relearn').all()).toEqual([{ document_id: 'd1' }]);
    db.prepare('DELETE FROM doc_type_relearn').run();
    // Writing the same value again is no change.
    db.prepare(`UPDATE documents SET doc_type = 'cccd' WHERE id = 'd1'`).run();
    expect(db.prepare('SELECT count(*) AS n FROM doc_type_relearn').get()).toEqual({ n: 0 });
    db.prepare(`UPDATE documents SET doc_type = NULL WHERE id = 'd1'`).run();
    expect(db.prepare('SELECT count(*) AS n FROM doc_type_relearn').get()).toEqual({ n: 1 });
    db.close();
  });

  it('refuses impossible rows: a card without a known sex, a QR code on a page that does not exist', () => {
    const db = database();
    migrate(db, 6);
    expect(() =>
      db
        .prepare(
          `INSERT INTO citizen_cards (citizen_id, name, dob, sex, address, issued, updated_at)
           VALUES ('001085012345', 'x', '1985-03-15', 'x', '', '2021-05-01', 'now')`,
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO page_id_cards (page_id, ordinal, payload, decoder, found_at) VALUES (999, 0, 'x', 'zxing', 'now')`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });
});
