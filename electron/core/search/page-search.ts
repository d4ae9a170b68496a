import type { SearchHit } from '../../../shared/api/contract';
import { foldWithMap, ftsMatchExpression, searchTokens } from '../../../shared/domain/fold';
import type { Db } from '../db/database';
import { searchableText } from '../pages/search-text';
import { notRestrictedSql } from '../privacy/restrictions';

const SNIPPET_CHARS = 180;

interface HitRow {
  id: number;
  document_id: string;
  dossier_id: string | null;
  page_no: number;
  citizen_id: string | null;
}

/**
 * How many pages a word may be on and still be ranked. BM25 needs, for every query word, a pass
 * over every page containing it: on a province-year (1,000,000 pages) a word found on most pages
 * ("dang", "ky", the "000" of every dossier code) costs tens of milliseconds each. Words on more
 * pages than this are left out of the ranking (BM25 weighs them next to nothing anyway) and
 * checked on the ranked pages' indexed text instead; a query made only of such words lists the
 * newest matching pages first.
 */
export const RANKED_CANDIDATES = 1000;

/**
 * Full-text search over pages. The query is folded like the index (so `dang ky` finds `Đăng ký`)
 * and rebuilt from its letters and digits only, so no user text ever reaches FTS5 syntax. Every
 * word must be on the page, the last one as a prefix (results while typing). Best match first
 * (BM25 over the query's distinctive words, see RANKED_CANDIDATES), newest first when every word
 * is very common. Only the pages shown are joined to their documents and get a snippet.
 */
export function searchPages(
  db: Db,
  query: string,
  limit: number,
  options: { hideRestricted?: boolean } = {},
): SearchHit[] {
  const tokens = searchTokens(query);
  const match = ftsMatchExpression(tokens);
  if (!match) return [];
  const rows = pagesInOrder(db, match, tokens, limit, options.hideRestricted === true);
  return rows.map((row) => {
    const { snippet, highlights } = makeSnippet(searchableText(db, row.id), tokens);
    return {
      pageId: row.id,
      documentId: row.document_id,
      dossierId: row.dossier_id,
      pageNo: row.page_no,
      citizenId: row.citizen_id,
      snippet,
      highlights,
    };
  });
}

const HIT_COLUMNS = `pg.id, pg.document_id, doc.dossier_id, pg.page_no, coalesce(d.citizen_id, doc.citizen_id) AS citizen_id`;
const HIT_JOINS = `JOIN documents doc ON doc.id = pg.document_id LEFT JOIN dossiers d ON d.id = doc.dossier_id`;

const restrictedFilter = (hideRestricted: boolean) =>
  hideRestricted ? `AND ${notRestrictedSql('coalesce(d.citizen_id, doc.citizen_id)')}` : '';

