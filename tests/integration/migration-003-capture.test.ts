import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../electron/core/db/migrate';
import { tempDir } from '../support/temp-backend';

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

function atVersion(version: number): Database.Database {
  const dir = tempDir('sohoa-migrate-3-');
  cleanup = dir.cleanup;
  const db = new Database(path.join(dir.dir, 'sohoa.db'));
  db.pragma('foreign_keys = ON');
  expect(migrate(db, version)).toBe(version);
  return db;
}

describe('migration 3 (capture)', () => {
  it('gives pages stored before it neutral cleanup values', () => {
    const db = atVersion(2);
    db.prepare(`INSERT INTO blobs VALUES ('a', 1, 'image/png', 'now')`).run();
    db.prepare(
      `INSERT INTO documents (id, title, source_name, source_sha256, page_count, created_at)
       VALUES ('d1', 't', 't.png', 'a', 1, 'now')`,
    ).run();
    db.prepare(
      `INSERT INTO pages (id, document_id, page_no, image_sha256, thumb_sha256, width, height)
       VALUES (1, 'd1', 1, 'a', 'a', 10, 10)`,
    ).run();
    expect(migrate(db, 3)).toBe(3);
    expect(
      db
        .prepare('SELECT original_sha256, rotation, skew, blank, blank_confirmed, quality, dpi, text_source FROM pages')
        .get(),
    ).toEqual({
      original_sha256: null,
      rotation: 0,
      skew: 0,
      blank: 0,
      blank_confirmed: 0,
      quality: '[]',
      dpi: null,
      text_source: 'ocr',
    });
    // Only the four right angles, a known text source, a stored original.
    expect(() => db.prepare('UPDATE pages SET rotation = 45').run()).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE pages SET text_source = 'guess'`).run()).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE pages SET original_sha256 = 'missing'`).run()).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('journals hot-folder claims: one archive path each, known statuses only', () => {
    const db = atVersion(3);
    const claim = db.prepare(
      `INSERT INTO hot_folder_claims (folder, name, source_path, archive_path, size, sha256, status, created_at, updated_at)
       VALUES ('/scan', 'a.pdf', '/scan/a.pdf', ?, 10, 'x', ?, 'now', 'now')`,
    );
    claim.run('/scan/archive/a.pdf', 'claimed');
    expect(() => claim.run('/scan/archive/a.pdf', 'claimed')).toThrow(/UNIQUE/);
    expect(() => claim.run('/scan/archive/b.pdf', 'lost')).toThrow(/CHECK/);
    db.prepare(`INSERT INTO hot_folders (path, created_at) VALUES ('/scan', 'now')`).run();
    expect(() => db.prepare(`INSERT INTO hot_folders (path, created_at) VALUES ('/scan', 'now')`).run()).toThrow(
      /UNIQUE/,
    );
    db.close();
  });
});
