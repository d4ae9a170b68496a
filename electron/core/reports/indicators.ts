import type { IndicatorReport, MissingReport } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import {
  channelName,
  groupIndicators,
  indicatorRow,
  RECORDED_MEASURES,
  vietnamPeriod,
  type DossierFacts,
  type ReportGrouping,
  type Scorecard,
} from '../../../shared/domain/scorecard';
import type { Db } from '../db/database';

/**
 * The 766 indicators from the workflow tables (migration 002): a dossier belongs to the period by
 * its reception time (`dossiers.created_at`), its components' flags say digitized / reused / from
 * the national store, and `result_document_id` says its result was scanned.
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

// Who received the dossier: looked up only when grouping by clerk (a seek per dossier).
const CLERK_SQL = `(SELECT h.actor FROM dossier_status_history h
                     WHERE h.dossier_id = d.id AND h.to_status = 'received' ORDER BY h.id LIMIT 1)`;

// One pass over the period's dossiers joined to their components (grouped), not a subquery per
// flag per dossier: a province-year is 200,000 dossiers.
const FACTS_SQL = (clerk: boolean) => `
  SELECT d.id, d.code, d.created_at, d.procedure_code, d.channel,
         ${clerk ? CLERK_SQL : 'NULL'} AS clerk,
         count(c.id) FILTER (WHERE ${COUNTED}) AS counted_components,
         count(c.id) FILTER (WHERE ${COUNTED} AND c.digitized = 0) AS components_without_file,
         coalesce(max(c.reused), 0) AS reused,
         coalesce(max(c.from_national_store), 0) AS from_national_store,
         coalesce(p.result_on_paper, 1) AS result_on_paper,
         d.result_document_id IS NOT NULL AS result_scanned
  FROM dossiers d
  LEFT JOIN catalog_procedures p ON p.version_id = d.catalog_version_id AND p.code = d.procedure_code
  LEFT JOIN dossier_components c ON c.dossier_id = d.id
  WHERE d.created_at >= ? AND d.created_at < ?
  GROUP BY d.id`;

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
  return (db.prepare(FACTS_SQL(withClerk)).all(start, end) as FactsRow[]).map((row) => ({
    ...factsOf(row),
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
  const facts = dossierFacts(db, input.from, input.to, input.by === 'clerk');
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
    groups: groupIndicators(facts, input.by, scorecard),
    total: indicatorRow('all', facts, scorecard),
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
