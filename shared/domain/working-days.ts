/**
 * Working days and the promised return date (ngày hẹn trả kết quả). A procedure's statutory
 * processing time counts working days, from the working day after reception. Days are calendar
 * days in Vietnam (UTC+7 all year, no daylight saving), carried as `YYYY-MM-DD` strings so no
 * workstation's own time zone can shift them.
 *
 * Public holidays are not in the rules yet: they change by decision every year (Tết follows the
 * lunar calendar), so they belong in a data file the unit can update; pass them in `holidays`.
 */

const DAY_MS = 86_400_000;
/** Vietnam's offset from UTC: +7 hours, all year. */
export const VIETNAM_UTC_OFFSET_MS = 7 * 3_600_000;
/** The longest statutory processing time the catalog accepts, in working days. */
export const MAX_PROCESSING_DAYS = 365;

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The calendar day in Vietnam at an instant, `YYYY-MM-DD`. */
export function vietnamIsoDate(at: Date): string {
  const time = at.getTime();
  if (Number.isNaN(time)) throw new RangeError('vietnamIsoDate: invalid date');
  return new Date(time + VIETNAM_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

function dayNumber(isoDay: string): number {
  const m = ISO_DAY.exec(isoDay);
  if (!m) throw new RangeError('expected a calendar day YYYY-MM-DD');
  const value = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 2024-02-30 over to March: refuse what is not a real day.
  if (new Date(value).toISOString().slice(0, 10) !== isoDay) throw new RangeError('not a calendar day');
  return value / DAY_MS;
}

function isoOf(dayNo: number): string {
  return new Date(dayNo * DAY_MS).toISOString().slice(0, 10);
}

/** Saturday or Sunday. */
export function isWeekend(isoDay: string): boolean {
  const weekday = new Date(dayNumber(isoDay) * DAY_MS).getUTCDay();
  return weekday === 0 || weekday === 6;
}

export function isWorkingDay(isoDay: string, holidays: ReadonlySet<string> = NO_HOLIDAYS): boolean {
  return !isWeekend(isoDay) && !holidays.has(isoDay);
}

const NO_HOLIDAYS: ReadonlySet<string> = new Set();

/**
 * The day `workingDays` working days after `startDay`, counting from the day after it (the day
 * of reception itself never counts, whatever the hour). Zero gives `startDay` back: a result
 * handed over on the spot.
 */
export function addWorkingDays(
  startDay: string,
  workingDays: number,
  holidays: ReadonlySet<string> = NO_HOLIDAYS,
): string {
  if (!Number.isInteger(workingDays) || workingDays < 0 || workingDays > MAX_PROCESSING_DAYS) {
    throw new RangeError(`addWorkingDays: working days must be an integer from 0 to ${MAX_PROCESSING_DAYS}`);
  }
  let day = dayNumber(startDay);
  let left = workingDays;
  while (left > 0) {
    day += 1;
    if (isWorkingDay(isoOf(day), holidays)) left -= 1;
  }
  return isoOf(day);
}

/** The promised return date for a dossier received at `receivedAt` with that processing time. */
export function promisedReturnDate(
  receivedAt: Date,
  processingDays: number,
  holidays: ReadonlySet<string> = NO_HOLIDAYS,
): string {
  return addWorkingDays(vietnamIsoDate(receivedAt), processingDays, holidays);
}
