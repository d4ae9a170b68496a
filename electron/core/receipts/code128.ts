/**
 * Code 128 (ISO/IEC 15417) for the dossier code on the receipt. A dossier code such as
 * `000.00.01.H26-261126-0001` mixes letters and punctuation with runs of digits, so the encoder
 * uses code set B for text and switches to code set C (two digits per symbol) where a run of
 * digits is long enough to save symbols; the barcode stays short enough for an A5 page.
 */

/** Bar and space widths, in modules, of each symbol value 0-105 and of STOP (106, with its final bar). */
// prettier-ignore
export const CODE128_PATTERNS: readonly string[] = [
  '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213',
  '221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221', '223211', '221132',
  '221231', '213212', '223112', '312131', '311222', '321122', '321221', '312212', '322112', '322211',
  '212123', '212321', '232121', '111323', '131123', '131321', '112313', '132113', '132311', '211313',
  '231113', '231311', '112133', '112331', '132131', '113123', '113321', '133121', '313121', '211331',
  '231131', '213113', '213311', '213131', '311123', '311321', '331121', '312113', '312311', '332111',
  '314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214',
  '112412', '122114', '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111',
  '111242', '121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141',
  '214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311', '113141',
  '114131', '311141', '411131', '211412', '211214', '211232', '2331112',
];

export const CODE_C = 99;
export const CODE_B = 100;
export const START_B = 104;
export const START_C = 105;
export const STOP = 106;

export interface Code128 {
  /** Symbol values: start, data (with any code set switches), check symbol, stop. */
  values: number[];
  /** The check symbol: the start value plus each data symbol times its position, modulo 103. */
  checksum: number;
  /** Alternating bar and space widths in modules, starting with a bar. */
  widths: number[];
  /** Total modules, without the quiet zones (10 modules each side are the reader's margin). */
  modules: number;
}

/** Printable ASCII: what code sets B and C together cover (enough for dossier codes). */
const ENCODABLE = /^[\x20-\x7e]+$/;

/** Digits from `index` on. */
function digitRun(text: string, index: number): number {
  let end = index;
  while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
  return end - index;
}

/**
 * Symbol values (start and data, no check symbol). Code set C is worth it for 4 or more digits
 * at the start or end, 6 or more in the middle (the two switches cost two symbols); an odd run
 * leaves its first digit in code set B.
 */
function dataValues(text: string): number[] {
  const values: number[] = [];
  let set: 'B' | 'C' | null = null;
  let i = 0;
  while (i < text.length) {
    const run = digitRun(text, i);
    const atStart = i === 0;
    const toEnd = i + run === text.length;
    const worthC = run >= (atStart || toEnd ? 4 : 6) || (atStart && toEnd && run >= 2 && run % 2 === 0);
    if (set === 'C' && run >= 2) {
      values.push(Number(text.slice(i, i + 2)));
      i += 2;
      continue;
    }
    if (worthC && set !== 'C') {
      if (run % 2 === 1) {
        // The odd digit goes in code set B first.
        if (set === null) values.push(START_B);
        set = 'B';
        values.push(text.charCodeAt(i) - 32);
        i++;
      }
      values.push(set === null ? START_C : CODE_C);
      set = 'C';
      continue;
    }
    if (set !== 'B') {
      values.push(set === null ? START_B : CODE_B);
      set = 'B';
    }
    values.push(text.charCodeAt(i) - 32);
    i++;
  }
  return values;
}

export function code128Checksum(values: readonly number[]): number {
  let sum = values[0] ?? 0;
  for (let i = 1; i < values.length; i++) sum += (values[i] ?? 0) * i;
  return sum % 103;
}

/** Encodes printable ASCII; throws RangeError on anything else (a programming error: codes are ASCII). */
export function encodeCode128(text: string): Code128 {
  if (!ENCODABLE.test(text)) throw new RangeError('encodeCode128: only printable ASCII can be encoded');
  const data = dataValues(text);
  const checksum = code128Checksum(data);
  const values = [...data, checksum, STOP];
  const widths = values.flatMap((value) => [...(CODE128_PATTERNS[value] ?? '')].map(Number));
  return { values, checksum, widths, modules: widths.reduce((a, b) => a + b, 0) };
}
