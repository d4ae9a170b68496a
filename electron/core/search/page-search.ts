import type { SearchHit } from '../../../shared/api/contract';
import { foldWithMap, ftsMatchExpression, searchTokens } from '../../../shared/domain/fold';
import type { Db } from '../db/database';
import { searchableText } from '../pages/search-text';

const SNIPPET_CHARS = 180;

interface HitRow {
  id: number;
  document_id: string;
  dossier_id: string | null;
  page_no: number;
  citizen_id: string | null;
}

/**
 * Full-text search over pages. The query is folded like the index (so `dang ky` finds `Đăng ký`)
 * and rebuilt from its letters and digits only, so no user text ever reaches FTS5 syntax.
 */
export function searchPages(db: Db, query: string, limit: number): SearchHit[] {
  const tokens = searchTokens(query);
  const match = ftsMatchExpression(tokens);
  if (!match) return [];
  const rows = db
    .prepare(
      `SELECT pg.id, pg.document_id, doc.dossier_id, pg.page_no, coalesce(d.citizen_id, doc.citizen_id) AS citizen_id
       FROM pages_fts JOIN pages pg ON pg.id = pages_fts.rowid
       JOIN documents doc ON doc.id = pg.document_id LEFT JOIN dossiers d ON d.id = doc.dossier_id
       WHERE pages_fts MATCH ? ORDER BY bm25(pages_fts) LIMIT ?`,
    )
    .all(match, limit) as HitRow[];
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
