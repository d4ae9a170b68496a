import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/core/backend';
import { RANKED_CANDIDATES, searchPages } from '../../electron/core/search/page-search';
import { foldText } from '../../shared/domain/fold';
import { call, openTempBackend } from '../support/temp-backend';

/**
 * Search past the ranking bound (page-search.ts RANKED_CANDIDATES): a word on more pages than the
 * bound lists the newest pages first, distinctive words keep BM25, and which pages match never
 * changes. Pages are written straight to SQLite (OCR is not what is tested), with the folded
 * search text the app stores.
 */
describe('full-text search beyond the ranking bound', () => {
  let backend: Backend;
  let close: () => Promise<void>;
  const PAGES = RANKED_CANDIDATES + 500;
  const rare: number[] = [];
  let lone = 0;

  beforeAll(async () => {
    ({ backend, close } = await openTempBackend({ runOcr: false, runSync: false }));
    const dossier = await call(backend, 'dossiers.create', {
      citizenId: '001085012345',
      citizenName: 'Nguyễn Văn Thử',
      procedureCode: '1.001193',
    });
    const db = backend.db;
    db.prepare(`INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, 1, 'image/png', '2025-01-01')`).run(
      'b'.repeat(64),
    );
    db.prepare(
      `INSERT INTO documents (id, dossier_id, citizen_id, title, source_name, source_sha256, page_count, created_at)
       VALUES ('doc-scale', ?, NULL, 'Tờ khai', 'to-khai.pdf', ?, ?, '2025-01-01')`,
    ).run(dossier.id, 'b'.repeat(64), PAGES);
    const insert = db.prepare(
      `INSERT INTO pages (document_id, page_no, image_sha256, thumb_sha256, width, height, ocr_text, search_text)
       VALUES ('doc-scale', ?, ?, ?, 10, 10, ?, ?)`,
    );
    db.transaction(() => {
      for (let n = 1; n <= PAGES; n++) {
        // Every page says "Đăng ký"; a few also "hiếm" (more often on some: BM25 has something to order).
        const text = `Đăng ký khai sinh trang ${n}${n % 300 === 0 ? ` hiếm${' hiếm'.repeat(n / 300)}` : ''}`;
        const id = Number(insert.run(n, 'b'.repeat(64), 'b'.repeat(64), text, foldText(text)).lastInsertRowid);
        if (n % 300 === 0) rare.push(id);
      }
      // A page with the rare word but not the common ones: found by the one, not by all three.
      const text = 'Trang hiếm riêng';
      lone = Number(insert.run(PAGES + 1, 'b'.repeat(64), 'b'.repeat(64), text, foldText(text)).lastInsertRowid);
    })();
  });
  afterAll(async () => close?.());

  const matching = (match: string) =>
    backend.db.prepare('SELECT rowid FROM pages_fts WHERE pages_fts MATCH ? ORDER BY rowid').pluck().all(match);

  it('lists the newest pages first for a word on more pages than are ranked', async () => {
    const hits = await call(backend, 'search.query', { q: 'dang ky', limit: 20 });
    const all = matching('"dang" "ky"*') as number[];
    expect(all.length).toBeGreaterThan(RANKED_CANDIDATES);
    expect(hits.map((h) => h.pageId)).toEqual(all.slice(-20).reverse());
    // Snippets still come from the original text, highlighted with their diacritics.
    const first = hits[0];
    expect(first && first.highlights.map(([a, b]) => first.snippet.slice(a, b))).toEqual(['Đăng', 'ký']);
  });

  it('finds while typing, the last word a prefix, through the prefix index', async () => {
    const hits = await call(backend, 'search.query', { q: 'dang k', limit: 5 });
    expect(hits).toHaveLength(5);
    expect(await call(backend, 'search.query', { q: 'khai si', limit: 200 })).toHaveLength(200);
  });

  it('ranks a distinctive word by BM25 exactly as FTS5 does, and keeps every match', async () => {
    const bm25 = backend.db
      .prepare('SELECT rowid FROM pages_fts WHERE pages_fts MATCH ? ORDER BY bm25(pages_fts) LIMIT 20')
      .pluck()
      .all('"hiem"*');
    expect(searchPages(backend.db, 'hiếm', 20).map((h) => h.pageId)).toEqual(bm25);
    expect(bm25[0]).toBe(rare.at(-1)); // the page that says it most often
    expect(bm25).toContain(lone);
    // With very common words beside it: the pages that have all three, ranked on the distinctive
    // word, exactly the pages FTS5 matches for the whole query.
    const mixed = searchPages(backend.db, 'dang ky hiem', 20).map((h) => h.pageId);
    expect([...mixed].sort((a, b) => a - b)).toEqual(matching('"dang" "ky" "hiem"*'));
    expect([...mixed].sort((a, b) => a - b)).toEqual(rare);
    expect(mixed).toEqual(bm25.filter((id) => id !== lone));
    // A common word as the last, typed-so-far word is still a prefix.
    expect(searchPages(backend.db, 'hiem dang k', 20).map((h) => h.pageId)).toEqual(mixed);
  });
});
