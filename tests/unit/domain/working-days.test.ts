import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addWorkingDays, isWeekend, promisedReturnDate, vietnamIsoDate } from '../../../shared/domain/working-days';

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Calendar days from 2000 to 2099, as YYYY-MM-DD. */
const day = fc
  .integer({ min: Date.UTC(2000, 0, 1) / DAY_MS, max: Date.UTC(2099, 11, 31) / DAY_MS })
  .map((n) => iso(n * DAY_MS));
const workingDays = fc.integer({ min: 0, max: 120 });

/** Working days in (from, to]: counted one by one, the slow obvious way. */
function workingDaysBetween(from: string, to: string, holidays: ReadonlySet<string> = new Set()): number {
  let count = 0;
  for (let t = Date.parse(from) + DAY_MS; t <= Date.parse(to); t += DAY_MS) {
    if (!isWeekend(iso(t)) && !holidays.has(iso(t))) count++;
  }
  return count;
}

describe('addWorkingDays', () => {
  it('gives the start day back for zero days (a result handed over on the spot)', () => {
    fc.assert(fc.property(day, (start) => addWorkingDays(start, 0) === start));
  });

  it('lands on a working day after the start, with exactly n working days in between', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 120 }), (start, n) => {
        const end = addWorkingDays(start, n);
        expect(end > start).toBe(true);
        expect(isWeekend(end)).toBe(false);
        expect(workingDaysBetween(start, end)).toBe(n);
      }),
    );
  });

  it('never lets a weekend push the date further than two days per week', () => {
    fc.assert(
      fc.property(day, workingDays, (start, n) => {
        const calendarDays = (Date.parse(addWorkingDays(start, n)) - Date.parse(start)) / DAY_MS;
        expect(calendarDays).toBeGreaterThanOrEqual(n);
        expect(calendarDays).toBeLessThanOrEqual(n + 2 * Math.ceil(n / 5) + 2);
      }),
    );
  });

  it('is strictly increasing in the number of days', () => {
    fc.assert(fc.property(day, workingDays, (start, n) => addWorkingDays(start, n + 1) > addWorkingDays(start, n)));
  });

  it('skips given holidays as well', () => {
    fc.assert(
      fc.property(
        day,
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.integer({ min: 1, max: 90 })),
        (start, n, offsets) => {
          const holidays = new Set(offsets.map((o) => iso(Date.parse(start) + o * DAY_MS)));
          const end = addWorkingDays(start, n, holidays);
          expect(holidays.has(end)).toBe(false);
          expect(workingDaysBetween(start, end, holidays)).toBe(n);
        },
      ),
    );
  });

  it('knows real weeks', () => {
    // 2024-03-01 is a Friday.
    expect(addWorkingDays('2024-03-01', 1)).toBe('2024-03-04');
    expect(addWorkingDays('2024-03-01', 5)).toBe('2024-03-08');
    // Received on a Saturday: counting starts on Monday.
    expect(addWorkingDays('2024-03-02', 1)).toBe('2024-03-04');
    expect(addWorkingDays('2024-02-28', 2)).toBe('2024-03-01'); // across 29 February
    expect(addWorkingDays('2024-12-31', 3)).toBe('2025-01-03');
  });

  it('refuses what is not a day or a day count', () => {
    expect(() => addWorkingDays('2024-02-30', 1)).toThrow(RangeError);
    expect(() => addWorkingDays('1/3/2024', 1)).toThrow(RangeError);
    expect(() => addWorkingDays('2024-03-01', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2024-03-01', 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays('2024-03-01', 366)).toThrow(RangeError);
  });
});

describe('the reception day in Vietnam (UTC+7)', () => {
  it('is the UTC day of the instant seven hours later, whatever the machine time zone', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 0, 1) }), (ms) => {
        expect(vietnamIsoDate(new Date(ms))).toBe(iso(ms + 7 * 3_600_000));
      }),
    );
    // 16:59 UTC is 23:59 in Hà Nội; 17:00 UTC is already the next day there.
    expect(vietnamIsoDate(new Date('2024-03-01T16:59:59Z'))).toBe('2024-03-01');
    expect(vietnamIsoDate(new Date('2024-03-01T17:00:00Z'))).toBe('2024-03-02');
  });

  it('decides the promised date by the day in Vietnam, not the UTC day', () => {
    // Thursday 29 February 18:00 UTC is Friday 1 March 01:00 in Vietnam: three working days from
    // Friday end on Wednesday (read as UTC, from Thursday, they would end on Tuesday).
    expect(promisedReturnDate(new Date('2024-02-29T18:00:00Z'), 3)).toBe('2024-03-06');
    expect(promisedReturnDate(new Date('2024-02-29T09:00:00Z'), 3)).toBe('2024-03-05');
    // Friday 18:00 UTC is Saturday in Vietnam: counting starts on Monday.
    expect(promisedReturnDate(new Date('2024-03-01T18:00:00Z'), 1)).toBe('2024-03-04');
  });
});
