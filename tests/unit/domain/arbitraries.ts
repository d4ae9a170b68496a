/**
 * Shared fixtures for the domain tests. All ID numbers here are synthetic: real province prefixes
 * with made-up serials, generated or obviously patterned (000001, 012345).
 */
import fc from 'fast-check';
import { PROVINCES } from '../../../shared/domain/provinces';

/** A fixed "today" so century/year checks do not depend on when the tests run. */
export const NOW = new Date(2025, 5, 15);
export const NOW_YEAR = 2025;

export function makeId(prefix: string, g: number, yy: number, serial: string): string {
  return `${prefix}${g}${String(yy).padStart(2, '0')}${serial}`;
}

/** Decoded fields of a valid synthetic ID, plus the ID itself. */
export interface SyntheticId {
  id: string;
  prefix: string;
  provinceName: string;
  g: number;
  yy: number;
  birthYear: number;
  sex: 'male' | 'female';
}

/** Any valid ID as of NOW: every known province, every plausible century digit, any serial. */
export const validIdArb: fc.Arbitrary<SyntheticId> = fc
  .record({
    province: fc.constantFrom(...PROVINCES),
    g: fc.integer({ min: 0, max: 3 }),
    yyAny: fc.integer({ min: 0, max: 99 }),
    serial: fc.stringMatching(/^\d{6}$/),
  })
  .map(({ province, g, yyAny, serial }) => {
    const centuryStart = 1900 + 100 * Math.floor(g / 2);
    // Keep the year <= NOW_YEAR for the 2000s century digits.
    const yy = centuryStart === 2000 ? yyAny % (NOW_YEAR - 2000 + 1) : yyAny;
    return {
      id: makeId(province.prefix, g, yy, serial),
      prefix: province.prefix,
      provinceName: province.name,
      g,
      yy,
      birthYear: centuryStart + yy,
      sex: g % 2 === 0 ? ('male' as const) : ('female' as const),
    };
  });

export const VIETNAMESE_LETTERS =
  'aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ';

const vietnameseLetter = fc.constantFrom(...VIETNAMESE_LETTERS, ...VIETNAMESE_LETTERS.toUpperCase());

/** A Vietnamese word (NFC), letters only. */
export const vietnameseWordArb = fc.string({ unit: vietnameseLetter, minLength: 1, maxLength: 8 });

/** Vietnamese-ish text: words, digits, spaces and punctuation, NFC. */
export const vietnameseTextArb = fc.string({
  unit: fc.oneof(
    { weight: 6, arbitrary: vietnameseLetter },
    { weight: 2, arbitrary: fc.constantFrom(' ', ' ', '\n', ',', '.', ':', '-', '"', '(', ')') },
    { weight: 1, arbitrary: fc.constantFrom(...'0123456789') },
  ),
  maxLength: 60,
});

/** Text with no digits: words and punctuation only. */
export const wordsOnlyArb = fc
  .array(vietnameseWordArb, { maxLength: 12 })
  .chain((words) =>
    fc
      .array(fc.constantFrom(' ', ', ', '. ', ': ', ' - ', '\n'), { minLength: words.length, maxLength: words.length })
      .map((seps) => words.map((w, i) => w + (seps[i] ?? ' ')).join('')),
  );
