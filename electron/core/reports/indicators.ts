import type { IndicatorReport, MissingReport } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import {
  channelName,
  indicatorRowFromCounts,
  RECORDED_MEASURES,
  vietnamPeriod,
  type DossierFacts,
  type IndicatorCounts,
  type ReportGrouping,
  type Scorecard,
} from '../../../shared/domain/scorecard';
import type { Db } from '../db/database';

/**
 * The 766 indicators from the workflow tables (migration 002): a dossier belongs to the period by
 * its reception time (`dossiers.created_at`), its components' flags say digitized / reused / from
 * the national store, and `result_document_id` says its result was scanned. What the components
 * and the catalog say is kept on the dossier row by triggers (migration 008, `fact_*` and
 * `received_by`), so a period is one range scan of `dossiers`.
 */

interface FactsRow {
  id: string;
  code: string;
  created_at: string;
  procedure_code: string;
  channel: number;
  clerk: string | null;
  counted_components: number;
  components_without_file: number;
  reused: number;
  from_national_store: number;
  result_on_paper: number;
  result_scanned: number;
}

// A component counts unless it is optional and the clerk recorded it was not submitted: an
// optional paper nobody brought cannot keep a dossier from being digitized.
const COUNTED = `(c.required = 1 OR c.missing_reason IS NULL)`;

const FACTS_SQL = `
  SELECT d.id, d.code, d.created_at, d.procedure_code, d.channel, d.received_by AS clerk,
         d.fact_counted AS counted_components, d.fact_without_file AS components_without_file,
         d.fact_reused > 0 AS reused, d.fact_national > 0 AS from_national_store,
         d.fact_result_on_paper AS result_on_paper, d.result_document_id IS NOT NULL AS result_scanned
  FROM dossiers d
  WHERE d.created_at >= ? AND d.created_at < ?`;

// The group keys exactly as factsOf() names them: unitOfDossierCode, the clerk or '', channelName.
const GROUP_KEY_SQL: Record<ReportGrouping, string> = {
  unit: `CASE WHEN instr(code, '-') > 0 THEN substr(code, 1, instr(code, '-') - 1) ELSE code END`,
  clerk: `coalesce(received_by, '')`,
  procedure: `procedure_code`,
  channel: `CASE channel WHEN 2 THEN 'online' WHEN 3 THEN 'postal' ELSE 'direct' END`,
};

// factsOf()'s rules, kept per dossier in fact_flags by migration 008's triggers (1 digitized,
// 2 reused, 4 result digitized, 8 linked to the store), counted per group by SQLite from the
// covering index alone.
const COUNTS_SQL = (by: ReportGrouping | undefined) => `
  SELECT ${by ? GROUP_KEY_SQL[by] : `'all'`} AS grp,
         count(*) AS received,
         coalesce(sum(fact_flags & 1), 0) AS digitized,
         coalesce(sum((fact_flags >> 1) & 1), 0) AS reused,
         coalesce(sum((fact_flags >> 2) & 1), 0) AS resultsDigitized,
         coalesce(sum((fact_flags >> 3) & 1), 0) AS linkedToStore
  FROM dossiers INDEXED BY dossiers_by_created
  WHERE created_at >= ? AND created_at < ?
  ${by ? 'GROUP BY grp' : ''}`;

/** The receiving unit: the agency part of the dossier code (before the date). */
export function unitOfDossierCode(code: string): string {
  const dash = code.indexOf('-');
  return dash < 0 ? code : code.slice(0, dash);
}

export function factsOf(row: FactsRow): DossierFacts {
  const resultDone = row.result_on_paper === 0 || row.result_scanned === 1;
  return {
    unit: unitOfDossierCode(row.code),
    clerk: row.clerk ?? '',
    procedure: row.procedure_code,
    channel: channelName(row.channel),
    digitized: row.counted_components > 0 && row.components_without_file === 0 && resultDone,
    reused: row.reused === 1,
    resultDigitized: row.result_on_paper === 1 && row.result_scanned === 1,
    linkedToStore: row.from_national_store === 1,
  };
}

function periodOrFail(from: string, to: string): { start: string; end: string } {
  const period = vietnamPeriod(from, to);
  if (!period) {
    throw new AppFailure(
      'VALIDATION',
      'Khoảng thời gian không hợp lệ: ngày phải có dạng YYYY-MM-DD và “từ ngày” không sau “đến ngày”.',
      'Invalid period: dates must be YYYY-MM-DD and "from" must not be after "to".',
      'from',
    );
  }
  return period;
}

/** One dossier's facts with what identifies it: the rows behind every number (drill-down). */
export interface IdentifiedFacts extends DossierFacts {
  dossierId: string;
  code: string;
  receivedAt: string;
}

/** Per-dossier facts of every dossier received in the period, with the dossier's id and code. */
export function identifiedDossierFacts(db: Db, from: string, to: string, withClerk = true): IdentifiedFacts[] {
  const { start, end } = periodOrFail(from, to);
  return (db.prepare(FACTS_SQL).all(start, end) as FactsRow[]).map((row) => ({
    ...factsOf(withClerk ? row : { ...row, clerk: null }),
    dossierId: row.id,
    code: row.code,
    receivedAt: row.created_at,
  }));
}

/** Per-dossier facts of every dossier received in the period. */
export function dossierFacts(db: Db, from: string, to: string, withClerk = true): DossierFacts[] {
  return identifiedDossierFacts(db, from, to, withClerk);
}