/** The first `limit` matching pages (that the caller may see), best first. */
function pagesInOrder(db: Db, match: string, tokens: string[], limit: number, hideRestricted: boolean): HitRow[] {
  const phrases = tokens.map(
    (token, i) => `${ftsMatchExpression([token])?.slice(0, -1) ?? '""'}${i === tokens.length - 1 ? '*' : ''}`,
  );
  // How common each word is, counted only up to the bound: cheap however common the word.
  const probe = db
    .prepare('SELECT count(*) FROM (SELECT rowid FROM pages_fts WHERE pages_fts MATCH ? LIMIT ?)')
    .pluck();
  const distinctive = phrases.map(
    (phrase) => (probe.get(phrase, RANKED_CANDIDATES + 1) as number) <= RANKED_CANDIDATES,
  );
  if (!distinctive.includes(true)) {
    // Only very common words: newest first, straight from the index, stopping at `limit`.
    return db
      .prepare(
        `SELECT ${HIT_COLUMNS} FROM pages_fts JOIN pages pg ON pg.id = pages_fts.rowid ${HIT_JOINS}
         WHERE pages_fts MATCH ? ${restrictedFilter(hideRestricted)}
         ORDER BY pages_fts.rowid DESC LIMIT ?`,
      )
      .all(match, limit) as HitRow[];
  }
  // BM25 over the distinctive words: at most RANKED_CANDIDATES pages. When every word is
  // distinctive this is exactly FTS5's ranking of the whole query.
  const ranked = db
    .prepare('SELECT rowid FROM pages_fts WHERE pages_fts MATCH ? ORDER BY rank')
    .pluck()
    .all(phrases.filter((_, i) => distinctive[i]).join(' ')) as number[];
  if (!distinctive.includes(false)) return inOrder(db, ranked, hideRestricted).slice(0, limit);
  // The others are on most pages: rather than walk their whole page lists, check the few ranked
  // pages' indexed text (pages.search_text, what FTS5 tokenized) for them, in rank order.
  const common = tokens.flatMap((token, i) => {
    if (distinctive[i]) return [];
    const end = i === tokens.length - 1 ? '' : '(?![\\p{L}\\p{N}])'; // the last word is a prefix
    return [new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(token)}${end}`, 'u')];
  });
  const textOf = db.prepare('SELECT id, search_text FROM pages WHERE id IN (SELECT value FROM json_each(?))');
  const shown: HitRow[] = [];
  for (let from = 0; from < ranked.length && shown.length < limit; from += 2 * limit) {
    const batch = ranked.slice(from, from + 2 * limit);
    const texts = textOf.all(JSON.stringify(batch)) as { id: number; search_text: string }[];
    const hasAll = new Set(
      texts.filter((row) => common.every((word) => word.test(row.search_text))).map((row) => row.id),
    );
    shown.push(
      ...inOrder(
        db,
        batch.filter((id) => hasAll.has(id)),
        hideRestricted,
      ),
    );
  }
  return shown.slice(0, limit);
}

/** The pages of `ids` with their documents, in the order of `ids`, without the hidden ones. */
function inOrder(db: Db, ids: number[], hideRestricted: boolean): HitRow[] {
  const rows = db
    .prepare(
      `SELECT ${HIT_COLUMNS} FROM pages pg ${HIT_JOINS}
       WHERE pg.id IN (SELECT value FROM json_each(?)) ${restrictedFilter(hideRestricted)}`,
    )
    .all(JSON.stringify(ids)) as HitRow[];
  const position = new Map(ids.map((id, i) => [id, i]));
  return rows.sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
}

/**
 * Cuts a window of the original text around the first match and marks every token occurrence in
 * it, finding them in the folded copy and mapping back, so highlights keep their diacritics.
 */
export function makeSnippet(text: string, tokens: string[]): { snippet: string; highlights: [number, number][] } {
  const { folded, map } = foldWithMap(text);
  const matches: [number, number][] = [];
  for (const token of tokens) {
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(token)}`, 'gu');
    for (const found of folded.matchAll(pattern)) {
      const start = found.index;
      matches.push([map[start] ?? 0, map[start + token.length] ?? text.length]);
    }
  }
  matches.sort((a, b) => a[0] - b[0]);
  const first = matches[0]?.[0] ?? 0;
  let start = Math.max(0, first - Math.floor(SNIPPET_CHARS / 3));
  // Start at a word boundary.
  if (start > 0) {
    const space = text.lastIndexOf(' ', start);
    start = space >= 0 && first - space < SNIPPET_CHARS / 2 ? space + 1 : start;
  }
  let end = Math.min(text.length, start + SNIPPET_CHARS);
  if (end < text.length) {
    const space = text.indexOf(' ', end);
    end = space >= 0 && space - end < 20 ? space : end;
  }
  const prefix = start > 0 ? '…' : '';
  const suffix = end < text.length ? '…' : '';
  const body = text.slice(start, end).replace(/\s+/g, ' ');
  // Whitespace collapsing shifts offsets: recompute highlights on the collapsed body.
  const snippet = `${prefix}${body}${suffix}`;
  const highlights: [number, number][] = [];
  const collapsedOffset = collapseMap(text.slice(start, end));
  for (const [from, to] of matches) {
    if (from < start || to > end) continue;
    highlights.push([
      prefix.length + (collapsedOffset[from - start] ?? 0),
      prefix.length + (collapsedOffset[to - start] ?? body.length),
    ]);
  }
  return { snippet, highlights: mergeOverlaps(highlights) };
}

/** For each index of `raw`, its index after runs of whitespace are collapsed to one space. */
function collapseMap(raw: string): number[] {
  const out: number[] = [];
  let position = 0;
  let inSpace = false;
  for (let i = 0; i < raw.length; i++) {
    const space = /\s/.test(raw[i] ?? '');
    if (space && inSpace) {
      out.push(position);
      continue;
    }
    out.push(position);
    position++;
    inSpace = space;
  }
  out.push(position);
  return out;
}

function mergeOverlaps(ranges: [number, number][]): [number, number][] {
  const merged: [number, number][] = [];
  for (const range of ranges.sort((a, b) => a[0] - b[0])) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
