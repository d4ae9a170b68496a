/** The periods a supervisor reports on: a month, a quarter, a year, or any span of days. */
export type PeriodKind = 'month' | 'quarter' | 'year' | 'custom';

export interface PeriodChoice {
  kind: PeriodKind;
  /** `YYYY-MM` for a month, `YYYY-Qn` for a quarter, `YYYY` for a year. */
  value: string;
  /** Used when `kind` is custom. */
  from: string;
  to: string;
}

function lastDay(year: number, month: number): string {
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

/** The first and last day (inclusive) the choice stands for; null while a field is incomplete. */
export function periodRange(choice: PeriodChoice): { from: string; to: string } | null {
  if (choice.kind === 'custom') {
    return choice.from && choice.to && choice.from <= choice.to ? { from: choice.from, to: choice.to } : null;
  }
  if (choice.kind === 'month') {
    const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(choice.value);
    return m ? { from: `${choice.value}-01`, to: lastDay(Number(m[1]), Number(m[2])) } : null;
  }
  if (choice.kind === 'quarter') {
    const q = /^(\d{4})-Q([1-4])$/.exec(choice.value);
    if (!q) return null;
    const first = (Number(q[2]) - 1) * 3 + 1;
    return { from: `${q[1]}-${String(first).padStart(2, '0')}-01`, to: lastDay(Number(q[1]), first + 2) };
  }
  return /^\d{4}$/.test(choice.value) ? { from: `${choice.value}-01-01`, to: `${choice.value}-12-31` } : null;
}

/** The value of a kind that contains `today` (`YYYY-MM-DD`). */
export function periodValueAt(kind: PeriodKind, today: string): string {
  if (kind === 'month') return today.slice(0, 7);
  if (kind === 'quarter') return `${today.slice(0, 4)}-Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`;
  return today.slice(0, 4);
}

/**
 * The months the trend shows: a month is seen against the eleven before it; a quarter, a year or
 * a custom span shows its own months.
 */
export function trendRange(choice: PeriodChoice, range: { from: string; to: string }): { from: string; to: string } {
  if (choice.kind !== 'month') return range;
  const year = Number(range.from.slice(0, 4));
  const month = Number(range.from.slice(5, 7));
  return { from: new Date(Date.UTC(year, month - 12, 1)).toISOString().slice(0, 10), to: range.to };
}
