/**
 * Codes from the national systems: the procedure code (mã TTHC) and the dossier code (mã hồ sơ).
 *
 * The exported global patterns are for scanning text with `String.prototype.matchAll` (which
 * copies the regex, so the shared object's `lastIndex` is never touched). Do not call `.exec` or
 * `.test` on them directly: a global regex remembers where it stopped.
 */
import { isCalendarDate, isoDate } from './calendar';

// ---------------------------------------------------------------------------------------------
// Procedure code: d.dddddd, e.g. 1.001193

const PROCEDURE_CODE_EXACT = /^\d\.\d{6}$/;

/** True if `s` is exactly a procedure code `d.dddddd` (no surrounding spaces). */
export function isProcedureCode(s: string): boolean {
  return PROCEDURE_CODE_EXACT.test(s);
}

/**
 * Finds procedure codes in running text. Not preceded by a digit or by "digit." and not followed
 * by a digit or ".digit": `11.0011934` and `2.1.001193.5` are parts of other numbers, while a
 * sentence-ending period ("mã 1.001193.") is fine.
 */
export const PROCEDURE_CODE_PATTERN = /(?<!\d)(?<!\d\.)\d\.\d{6}(?!\d)(?!\.\d)/g;

/** Procedure codes in `text`, de-duplicated, in first-seen order. */
export function scanProcedureCodes(text: string): string[] {
  return unique(Array.from(text.matchAll(PROCEDURE_CODE_PATTERN), (m) => m[0]));
}

// ---------------------------------------------------------------------------------------------
// Dossier code: V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX, e.g. 000.00.01.H26-231201-0001
//   agency identifier, reception date, the day's sequence number for that unit (from 0001).

export interface DossierCode {
  /** The receiving agency's identifier, e.g. `000.00.01.H26`. */
  agency: string;
  /** Reception date, `YYYY-MM-DD`. */
  date: string;
  /** The day's sequence number for the unit, 1 to 9999. */
  sequence: number;
}

const AGENCY = String.raw`\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}`;
const AGENCY_EXACT = new RegExp(`^${AGENCY}$`);
const DOSSIER_CODE_EXACT = new RegExp(`^(${AGENCY})-(\\d{2})(\\d{2})(\\d{2})-(\\d{4})$`);

/**
 * Finds dossier-code-shaped text (the date is NOT checked here: use parseDossierCode on each
 * match, or scanDossierCodes). Surrounding punctuation is fine — "(000.00.01.H26-231201-0001)." —
 * but not letters, digits, or a further "-digit"/".digit" that would make it part of a longer code.
 */
export const DOSSIER_CODE_PATTERN = new RegExp(
  String.raw`(?<![\p{L}\p{N}.])(?<!\p{N}-)${AGENCY}-\d{6}-\d{4}(?![\p{L}\p{N}])(?![-.]\p{N})`,
  'gu',
);

/** True if `s` is an agency identifier such as `000.00.01.H26`. */
export function isAgencyCode(s: string): boolean {
  return AGENCY_EXACT.test(s);
}

/**
 * Parses a dossier code (surrounding whitespace ignored). Returns null unless the shape is exact,
 * the YYMMDD part is a real calendar date (20YY) and the sequence is at least 0001.
 */
export function parseDossierCode(s: string): DossierCode | null {
  const m = DOSSIER_CODE_EXACT.exec(s.trim());
  if (!m) return null;
  const [, agency, yy, mm, dd, seq] = m;
  if (agency === undefined || yy === undefined || mm === undefined || dd === undefined || seq === undefined) {
    return null;
  }
  // The scheme has two year digits; dossier codes only exist from the 2000s on.
  const year = 2000 + Number(yy);
  const month = Number(mm);
  const day = Number(dd);
  if (!isCalendarDate(year, month, day)) return null;
  const sequence = Number(seq);
  if (sequence < 1) return null;
  return { agency, date: isoDate(year, month, day), sequence };
}

/**
 * Builds a dossier code from the agency identifier, the reception date (the workstation's local
 * calendar day) and the sequence number. Throws RangeError on input that cannot make a valid code:
 * that is a programming error, not user input.
 *
 * Uniqueness is the caller's job: the sequence is per unit per day, so offline workstations must
 * not simply count (see DOMAIN.md).
 */
export function formatDossierCode(agency: string, date: Date, seq: number): string {
  if (!AGENCY_EXACT.test(agency)) throw new RangeError('formatDossierCode: invalid agency identifier');
  if (!Number.isInteger(seq) || seq < 1 || seq > 9999) {
    throw new RangeError('formatDossierCode: sequence must be an integer from 1 to 9999');
  }
  const year = date.getFullYear();
  if (Number.isNaN(year) || year < 2000 || year > 2099) {
    throw new RangeError('formatDossierCode: date must be in the years 2000-2099');
  }
  const two = (n: number) => String(n).padStart(2, '0');
  const yymmdd = `${two(year % 100)}${two(date.getMonth() + 1)}${two(date.getDate())}`;
  return `${agency}-${yymmdd}-${String(seq).padStart(4, '0')}`;
}

/** Valid dossier codes in `text` (real dates only), de-duplicated, in first-seen order. */
export function scanDossierCodes(text: string): string[] {
  return unique(
    Array.from(text.matchAll(DOSSIER_CODE_PATTERN), (m) => m[0]).filter((c) => parseDossierCode(c) !== null),
  );
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
