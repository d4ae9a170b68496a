import type { DossierRecordInput } from '../../../shared/sync/records';
import type { Db } from '../db/database';

/**
 * The dossier as the central store receives it (shared/sync/records.ts, shaped after the national
 * portal; portal-mapping.ts turns it into DuocSoHoa, DuocTaiSuDung, DuocLayTuKhoDMQG,
 * MaKetQuaThayThe, KenhThucHien ...). Written to the outbox whole, when the dossier is created and
 * whenever its checklist or result changes, in that change's transaction.
 */
export function dossierSyncRecord(db: Db, dossierId: string): DossierRecordInput {
  const d = db
    .prepare(
      `SELECT d.*, p.name AS procedure_name FROM dossiers d
       LEFT JOIN catalog_procedures p ON p.version_id = d.catalog_version_id AND p.code = d.procedure_code
       WHERE d.id = ?`,
    )
    .get(dossierId) as {
    id: string;
    code: string;
    citizen_id: string;
    citizen_name: string;
    procedure_code: string;
    procedure_name: string | null;
    catalog_version_id: number;
    status: string;
    channel: 1 | 2 | 3;
    promised_return_date: string | null;
    result_code: string | null;
    result_document_id: string | null;
    created_at: string;
  };
  const components = db
    .prepare('SELECT * FROM dossier_components WHERE dossier_id = ? ORDER BY position')
    .all(dossierId) as {
    id: string;
    code: string;
    name: string;
    doc_type: string;
    required: number;
    state: 'not_digitized' | 'digitized' | 'reused_component' | 'reused_result';
    digitized: number;
    reused: number;
    from_national_store: number;
    replacing_result_code: string | null;
    missing_reason: string | null;
    originals: number;
    copies: number;
  }[];
  const liveDocuments = db.prepare(
    `SELECT document_id FROM component_items
     WHERE component_id = ? AND removed_at IS NULL AND (approval IS NULL OR approval != 'rejected')
     ORDER BY added_at, id`,
  );
  return {
    dossierId: d.id,
    code: d.code,
    procedureCode: d.procedure_code,
    channel: d.channel,
    owner: { citizenId: d.citizen_id, name: d.citizen_name },
    status: d.status,
    receivedAt: d.created_at,
    dueOn: d.promised_return_date,
    components: components.map((c) => ({
      code: c.code,
      name: c.name,
      state: c.state,
      digitized: c.digitized === 1,
      reused: c.reused === 1,
      fromNationalStore: c.from_national_store === 1,
      replacedByResult: c.replacing_result_code,
      documentIds: (liveDocuments.all(c.id) as { document_id: string }[]).map((row) => row.document_id),
    })),
    results:
      d.result_code === null
        ? []
        : [
            {
              code: d.result_code,
              name: d.procedure_name ?? '',
              digitized: d.result_document_id !== null,
              documentIds: d.result_document_id === null ? [] : [d.result_document_id],
            },
          ],
    extra: {
      catalogVersionId: d.catalog_version_id,
      // What the portal's component record has no field for: kept so the central copy is whole.
      components: components.map((c) => ({
        id: c.id,
        code: c.code,
        docType: c.doc_type,
        required: c.required === 1,
        missingReason: c.missing_reason,
        originals: c.originals,
        copies: c.copies,
      })),
    },
  };
}