export function computeIndicators(
  db: Db,
  scorecard: Scorecard,
  input: { from: string; to: string; by?: ReportGrouping | undefined },
): IndicatorReport {
  const { start, end } = periodOrFail(input.from, input.to);
  const counted = db.prepare(COUNTS_SQL(input.by)).all(start, end) as (IndicatorCounts & { grp: string })[];
  // Sorted as groupIndicators() sorts: by name, in JavaScript's locale order.
  const groups = input.by
    ? counted
        .sort((a, b) => a.grp.localeCompare(b.grp))
        .map(({ grp, ...counts }) => indicatorRowFromCounts(grp, counts, scorecard))
    : [];
  const total: IndicatorCounts = { received: 0, digitized: 0, reused: 0, resultsDigitized: 0, linkedToStore: 0 };
  for (const row of counted) {
    total.received += row.received;
    total.digitized += row.digitized;
    total.reused += row.reused;
    total.resultsDigitized += row.resultsDigitized;
    total.linkedToStore += row.linkedToStore;
  }
  const totalRow = indicatorRowFromCounts('all', total, scorecard);
  return {
    from: input.from,
    to: input.to,
    by: input.by ?? null,
    scorecard: {
      version: scorecard.version,
      decision: scorecard.decision,
      indicators: scorecard.indicators.map((i) => ({
        id: i.id,
        nameVi: i.nameVi,
        nameEn: i.nameEn,
        maxPoints: i.maxPoints,
        fullPointsAt: i.fullPointsAt,
        measured: RECORDED_MEASURES.has(i.measure),
      })),
    },
    groups: input.by ? groups : [totalRow],
    total: totalRow,
  };
}

/** The lists a supervisor can act on. */
export function missingItems(db: Db, input: { from: string; to: string; limit: number }): MissingReport {
  const { start, end } = periodOrFail(input.from, input.to);
  const withoutFiles = db
    .prepare(
      `SELECT * FROM (
         SELECT d.id AS dossierId, d.code, d.procedure_code AS procedureCode, d.status, d.created_at AS receivedAt,
                (SELECT count(*) FROM dossier_components c
                  WHERE c.dossier_id = d.id AND ${COUNTED} AND c.digitized = 0) AS componentsWithoutFile
         FROM dossiers d WHERE d.created_at >= ? AND d.created_at < ?)
       WHERE componentsWithoutFile > 0 ORDER BY receivedAt LIMIT ?`,
    )
    .all(start, end, input.limit) as MissingReport['withoutFiles'];
  const resultsNotDigitized = db
    .prepare(
      `SELECT d.id AS dossierId, d.code, d.procedure_code AS procedureCode, d.status, d.created_at AS receivedAt,
              d.result_code AS resultCode
       FROM dossiers d
       LEFT JOIN catalog_procedures p ON p.version_id = d.catalog_version_id AND p.code = d.procedure_code
       WHERE d.created_at >= ? AND d.created_at < ? AND coalesce(p.result_on_paper, 1) = 1
         AND d.result_code IS NOT NULL AND d.result_document_id IS NULL
       ORDER BY d.created_at LIMIT ?`,
    )
    .all(start, end, input.limit) as MissingReport['resultsNotDigitized'];
  // A rescan is a missed reuse when, at the moment of the scan, the citizen already had a
  // document of the component's type, valid that day (Vietnam date), from another dossier and
  // never rejected: the clerk could have attached it instead.
  const missedReuse = db
    .prepare(
      `SELECT * FROM (
         SELECT d.id AS dossierId, d.code AS dossierCode, c.id AS componentId, c.name AS componentName,
                c.doc_type AS docType, i.document_id AS scannedDocumentId, i.added_at AS scannedAt,
                (SELECT doc.id FROM documents doc LEFT JOIN dossiers od ON od.id = doc.dossier_id
                  WHERE coalesce(od.citizen_id, doc.citizen_id) = d.citizen_id
                    AND doc.doc_type = c.doc_type
                    AND doc.id != i.document_id
                    AND (doc.dossier_id IS NULL OR doc.dossier_id != d.id)
                    AND doc.created_at < i.added_at
                    AND (doc.valid_until IS NULL OR doc.valid_until >= date(i.added_at, '+7 hours'))
                    AND NOT EXISTS (SELECT 1 FROM component_items r
                                     WHERE r.document_id = doc.id AND r.approval = 'rejected')
                  ORDER BY doc.created_at DESC LIMIT 1) AS existingDocumentId
         FROM component_items i
         JOIN dossier_components c ON c.id = i.component_id
         JOIN dossiers d ON d.id = c.dossier_id
         WHERE i.kind = 'scanned' AND i.approval != 'rejected'
           AND d.created_at >= ? AND d.created_at < ?)
       WHERE existingDocumentId IS NOT NULL ORDER BY scannedAt LIMIT ?`,
    )
    .all(start, end, input.limit) as MissingReport['missedReuse'];
  const pendingApproval = db
    .prepare(
      `SELECT i.id AS itemId, d.id AS dossierId, d.code AS dossierCode, c.name AS componentName,
              i.document_id AS documentId, i.added_at AS addedAt
       FROM component_items i
       JOIN dossier_components c ON c.id = i.component_id
       JOIN dossiers d ON d.id = c.dossier_id
       WHERE i.approval = 'pending' AND i.removed_at IS NULL
       ORDER BY i.added_at LIMIT ?`,
    )
    .all(input.limit) as MissingReport['pendingApproval'];
  return { withoutFiles, resultsNotDigitized, missedReuse, pendingApproval };
}
