/**
 * Proposes tags from OCR text: personal ID numbers, procedure codes and dossier codes. Proposals
 * are shown to the clerk to confirm, so precision matters more than recall: a wrong ID tag would
 * attach one citizen's document to another citizen.
 *
 * ID numbers are found
 *  - as a solid run of exactly 12 digits, or
 *  - printed in groups with one uniform separator (space, dot or hyphen) in a known layout:
 *    3-1-2-6 ("034 1 85 477576"), 3-3-3-3, 4-4-4, 3-3-6, 6-6, 3-9, or one digit per box;
 * and never when the digits are part of a longer number: a longer run, more groups joined by the
 * same separator, or a number glued to letters or to other digits by punctuation. Every candidate
 * must then pass parseCitizenId (known province, plausible year); there is no check digit.
 *
 * OCR often reads 0 as O/o and 1 as l/I. Inside a digit token (bounded by non-letters, with at
 * least two real digits) such letters are read as digits, up to two per candidate ID.
 */
import { parseCitizenId } from './citizen-id';
import { scanDossierCodes, scanProcedureCodes } from './codes';

export interface ProposedTags {
  citizenIds: string[];
  procedureCodes: string[];
  dossierCodes: string[];
}

export interface ExtractTagsOptions {
  /** Today, for the birth-year plausibility check of ID numbers. */
  now?: Date;
}

export interface CitizenIdMatch {
  /** The 12 digits. */
  id: string;
  /** UTF-16 range of the match in the text, separators included. */
  start: number;
  end: number;
}

