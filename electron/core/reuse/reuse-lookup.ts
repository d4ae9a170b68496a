import type { ReuseCandidate } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import { parseCitizenId } from '../../../shared/domain/citizen-id';
import { vietnamIsoDate } from '../../../shared/domain/working-days';
import type { Db } from '../db/database';

/**
 * Where reusable documents come from. Today only this counter's database; the central store
 * plugs in behind the same interface once sync lands (its candidates say `source: 'central'` or
 * `'national'`, and sync makes their documents rows here before one is attached: a component
 * refers to a document, it never holds a copy).
 */
export interface ReuseSource {
  /**
   * Valid documents already digitized for a citizen: not expired on `today` (`YYYY-MM-DD`, in
   * Vietnam), not rejected by a supervisor. Each carries its document type (matched against a
   * component's) and its validity.
   */
  documentsFor(citizenId: string, today: string): ReuseCandidate[];
  /**
   * Asks the central store for the citizen's documents when online (sync's source); offline it
   * resolves quietly and documentsFor answers from what is known here.
   */
  refresh?(citizenId: string): Promise<void>;
  /** Makes a candidate's document a local row before it is attached (fetching its files). */
  prepare?(documentId: string): Promise<void>;
}

interface CandidateRow {
  id: string;
  title: string;
  dossier_id: string | null;
  dossier_code: string | null;
  procedure_code: string | null;
  page_count: number;
  created_at: string;
  doc_type: string | null;
  valid_until: string | null;
  first_page_id: number | null;
  result_code: string | null;
  result_doc_type: string | null;
  origin_component_id: string | null;
  origin_component_name: string | null;
  rejected: number;
  approved: number;
  pending: number;
}

export class LocalReuseSource implements ReuseSource {
  constructor(private readonly db: Db) {}

  documentsFor(citizenId: string, today: string): ReuseCandidate[] {
    const rows = this.db
      .prepare(
        `SELECT doc.id, doc.title, doc.dossier_id, d.code AS dossier_code, d.procedure_code, doc.page_count,
                doc.created_at, doc.doc_type, doc.valid_until,
                (SELECT id FROM pages WHERE document_id = doc.id ORDER BY page_no LIMIT 1) AS first_page_id,
                (SELECT r.result_code FROM dossiers r WHERE r.result_document_id = doc.id LIMIT 1) AS result_code,
                (SELECT p.result_doc_type FROM dossiers r
                   JOIN catalog_procedures p ON p.version_id = r.catalog_version_id AND p.code = r.procedure_code
                 WHERE r.result_document_id = doc.id LIMIT 1) AS result_doc_type,
                (SELECT c.id FROM component_items i JOIN dossier_components c ON c.id = i.component_id
                 WHERE i.document_id = doc.id AND i.kind = 'scanned' AND i.approval != 'rejected'
                   AND i.removed_at IS NULL
                 ORDER BY i.added_at LIMIT 1) AS origin_component_id,
                (SELECT c.name FROM component_items i JOIN dossier_components c ON c.id = i.component_id
                 WHERE i.document_id = doc.id AND i.kind = 'scanned' AND i.approval != 'rejected'
                   AND i.removed_at IS NULL
                 ORDER BY i.added_at LIMIT 1) AS origin_component_name,
                EXISTS (SELECT 1 FROM component_items i WHERE i.document_id = doc.id AND i.approval = 'rejected') AS rejected,
                EXISTS (SELECT 1 FROM component_items i WHERE i.document_id = doc.id AND i.approval = 'approved'
                        AND i.removed_at IS NULL) AS approved,
                EXISTS (SELECT 1 FROM component_items i WHERE i.document_id = doc.id AND i.approval = 'pending'
                        AND i.removed_at IS NULL) AS pending
         FROM documents doc LEFT JOIN dossiers d ON d.id = doc.dossier_id
         WHERE coalesce(d.citizen_id, doc.citizen_id) = ?
           AND (doc.valid_until IS NULL OR doc.valid_until >= ?)
         ORDER BY doc.created_at DESC LIMIT 200`,
      )
      .all(citizenId, today) as CandidateRow[];
    // A document a supervisor rejected must be scanned again, not passed on (even once it was
    // taken off its component: the rejection stays on record).
    return rows
      .filter((row) => row.rejected === 0)
      .map((row) => ({
        documentId: row.id,
        title: row.title,
        docType: row.result_code !== null ? (row.result_doc_type ?? row.doc_type) : row.doc_type,
        validUntil: row.valid_until,
        pageCount: row.page_count,
        firstPageId: row.first_page_id,
        createdAt: row.created_at,
        dossierId: row.dossier_id,
        dossierCode: row.dossier_code,
        procedureCode: row.procedure_code,
        origin: row.result_code !== null ? 'result' : row.origin_component_id !== null ? 'component' : 'document',
        originComponentId: row.origin_component_id,
        originComponentName: row.origin_component_name,
        resultCode: row.result_code,
        approval: row.approved ? 'approved' : row.pending ? 'pending' : null,
        source: 'local',
      }));
  }
}

export async function lookupReusable(
  source: ReuseSource,
  rawCitizenId: string,
  today: string = vietnamIsoDate(new Date()),
): Promise<ReuseCandidate[]> {
  const id = parseCitizenId(rawCitizenId);
  if (!id.ok) throw new AppFailure('VALIDATION', id.message, id.messageEn, 'citizenId');
  await source.refresh?.(id.id);
  return source.documentsFor(id.id, today);
}
