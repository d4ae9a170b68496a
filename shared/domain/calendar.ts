/**
 * Calendar helpers shared by the parsers. Dates travel as ISO `YYYY-MM-DD` strings: they are
 * calendar days (a birth date, a reception date), not instants, so no time zone may shift them.
 */

/** True if year/month/day name a real day of the Gregorian calendar (e.g. not 31/04, 29/02/2023). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `ddmmyyyy` (as on the CCCD QR code) → `YYYY-MM-DD`, or null if not a real calendar date. */
export function parseDdMmYyyy(s: string): string | null {
  const m = /^(\d{2})(\d{2})(\d{4})$/.exec(s);
  if (!m) return null;
  const day = Number(m[1]);
  const month = Number(m[2]);
  const year = Number(m[3]);
  return isCalendarDate(year, month, day) ? isoDate(year, month, day) : null;
}

/** Today's date on the workstation's calendar, as `YYYY-MM-DD`. */
export function localIsoDate(d: Date): string {
  return isoDate(d.getFullYear(), d.getMonth() + 1, d.getDate());
}
