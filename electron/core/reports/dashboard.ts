/**
 * The dashboard's trend by month and its drill-down: the dossiers behind every number. Both start
 * from the same per-dossier facts the indicators count (indicators.ts), so a drill-down lists
 * exactly the dossiers a number counts.
 */
import type { DrillDown, DrillDownRow, DrillMeasure, Trend } from '../../../shared/api/contract';
import {
  channelName,
  indicatorRow,
  RECORDED_MEASURES,
  type ReportGrouping,
  type Scorecard,
} from '../../../shared/domain/scorecard';
import { VIETNAM_UTC_OFFSET_MS } from '../../../shared/domain/working-days';
import type { Db } from '../db/database';
import { identifiedDossierFacts, missingItems, type IdentifiedFacts } from './indicators';

/** The scorecard as reports describe it (which indicators exist, their weights, whether measured). */
export function scorecardSummary(scorecard: Scorecard): Trend['indicators'] {
  return scorecard.indicators.map((i) => ({
    id: i.id,
    measure: i.measure,
    nameVi: i.nameVi,
    nameEn: i.nameEn,
    maxPoints: i.maxPoints,
    fullPointsAt: i.fullPointsAt,
    measured: RECORDED_MEASURES.has(i.measure),
  }));
}

/** `YYYY-MM` of an instant, in Vietnam. */
export function vietnamMonthOf(iso: string): string {
  return new Date(Date.parse(iso) + VIETNAM_UTC_OFFSET_MS).toISOString().slice(0, 7);
}

/** The last day of a `YYYY-MM` month. */
export function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
}

/** The calendar months touching [from, to], each clipped to the period. */
export function monthsOf(from: string, to: string): { month: string; from: string; to: string }[] {
  const months: { month: string; from: string; to: string }[] = [];
  for (let month = from.slice(0, 7); month <= to.slice(0, 7); month = nextMonth(month)) {
    const first = `${month}-01`;
    const last = lastDayOf(month);
    months.push({ month, from: first < from ? from : first, to: last > to ? to : last });
  }
  return months;
}

interface GroupFilter {
  by?: ReportGrouping | undefined;
  group?: string | undefined;
}

function inGroup(facts: IdentifiedFacts, filter: GroupFilter): boolean {
  return !filter.by || filter.group === undefined || facts[filter.by] === filter.group;
}

/** Indicator rows per month of the period (one pass over the period's facts). */
export function trend(db: Db, scorecard: Scorecard, input: { from: string; to: string } & GroupFilter): Trend {
  const facts = identifiedDossierFacts(db, input.from, input.to, input.by === 'clerk');
  const byMonth = new Map<string, IdentifiedFacts[]>();
  for (const f of facts) {
    if (!inGroup(f, input)) continue;
    const month = vietnamMonthOf(f.receivedAt);
    const list = byMonth.get(month);
    if (list) list.push(f);
    else byMonth.set(month, [f]);
  }
  return {
    from: input.from,
    to: input.to,
    indicators: scorecardSummary(scorecard),
    months: monthsOf(input.from, input.to).map((m) => ({
      ...m,
      row: indicatorRow(m.month, byMonth.get(m.month) ?? [], scorecard),
    })),
  };
}

const FACT_MEASURES = new Set<DrillMeasure>(['received', 'digitized', 'reused', 'resultsDigitized', 'linkedToStore']);

function counts(measure: DrillMeasure, f: IdentifiedFacts): boolean {
  switch (measure) {
    case 'digitized':
      return f.digitized;
    case 'reused':
      return f.reused;
    case 'resultsDigitized':
      return f.resultDigitized;
    case 'linkedToStore':
      return f.linkedToStore;
    default:
      return true;
  }
}

/** More than any screen pages through; the missing lists are read up to this many. */
export const MISSING_LIST_CAP = 5000;

interface DetailRow {
  id: string;
  code: string;
  procedure_code: string;
  procedure_name: string | null;
  channel: number;
  created_at: string;
  clerk: string | null;
}

