import { foldWithMap, originalSpan, searchTokens } from '../../../../shared/domain';

export interface TextPart {
  text: string;
  marked: boolean;
}

/**
 * Splits `text` at [start, end) highlight ranges (sorted, clamped, overlaps merged) so the UI can
 * wrap the marked parts in <mark> without ever building HTML from the text.
 */
export function splitHighlights(text: string, ranges: readonly (readonly [number, number])[]): TextPart[] {
  const clean = ranges
    .map(([s, e]) => [Math.max(0, Math.min(text.length, s)), Math.max(0, Math.min(text.length, e))] as const)
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [s, e] of clean) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  const parts: TextPart[] = [];
  let at = 0;
  for (const [s, e] of merged) {
    if (s > at) parts.push({ text: text.slice(at, s), marked: false });
    parts.push({ text: text.slice(s, e), marked: true });
    at = e;
  }
  if (at < text.length) parts.push({ text: text.slice(at), marked: false });
  return parts;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
const MAX_RANGES = 500;

/**
 * Where the words of a search appear in `text`, folded the same way the index folds them (so
 * "dang ky" marks "Đăng ký"); a word matches at the start of a word, as a prefix.
 */
export function queryHighlights(text: string, query: string): [number, number][] {
  const tokens = searchTokens(query);
  if (tokens.length === 0 || text === '') return [];
  const { folded, map } = foldWithMap(text);
  const ranges: [number, number][] = [];
  for (const token of tokens) {
    let from = 0;
    for (;;) {
      const at = folded.indexOf(token, from);
      if (at < 0 || ranges.length >= MAX_RANGES) break;
      const before = at > 0 ? folded[at - 1] : undefined;
      if (before === undefined || !WORD_CHAR.test(before)) {
        const span = originalSpan(map, at, at + token.length);
        ranges.push([span.start, span.end]);
      }
      from = at + token.length;
    }
  }
  return ranges;
}
