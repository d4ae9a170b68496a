import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  foldText,
  foldWithMap,
  ftsMatchExpression,
  MAX_SEARCH_TOKENS,
  originalSpan,
  searchTokens,
} from '../../../shared/domain/fold';
import { vietnameseTextArb, VIETNAMESE_LETTERS } from './arbitraries';

/** The rule as written in DOMAIN/brief, applied to the whole string at once. */
function specFold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase().normalize('NFC');
}

const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  vietnameseTextArb,
  vietnameseTextArb.map((s) => s.normalize('NFD')),
);

describe('foldText', () => {
  it('removes Vietnamese diacritics, maps đ to d and lower-cases', () => {
    expect(foldText('Đăng ký khai sinh')).toBe('dang ky khai sinh');
    expect(foldText('ĐƯỜNG NGUYỄN HUỆ')).toBe('duong nguyen hue');
    expect(foldText('Chứng thực bản sao từ bản chính')).toBe('chung thuc ban sao tu ban chinh');
    expect(foldText('Giấy chứng nhận quyền sử dụng đất')).toBe('giay chung nhan quyen su dung dat');
    expect(foldText('')).toBe('');
    expect(foldText('ABC 123')).toBe('abc 123');
  });

  it('folds NFD input the same as NFC input', () => {
    const nfd = 'Đăng ký khai sinh'.normalize('NFD');
    expect(nfd).not.toBe('Đăng ký khai sinh');
    expect(foldText(nfd)).toBe('dang ky khai sinh');
  });

  it('reads Ð (Eth, the Windows-1258/Latin-1 mix-up and an OCR confusion for Đ) as d', () => {
    expect(foldText('ÐĂNG KÝ')).toBe('dang ky');
  });

  it('removes marks that lower-casing introduces (İ)', () => {
    expect(foldText('İ')).toBe('i');
  });

  it('agrees with the whole-string rule on Vietnamese text (NFC and NFD)', () => {
    fc.assert(
      fc.property(vietnameseTextArb, (s) => {
        expect(foldText(s)).toBe(specFold(s));
        expect(foldText(s.normalize('NFD'))).toBe(specFold(s));
      }),
    );
  });

  it('output has no combining marks and no đ/Đ, is lower-case, NFC, and folding is idempotent', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const f = foldText(s);
        expect(f).not.toMatch(/\p{M}/u);
        expect(f).not.toMatch(/[đĐ]/);
        expect(f.normalize('NFC')).toBe(f);
        expect(f.toLowerCase()).toBe(f);
        expect(foldText(f)).toBe(f);
      }),
      { numRuns: 500 },
    );
  });

  it('NFC and NFD spellings of any text fold identically', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        expect(foldText(s.normalize('NFD'))).toBe(foldText(s.normalize('NFC')));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps Hangul syllables whole whether typed NFC or NFD', () => {
    expect(foldText('한국어'.normalize('NFD'))).toBe('한국어');
    // Jamo separated by a mark compose once the mark is removed: the output stays NFC.
    expect(foldText('\u1100\u0300\u1161')).toBe('\uac00');
  });
});

describe('foldWithMap', () => {
  it('foldText(x) === foldWithMap(x).folded', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        expect(foldWithMap(s).folded).toBe(foldText(s));
      }),
      { numRuns: 500 },
    );
  });

  it('maps each folded character of NFC Vietnamese text to the original character that folds to it', () => {
    fc.assert(
      fc.property(vietnameseTextArb, (s) => {
        const { folded, map } = foldWithMap(s);
        expect(map).toHaveLength(folded.length + 1);
        expect(map[folded.length]).toBe(s.length);
        for (let i = 0; i < folded.length; i++) {
          expect(foldText(s[map[i] ?? -1] ?? '')).toBe(folded[i]);
        }
      }),
    );
  });

  it('for any string, each original cluster folds to exactly the folded characters mapped to it', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const { folded, map } = foldWithMap(s);
        expect(map).toHaveLength(folded.length + 1);
        expect(map[folded.length]).toBe(s.length);
        let i = 0;
        while (i < folded.length) {
          const start = map[i] ?? -1;
          expect(start).toBeGreaterThanOrEqual(0);
          expect(start).toBeLessThan(s.length);
          let j = i;
          while (j < folded.length && map[j] === start) j++;
          const next = map[j] ?? -1;
          expect(next).toBeGreaterThan(start); // non-decreasing, strictly between clusters
          // The original text from this cluster up to the next one folds to this folded piece
          // (clusters in between that fold to nothing, e.g. a stray mark at the start, excepted).
          expect(foldText(s.slice(start, next))).toBe(folded.slice(i, j));
          i = j;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('maps NFD input back to the base letters, so highlights include the marks', () => {
    const s = 'Đăng ký khai sinh'.normalize('NFD');
    const { folded, map } = foldWithMap(s);
    const at = folded.indexOf('ky');
    const span = originalSpan(map, at, at + 2);
    expect(s.slice(span.start, span.end)).toBe('ký'.normalize('NFD'));
    expect(s.slice(span.start, span.end).normalize('NFC')).toBe('ký');
  });

  it('never cuts a highlight inside a character that folds to several code units', () => {
    const s = 'a😀b';
    const { folded, map } = foldWithMap(s);
    expect(folded).toBe('a😀b');
    expect(originalSpan(map, 1, 2)).toEqual({ start: 1, end: 3 });
    expect(originalSpan(map, 0, 0)).toEqual({ start: 0, end: 0 });
    expect(originalSpan(map, 0, 99)).toEqual({ start: 0, end: 4 });
  });

  it('highlights in NFC text', () => {
    const s = 'Hồ sơ Đăng ký khai sinh của công dân';
    const { folded, map } = foldWithMap(s);
    const at = folded.indexOf('dang ky');
    const span = originalSpan(map, at, at + 'dang ky'.length);
    expect(s.slice(span.start, span.end)).toBe('Đăng ký');
  });

  it('originalSpan of any folded match covers original text that folds to the match', () => {
    fc.assert(
      fc.property(vietnameseTextArb, fc.nat(), fc.nat(), fc.boolean(), (raw, a, b, nfd) => {
        const s = nfd ? raw.normalize('NFD') : raw;
        const { folded, map } = foldWithMap(s);
        const start = folded.length === 0 ? 0 : a % (folded.length + 1);
        const end = start + (folded.length - start === 0 ? 0 : b % (folded.length - start + 1));
        const span = originalSpan(map, start, end);
        expect(foldText(s.slice(span.start, span.end))).toBe(folded.slice(start, end));
      }),
    );
  });
});