/** What a list shows of each dossier, read for one page of ids only. */
function details(db: Db, ids: readonly string[]): Map<string, DetailRow> {
  const rows: DetailRow[] = [];
  // SQLite's bound-parameter limit: a page is at most 500 ids anyway.
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    rows.push(
      ...(db
        .prepare(
          `SELECT d.id, d.code, d.procedure_code, p.name AS procedure_name, d.channel, d.created_at,
                  (SELECT h.actor FROM dossier_status_history h
                    WHERE h.dossier_id = d.id AND h.to_status = 'received' ORDER BY h.id LIMIT 1) AS clerk
           FROM dossiers d
           LEFT JOIN catalog_procedures p ON p.version_id = d.catalog_version_id AND p.code = d.procedure_code
           WHERE d.id IN (${chunk.map(() => '?').join(',')})`,
        )
        .all(...chunk) as DetailRow[]),
    );
  }
  return new Map(rows.map((r) => [r.id, r]));
}

function unitOf(code: string): string {
  const dash = code.indexOf('-');
  return dash < 0 ? code : code.slice(0, dash);
}

/** The dossiers in a missing list, in the list's order, once each. */
function missingDossierIds(db: Db, input: { from: string; to: string }, measure: DrillMeasure): string[] {
  const lists = missingItems(db, { from: input.from, to: input.to, limit: MISSING_LIST_CAP });
  const ids =
    measure === 'withoutFiles'
      ? lists.withoutFiles.map((d) => d.dossierId)
      : measure === 'resultsNotDigitized'
        ? lists.resultsNotDigitized.map((d) => d.dossierId)
        : measure === 'missedReuse'
          ? lists.missedReuse.map((d) => d.dossierId)
          : lists.pendingApproval.map((d) => d.dossierId);
  return [...new Set(ids)];
}

/**
 * Every dossier a dashboard number counts, all of them (for CSV) or one page. The indicator
 * measures list the dossiers received in the period (of the group) whose fact holds; the missing
 * lists their dossiers (a pending approval may be of a dossier received earlier).
 */
export function drillDownRows(
  db: Db,
  input: { from: string; to: string; measure: DrillMeasure } & GroupFilter,
  page?: { offset: number; limit: number },
): DrillDown {
  const facts = identifiedDossierFacts(db, input.from, input.to, input.by === 'clerk');
  let chosen: { id: string; facts: IdentifiedFacts | null }[];
  let detail: Map<string, DetailRow>;
  if (FACT_MEASURES.has(input.measure)) {
    chosen = facts
      .filter((f) => inGroup(f, input) && counts(input.measure, f))
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.code.localeCompare(b.code))
      .map((f) => ({ id: f.dossierId, facts: f }));
    const shown = page ? chosen.slice(page.offset, page.offset + page.limit) : chosen;
    detail = details(
      db,
      shown.map((c) => c.id),
    );
  } else {
    const byId = new Map(facts.map((f) => [f.dossierId, f]));
    const ids = missingDossierIds(db, input, input.measure);
    detail = details(db, ids);
    chosen = ids
      .map((id) => ({ id, facts: byId.get(id) ?? null }))
      .filter(({ id, facts: f }) => {
        if (!input.by || input.group === undefined) return true;
        if (f) return f[input.by] === input.group;
        // Received outside the period: its group from the dossier itself.
        const d = detail.get(id);
        if (!d) return false;
        const key =
          input.by === 'unit'
            ? unitOf(d.code)
            : input.by === 'clerk'
              ? (d.clerk ?? '')
              : input.by === 'procedure'
                ? d.procedure_code
                : channelName(d.channel);
        return key === input.group;
      });
  }
  const shown = page ? chosen.slice(page.offset, page.offset + page.limit) : chosen;
  const rows: DrillDownRow[] = [];
  for (const c of shown) {
    const d = detail.get(c.id);
    if (!d) continue;
    rows.push({
      dossierId: c.id,
      code: d.code,
      procedureCode: d.procedure_code,
      procedureName: d.procedure_name ?? '',
      channel: channelName(d.channel),
      unit: c.facts?.unit ?? unitOf(d.code),
      clerk: d.clerk ?? '',
      receivedAt: d.created_at,
      facts: c.facts
        ? {
            digitized: c.facts.digitized,
            reused: c.facts.reused,
            resultDigitized: c.facts.resultDigitized,
            linkedToStore: c.facts.linkedToStore,
          }
        : null,
    });
  }
  return { total: chosen.length, offset: page?.offset ?? 0, rows };
}