/** Group-length layouts in which ID numbers are printed (a solid run is `[12]`). */
const LAYOUTS: readonly (readonly number[])[] = [
  [12],
  [3, 1, 2, 6],
  [3, 3, 3, 3],
  [4, 4, 4],
  [3, 3, 6],
  [6, 6],
  [3, 9],
  [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
];

/** More letters read as digits than this in one candidate, and it is probably not a number. */
const MAX_OCR_SUBSTITUTIONS = 2;

const CONFUSABLE: Readonly<Record<string, string>> = { O: '0', o: '0', I: '1', l: '1' };
const CONFUSABLE_TOKEN = /(?<![\p{L}\p{N}\p{M}])[0-9OoIl]+(?![\p{L}\p{N}\p{M}])/gu;
const CHAIN = /\d+(?:[ \u00a0.-]\d+)*/g;
const GROUP = /\d+/g;
const WORDLIKE = /[\p{L}\p{N}\p{M}]/u;
const GLUE = /[.,/-]/;

/** Proposes tags from `text`. Each list is de-duplicated and in first-seen order. */
export function extractTags(text: string, opts: ExtractTagsOptions = {}): ProposedTags {
  return {
    citizenIds: [...new Set(findCitizenIds(text, opts).map((m) => m.id))],
    procedureCodes: scanProcedureCodes(text),
    dossierCodes: scanDossierCodes(text),
  };
}

/** Every valid personal ID number in `text`, with its position (for highlighting or masking). */
export function findCitizenIds(text: string, opts: ExtractTagsOptions = {}): CitizenIdMatch[] {
  const { view, substituted } = digitView(text);
  const found: CitizenIdMatch[] = [];
  for (const chain of view.matchAll(CHAIN)) {
    const chainStart = chain.index;
    const chainEnd = chainStart + chain[0].length;
    const groups = Array.from(chain[0].matchAll(GROUP), (g) => ({
      start: chainStart + g.index,
      end: chainStart + g.index + g[0].length,
    }));
    // seps[k] is the separator between groups k and k+1.
    const seps = groups.slice(1).map((g) => view[g.start - 1] ?? '');
    const gluedLeft = isGlued(view, chainStart, -1);
    const gluedRight = isGlued(view, chainEnd, +1);

    for (let i = 0; i < groups.length; i++) {
      for (const layout of LAYOUTS) {
        const j = i + layout.length - 1; // last group of the candidate
        if (j >= groups.length) continue;
        if (!layout.every((len, k) => lengthOf(groups[i + k]) === len)) continue;
        const inner = seps.slice(i, j);
        const sep = inner[0];
        if (!inner.every((s) => s === sep)) continue;
        const before = i > 0 ? seps[i - 1] : undefined;
        const after = j < groups.length - 1 ? seps[j] : undefined;
        if (i === 0 ? gluedLeft : !separatesNumbers(before, sep)) continue;
        if (j === groups.length - 1 ? gluedRight : !separatesNumbers(after, sep)) continue;

        const start = groups[i]?.start ?? 0;
        const end = groups[j]?.end ?? 0;
        if (countSubstituted(substituted, start, end) > MAX_OCR_SUBSTITUTIONS) continue;
        const parsed = parseCitizenId(view.slice(start, end), { now: opts.now });
        if (parsed.ok) found.push({ id: parsed.id, start, end });
      }
    }
  }
  return found;
}

function lengthOf(g: { start: number; end: number } | undefined): number {
  return g ? g.end - g.start : -1;
}

/**
 * Whether a separator next to a candidate ends the number rather than continuing it. Only
 * whitespace can end a number (dots and hyphens glue parts of one code or amount), and not when
 * the candidate itself is grouped with whitespace: "0791 2345 6789 0123" is one 16-digit number.
 */
function separatesNumbers(outer: string | undefined, inner: string | undefined): boolean {
  if (outer === undefined) return true;
  if (!isSpace(outer)) return false;
  return inner === undefined || !isSpace(inner);
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\u00a0';
}

/**
 * Whether the digits at the edge of a chain are glued to a word or another number, e.g. in
 * "SN001085012345", "1,234,567,890,123" or "001085012345/2023": then they are not an ID.
 * `dir` is -1 to look left of `edge`, +1 to look right of it.
 */
function isGlued(text: string, edge: number, dir: -1 | 1): boolean {
  const c1 = charAt(text, dir < 0 ? edge - 1 : edge, dir);
  if (c1 === '') return false;
  if (WORDLIKE.test(c1)) return true;
  if (!GLUE.test(c1)) return false;
  const c2 = charAt(text, dir < 0 ? edge - 1 - c1.length : edge + c1.length, dir);
  return c2 !== '' && WORDLIKE.test(c2);
}

/** The code point ending (dir -1) or starting (dir +1) at UTF-16 index `i`, or '' out of range. */
function charAt(text: string, i: number, dir: -1 | 1): string {
  if (i < 0 || i >= text.length) return '';
  const code = text.charCodeAt(i);
  if (dir < 0 && code >= 0xdc00 && code <= 0xdfff && i > 0) return text.slice(i - 1, i + 1);
  if (dir > 0 && code >= 0xd800 && code <= 0xdbff) return text.slice(i, i + 2);
  return text[i] ?? '';
}

/**
 * A copy of `text` of the same length where O/o/I/l inside digit tokens are replaced by the digit
 * OCR mistook them for, plus which positions were replaced.
 */
function digitView(text: string): { view: string; substituted: readonly boolean[] } {
  const substituted: boolean[] = [];
  let chars: string[] | null = null; // split lazily: most text has nothing to replace
  for (const m of text.matchAll(CONFUSABLE_TOKEN)) {
    const token = m[0];
    const digits = token.replace(/\D/g, '').length;
    const letters = token.length - digits;
    // Converting generously is safe: the per-candidate limit below still applies, and extra
    // digits next to a candidate only make it look like part of a longer number.
    if (letters === 0 || digits < 2) continue;
    chars ??= text.split('');
    for (let k = 0; k < token.length; k++) {
      const replacement = CONFUSABLE[token[k] ?? ''];
      if (replacement !== undefined) {
        chars[m.index + k] = replacement;
        substituted[m.index + k] = true;
      }
    }
  }
  return { view: chars ? chars.join('') : text, substituted };
}

function countSubstituted(substituted: readonly boolean[], start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if (substituted[i]) n++;
  return n;
}