describe('searchTokens and ftsMatchExpression', () => {
  it('folds and splits a query into letter/digit tokens', () => {
    expect(searchTokens('Đăng ký khai sinh')).toEqual(['dang', 'ky', 'khai', 'sinh']);
    expect(ftsMatchExpression(searchTokens('Đăng ký khai sinh'))).toBe('"dang" "ky" "khai" "sinh"*');
    expect(searchTokens('  thủ tục 1.001193  ')).toEqual(['thu', 'tuc', '1', '001193']);
  });

  it('drops FTS5 syntax from hostile input', () => {
    const hostile = '" * NEAR( - OR : ^ "a" OR b* NOT c AND d -e col:f ^g (h) {i j} +k';
    const tokens = searchTokens(hostile);
    expect(tokens).toEqual([
      'near',
      'or',
      'a',
      'or',
      'b',
      'not',
      'c',
      'and',
      'd',
      'e',
      'col',
      'f',
      'g',
      'h',
      'i',
      'j',
      'k',
    ]);
    expect(ftsMatchExpression(tokens)).toBe(
      '"near" "or" "a" "or" "b" "not" "c" "and" "d" "e" "col" "f" "g" "h" "i" "j" "k"*',
    );
  });

  it('returns no tokens and a null expression when nothing searchable is left', () => {
    for (const q of ['', '   ', '"', '*', '-', ':', '^', '"*"', '()', '\u0301']) {
      expect(searchTokens(q)).toEqual([]);
      expect(ftsMatchExpression(searchTokens(q))).toBeNull();
    }
    expect(ftsMatchExpression([])).toBeNull();
    expect(ftsMatchExpression(['"', '*', ''])).toBeNull();
  });

  it(`keeps at most ${MAX_SEARCH_TOKENS} tokens`, () => {
    const q = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ');
    expect(searchTokens(q)).toHaveLength(MAX_SEARCH_TOKENS);
    expect(searchTokens(q)[0]).toBe('w0');
  });

  const SAFE = /^"[\p{L}\p{N}]+"(?: "[\p{L}\p{N}]+")*\*$/u;

  it('any query yields only quoted letter/digit tokens, spaces and the final *', () => {
    const hostileUnit = fc.constantFrom(
      '"',
      '*',
      'NEAR(',
      '-',
      'OR',
      ':',
      '^',
      '(',
      ')',
      '{',
      '}',
      '+',
      'AND',
      'NOT',
      "'",
      ' ',
    );
    const query = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.string({ unit: fc.oneof(hostileUnit, fc.string({ unit: 'grapheme', maxLength: 1 })), maxLength: 40 }),
      vietnameseTextArb,
    );
    fc.assert(
      fc.property(query, (q) => {
        const tokens = searchTokens(q);
        expect(tokens.length).toBeLessThanOrEqual(MAX_SEARCH_TOKENS);
        for (const t of tokens) expect(t).toMatch(/^[\p{L}\p{N}]+$/u);
        const expr = ftsMatchExpression(tokens);
        if (tokens.length === 0) expect(expr).toBeNull();
        else expect(expr).toMatch(SAFE);
      }),
      { numRuns: 1000 },
    );
  });

  it('ftsMatchExpression re-sanitizes tokens that did not come from searchTokens', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 10 }), { maxLength: 50 }), (tokens) => {
        const expr = ftsMatchExpression(tokens);
        if (expr !== null) {
          expect(expr).toMatch(SAFE);
          expect(expr.split('" "').length).toBeLessThanOrEqual(MAX_SEARCH_TOKENS);
        }
      }),
    );
  });

  it('every Vietnamese letter folds to a plain ASCII letter', () => {
    for (const ch of VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.toUpperCase()) {
      expect(foldText(ch)).toMatch(/^[a-z]$/);
      expect(foldText(ch.normalize('NFD'))).toBe(foldText(ch));
    }
  });
});
