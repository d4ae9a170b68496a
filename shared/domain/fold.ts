/**
 * Vietnamese text folding for search: "Đăng ký khai sinh" and "dang ky khai sinh" must find each
 * other, whatever the input method (NFC or NFD, with or without diacritics) and whatever OCR made
 * of the page.
 *
 * Folding works one cluster at a time (a base character with the combining marks that follow it,
 * or a Hangul syllable's jamo), so that every folded character can be traced back to the original
 * text for highlighting, and so that NFC and NFD spellings of the same text fold identically.
 */

export interface FoldResult {
  folded: string;
  /**
   * `map[i]` is the UTF-16 index in the original string of the character (cluster) that
   * produced `folded[i]`; `map[folded.length] === original.length`. Non-decreasing.
   */
  map: number[];
}

const MARKS = /\p{M}/gu;
const IS_MARK = /^\p{M}$/u;
// Why Ð/ð too: Windows-1258 puts Đ at 0xD0, which Latin-1 software reads as Ð (Eth), and OCR
// sometimes outputs Ð for Đ. Vietnamese never uses Eth, so treating it as d only helps.
const D_STROKE = /[đð]/g;
const ASCII_ONLY = /^[^\u0080-\uffff]*$/; // no code unit above U+007F

/** Folds text for search: no diacritics, đ→d, lower case, NFC. */
export function foldText(s: string): string {
  if (ASCII_ONLY.test(s)) return s.toLowerCase();
  let out = '';
  forEachCluster(s, (cluster) => {
    out += foldCluster(cluster);
  });
  return out;
}

/** Like foldText, plus a map from each folded character back into `s` (see FoldResult.map). */
export function foldWithMap(s: string): FoldResult {
  const map: number[] = [];
  if (ASCII_ONLY.test(s)) {
    for (let i = 0; i <= s.length; i++) map.push(i);
    return { folded: s.toLowerCase(), map };
  }
  let folded = '';
  forEachCluster(s, (cluster, start) => {
    const f = foldCluster(cluster);
    folded += f;
    for (let k = 0; k < f.length; k++) map.push(start);
  });
  map.push(s.length);
  return { folded, map };
}

/**
 * Turns a match `[start, end)` in folded text into the range of the original text to highlight.
 * The end extends to the end of the last original cluster touched, so a highlight never cuts a
 * letter off its diacritics.
 */
export function originalSpan(map: readonly number[], start: number, end: number): { start: number; end: number } {
  const last = map.length - 1; // index of the sentinel entry
  const s = clamp(start, 0, last);
  const e = clamp(end, s, last);
  const origStart = map[s] ?? 0;
  if (e === s) return { start: origStart, end: origStart };
  const lastCluster = map[e - 1] ?? origStart;
  let j = e;
  while (j < last && map[j] === lastCluster) j++;
  return { start: origStart, end: map[j] ?? origStart };
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(Math.max(Math.trunc(n), lo), hi);
}

function foldCluster(cluster: string): string {
  if (cluster.length === 1) {
    const c = cluster.charCodeAt(0);
    if (c < 0x80) return c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 32) : cluster;
  }
  // Lower-case first: 'İ'.toLowerCase() is 'i' + U+0307, and that mark must be removed as well.
  return cluster.toLowerCase().normalize('NFD').replace(MARKS, '').replace(D_STROKE, 'd').normalize('NFC');
}

/** Calls `fn` with each cluster of `s` and its UTF-16 start index. */
function forEachCluster(s: string, fn: (cluster: string, start: number) => void): void {
  let start = 0;
  let base = -1; // last code point that was not a combining mark
  let i = 0;
  while (i < s.length) {
    const cp = s.codePointAt(i) ?? 0;
    // Nothing below U+0300 is a mark or a jamo: skip the regex for the common case.
    const mark = cp >= 0x300 && IS_MARK.test(String.fromCodePoint(cp));
    if (i > 0 && !mark && !hangulJoins(base, cp)) {
      fn(s.slice(start, i), start);
      start = i;
    }
    if (!mark) base = cp;
    i += cp > 0xffff ? 2 : 1;
  }
  if (s.length > 0) fn(s.slice(start), start);
}

/**
 * Hangul jamo sequences (grapheme rules GB6-GB8) stay in one cluster because NFC composes them
 * into one syllable; it is the only canonical composition whose second part is not a mark. The
 * previous *base* counts, so that jamo still compose once the marks between them are removed.
 */
function hangulJoins(base: number, cp: number): boolean {
  if (cp < 0x1100) return false;
  const p = hangulType(base);
  const c = hangulType(cp);
  if (p === 'L') return c === 'L' || c === 'V' || c === 'LV' || c === 'LVT';
  if (p === 'V' || p === 'LV') return c === 'V' || c === 'T';
  if (p === 'T' || p === 'LVT') return c === 'T';
  return false;
}

function hangulType(cp: number): 'L' | 'V' | 'T' | 'LV' | 'LVT' | null {
  if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0xa960 && cp <= 0xa97c)) return 'L';
  if ((cp >= 0x1160 && cp <= 0x11a7) || (cp >= 0xd7b0 && cp <= 0xd7c6)) return 'V';
  if ((cp >= 0x11a8 && cp <= 0x11ff) || (cp >= 0xd7cb && cp <= 0xd7fb)) return 'T';
  if (cp >= 0xac00 && cp <= 0xd7a3) return (cp - 0xac00) % 28 === 0 ? 'LV' : 'LVT';
  return null;
}

/** At most this many tokens reach the full-text index: enough for any real query. */
export const MAX_SEARCH_TOKENS = 32;

const TOKEN = /[\p{L}\p{N}]+/gu;

/**
 * Splits a user's query into folded tokens of letters and digits. Everything else (quotes, `*`,
 * `-`, `:`, `^`, parentheses) is dropped, so no input can reach FTS5 query syntax; words such as
 * `OR`/`NEAR` become ordinary quoted tokens in ftsMatchExpression.
 */
export function searchTokens(query: string): string[] {
  return (foldText(query).match(TOKEN) ?? []).slice(0, MAX_SEARCH_TOKENS);
}

/**
 * Builds an FTS5 MATCH expression: every token a quoted string, all required (implicit AND), the
 * last one a prefix so results appear while typing: `"dang" "ky" "khai" "sinh"*`.
 * Tokens are re-sanitized here, so even tokens that did not come from searchTokens are safe.
 * Returns null when nothing searchable is left (the caller should not query at all).
 */
export function ftsMatchExpression(tokens: readonly string[]): string | null {
  const safe = tokens.flatMap((t) => t.match(TOKEN) ?? []).slice(0, MAX_SEARCH_TOKENS);
  if (safe.length === 0) return null;
  return `${safe.map((t) => `"${t}"`).join(' ')}*`;
}
