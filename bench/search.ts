/**
 * Full-text search latency on one province-year (issue 7, "Measure"): 200,000 dossiers with
 * 1,000,000 pages of Vietnamese OCR text, stored folded as the app stores it. For common and rare
 * terms (with and without diacritics, a name, an ID number, a dossier code) it times the app's
 * search (folded, top 20 with snippets, as a clerk sees it) and, as the reference in the same run,
 * the bare FTS5 query `SELECT rowid FROM pages_fts WHERE pages_fts MATCH ? LIMIT 20`.
 *   npm run bench:search
 *   SOHOA_BENCH_DOSSIERS=20000 SOHOA_BENCH_PAGES=100000 npm run bench:search   (a quick run)
 * Prints JSON lines {"name","value","unit",...}: median and p95 in ms per query.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBackend } from '../electron/core/backend.ts';
import { searchableText } from '../electron/core/pages/search-text.ts';
import { searchPages } from '../electron/core/search/page-search.ts';
import { foldText, ftsMatchExpression, searchTokens } from '../shared/domain/fold.ts';
import { generateProvinceYear } from './province-year.ts';

const DOSSIERS = Number(process.env.SOHOA_BENCH_DOSSIERS) || 200_000;
const PAGES = Number(process.env.SOHOA_BENCH_PAGES) || 1_000_000;
const WORDS = Number(process.env.SOHOA_BENCH_WORDS) || 80;
const RUNS = Number(process.env.SOHOA_BENCH_RUNS) || 40;
const LIMIT = 20;
const dir = mkdtempSync(path.join(os.tmpdir(), 'sohoa-bench-search-'));
const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
}

function times(run: () => unknown): { median: number; p95: number } {
  run(); // warm-up
  const taken: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    run();
    taken.push(performance.now() - started);
  }
  taken.sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 100) / 100;
  return { median: round(percentile(taken, 0.5)), p95: round(percentile(taken, 0.95)) };
}

// A throwaway data folder: its files are sealed with a passphrase like any other.
process.env.SOHOA_PASSPHRASE ??= 'mat-khau-do-hieu-nang';
const backend = await openBackend({ dataDir: dir, host: 'cli', runOcr: false, runSync: false });
try {
  const db = backend.db;
  const started = performance.now();
  const year = generateProvinceYear(db, { dossiers: DOSSIERS, pages: PAGES, wordsPerPage: WORDS });
  emit({
    name: 'search.generate',
    value: Math.round(performance.now() - started),
    unit: 'ms',
    dossiers: DOSSIERS,
    pages: year.pages,
    wordsPerPage: WORDS,
  });
  db.pragma('wal_checkpoint(TRUNCATE)');
  const size = statSync(path.join(dir, 'sohoa.db')).size;
  emit({
    name: 'search.dbSize',
    value: Math.round(size / 1_048_576),
    unit: 'MiB',
    dossiers: DOSSIERS,
    pages: year.pages,
  });

  // The generated index text must be what the app itself would store for these pages.
  for (const id of [1, Math.floor(year.pages / 2), year.pages]) {
    const stored = db.prepare('SELECT search_text FROM pages WHERE id = ?').pluck().get(id);
    if (stored !== foldText(searchableText(db, id)))
      throw new Error(`page ${id}: generated text differs from the app's`);
  }

  const queries: { query: string; kind: string }[] = [
    { kind: 'common, diacritics', query: 'Cộng hòa xã hội chủ nghĩa' },
    { kind: 'common, no diacritics', query: 'dang ky' },
    { kind: 'common, no diacritics', query: 'uy ban nhan dan xa' },
    { kind: 'medium, diacritics', query: 'giấy khai sinh' },
    { kind: 'rare, diacritics', query: 'di chúc' },
    { kind: 'rare, no diacritics', query: 'khuoc tu nhan di san' },
    { kind: 'rare name, diacritics', query: year.sample.rareName },
    { kind: 'rare name, no diacritics', query: foldText(year.sample.rareName) },
    { kind: 'ID number', query: year.sample.citizenId },
    { kind: 'dossier code', query: year.sample.dossierCode },
  ];
  const bare = db.prepare('SELECT rowid FROM pages_fts WHERE pages_fts MATCH ? LIMIT 20');
  const countMatches = db.prepare('SELECT count(*) FROM pages_fts WHERE pages_fts MATCH ?').pluck();
  for (const { query, kind } of queries) {
    const match = ftsMatchExpression(searchTokens(query)) ?? '';
    const matches = countMatches.get(match) as number;
    const reference = times(() => bare.all(match));
    // As a clerk searches (restricted citizens hidden): the search.query handler's call.
    const app = times(() => searchPages(db, query, LIMIT, { hideRestricted: true }));
    const hits = searchPages(db, query, LIMIT, { hideRestricted: true }).length;
    // Names and ID numbers are synthetic, but the JSON keeps the kind, not the query text.
    emit({
      name: 'search.query',
      kind,
      value: app.median,
      p95: app.p95,
      unit: 'ms',
      referenceMedian: reference.median,
      referenceP95: reference.p95,
      aimP95: 20,
      matches,
      hits,
      pages: year.pages,
    });
  }
} finally {
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
}
