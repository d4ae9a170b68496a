/**
 * The 766 digitization indicators as pure arithmetic: a dossier's facts in, counts, rates and
 * points out. The weights and thresholds come from the versioned data file
 * (assets/reference/scorecard-766.json), never from here: they change by decision.
 */
import { isCalendarDate } from './calendar';

/** What each indicator counts, one per dossier fact below. */
export const INDICATOR_MEASURES = [
  'resultsDigitized',
  'digitized',
  'reused',
  'linkedToStore',
  'identityVerified',
] as const;
export type IndicatorMeasure = (typeof INDICATOR_MEASURES)[number];

/** Measures SoHoa records; the others score null (not 0: nothing was measured). */
export const RECORDED_MEASURES: ReadonlySet<IndicatorMeasure> = new Set([
  'resultsDigitized',
  'digitized',
  'reused',
  'linkedToStore',
]);

export interface ScorecardIndicator {
  id: string;
  measure: IndicatorMeasure;
  nameVi: string;
  nameEn: string;
  maxPoints: number;
  fullPointsAt: number;
  counts: string;
}

export interface Scorecard {
  version: number;
  decision: string;
  decisionNote: string;
  effectiveFrom: string;
  indicators: ScorecardIndicator[];
}

export const REPORT_GROUPINGS = ['unit', 'clerk', 'procedure', 'channel'] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

/** One received dossier, reduced to what the indicators count. */
export interface DossierFacts {
  unit: string;
  clerk: string;
  procedure: string;
  channel: string;
  /** Every counted component has a file or is reused, and a paper result is digitized. */
  digitized: boolean;
  /** At least one component is flagged reused. */
  reused: boolean;
  /** The procedure's result is paper and the result has a file. */
  resultDigitized: boolean;
  /** A component was taken from the national store. */
  linkedToStore: boolean;
}

export interface IndicatorRow {
  group: string;
  received: number;
  digitized: number;
  digitizedRate: number | null;
  reused: number;
  reusedRate: number | null;
  resultsDigitized: number;
  resultsDigitizedRate: number | null;
  linkedToStore: number;
  linkedToStoreRate: number | null;
  /** Points per indicator id, and `total` over the measured ones; null: nothing to score. */
  points: Record<string, number | null>;
}

/** Rounded for people and files; the exact value would print as 3.1999999999999997. */
const round = (value: number, places: number): number => {
  const f = 10 ** places;
  return Math.round(value * f) / f;
};

/** Full points at or above the threshold, else rate × max / threshold. */
export function indicatorPoints(
  rate: number,
  indicator: Pick<ScorecardIndicator, 'maxPoints' | 'fullPointsAt'>,
): number {
  if (rate >= indicator.fullPointsAt) return indicator.maxPoints;
  return round((Math.max(0, rate) * indicator.maxPoints) / indicator.fullPointsAt, 2);
}

/** Rates divide by every dossier received in the period; none received: no rate. */
export function rateOf(count: number, received: number): number | null {
  return received === 0 ? null : round(count / received, 4);
}

/** How many of a group's received dossiers each recorded measure counts. */
export interface IndicatorCounts {
  received: number;
  digitized: number;
  reused: number;
  resultsDigitized: number;
  linkedToStore: number;
}

/** Counts, rates and points of one group of dossiers. */
export function indicatorRow(group: string, dossiers: readonly DossierFacts[], scorecard: Scorecard): IndicatorRow {
  const count = (pick: (d: DossierFacts) => boolean): number => dossiers.filter(pick).length;
  return indicatorRowFromCounts(
    group,
    {
      received: dossiers.length,
      digitized: count((d) => d.digitized),
      reused: count((d) => d.reused),
      resultsDigitized: count((d) => d.resultDigitized),
      linkedToStore: count((d) => d.linkedToStore),
    },
    scorecard,
  );
}

/**
 * The same row from counts already made (the database counts a province-year in one GROUP BY
 * instead of handing over 200,000 dossiers).
 */
export function indicatorRowFromCounts(group: string, tally: IndicatorCounts, scorecard: Scorecard): IndicatorRow {
  const { received } = tally;
  const counts: Record<IndicatorMeasure, number> = {
    digitized: tally.digitized,
    reused: tally.reused,
    resultsDigitized: tally.resultsDigitized,
    linkedToStore: tally.linkedToStore,
    identityVerified: 0,
  };
  const points: Record<string, number | null> = {};
  let total: number | null = null;
  for (const indicator of scorecard.indicators) {
    // Points from the exact ratio, not the rounded rate shown: 0.79996 is not 80 %.
    const value =
      received === 0 || !RECORDED_MEASURES.has(indicator.measure)
        ? null
        : indicatorPoints(counts[indicator.measure] / received, indicator);
    points[indicator.id] = value;
    if (value !== null) total = round((total ?? 0) + value, 2);
  }
  points.total = total;
  return {
    group,
    received,
    digitized: counts.digitized,
    digitizedRate: rateOf(counts.digitized, received),
    reused: counts.reused,
    reusedRate: rateOf(counts.reused, received),
    resultsDigitized: counts.resultsDigitized,
    resultsDigitizedRate: rateOf(counts.resultsDigitized, received),
    linkedToStore: counts.linkedToStore,
    linkedToStoreRate: rateOf(counts.linkedToStore, received),
    points,
  };
}

/** One row per group (sorted by name), or one row `all` without a grouping. */
export function groupIndicators(
  dossiers: readonly DossierFacts[],
  by: ReportGrouping | undefined,
  scorecard: Scorecard,
): IndicatorRow[] {
  if (!by) return [indicatorRow('all', dossiers, scorecard)];
  const groups = new Map<string, DossierFacts[]>();
  for (const d of dossiers) {
    const key = d[by];
    const list = groups.get(key);
    if (list) list.push(d);
    else groups.set(key, [d]);
  }
  return [...groups.keys()]
    .sort((a, b) => a.localeCompare(b))
    .map((key) => indicatorRow(key, groups.get(key) ?? [], scorecard));
}

const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;

function parseDay(day: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isCalendarDate(y, mo, d) ? Date.UTC(y, mo - 1, d) : null;
}

/**
 * A period of whole days in Vietnam (UTC+7, no daylight saving), `from` and `to` inclusive, as UTC
 * instants [start, end) comparable with stored `toISOString()` timestamps. null: not valid dates
 * or `to` before `from`.
 */
export function vietnamPeriod(from: string, to: string): { start: string; end: string } | null {
  const first = parseDay(from);
  const last = parseDay(to);
  if (first === null || last === null || last < first) return null;
  return {
    start: new Date(first - VIETNAM_OFFSET_MS).toISOString(),
    end: new Date(last + 24 * 3600 * 1000 - VIETNAM_OFFSET_MS).toISOString(),
  };
}

/** KenhThucHien 1/2/3 as the names reports group by. */
export function channelName(channel: number): string {
  return channel === 2 ? 'online' : channel === 3 ? 'postal' : 'direct';
}
