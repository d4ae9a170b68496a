import type { SyncChange } from '../../../shared/sync/protocol';
import {
  DossierRecord,
  type DocumentRecordInput,
  type DossierStatusRecordInput,
  documentFiles,
  DocumentRecord,
} from '../../../shared/sync/records';
import type { Db } from '../db/database';
import type { DocumentsTableRow } from '../db/document-row';
import { dossierSyncRecord } from '../dossiers/sync-record';
import type { OutboxRow } from './outbox';

/**
 * Outbox rows → changes on the wire. Here the counter's tables meet the portal-shaped records of
 * shared/sync/records.ts: add a mapper to send a new kind of change in a shape the server
 * projects; a row without a mapper goes as written (the server keeps it as sent), so nothing is
 * ever held back for want of a mapping.
 */
type Mapper = (db: Db, row: OutboxRow) => WireChange | null;

export type WireChange = Omit<SyncChange, 'id' | 'at'>;

const MAPPERS: Record<string, Mapper> = {
  // The workflow writes the whole DossierRecord in the change's own transaction; older rows (from
  // before it) carried a few fields only, and get the dossier as it is now.
  'dossier.create': (db, row) => dossierChange(db, row, 'create'),
  'dossier.update': (db, row) => dossierChange(db, row, 'update'),
  'dossier.status': (db, row) => {
    const payload = row.payload as {
      to?: string;
      status?: string;
      actor?: string;
      at?: string;
      from?: string | null;
      note?: string | null;
    };
    const code = (
      db.prepare('SELECT code FROM dossiers WHERE id = ?').get(row.entityId) as { code: string } | undefined
    )?.code;
    const status = payload.to ?? payload.status;
    if (!code || !status) return null;
    const record: DossierStatusRecordInput = {
      dossierId: row.entityId,
      code,
      status,
      at: payload.at ?? row.createdAt,
      by: payload.actor ?? null,
      extra: { from: payload.from ?? null, note: payload.note ?? null },
    };
    return { entity: 'dossier', entityId: row.entityId, op: 'status', files: [], record };
  },
  'document.create': (db, row) => documentChange(db, row.entityId, 'create', null),
  // Validity and approvals change what other counters may reuse: send the document again, whole.
  'document.validity': (db, row) => documentChange(db, row.entityId, 'update', { entity: row.entity, op: row.op }),
  // Page edits (reorder, rotate, delete, split, merge, rescan) change its pages: send it again, whole.
  'document.pages': (db, row) => documentChange(db, row.entityId, 'update', { entity: row.entity, op: row.op }),
  'component_item.approval': (db, row) => {
    const item = db.prepare('SELECT document_id FROM component_items WHERE id = ?').get(row.entityId) as
      { document_id: string } | undefined;
    return item ? documentChange(db, item.document_id, 'update', { entity: row.entity, op: row.op }) : null;
  },
};

/**
 * The change to send for an outbox row: mapped when a mapper applies; otherwise the row's own
 * payload. A row whose mapper cannot build its record (what it refers to is gone) goes as
 * `<op>.raw`, which the server keeps as sent instead of refusing it as a malformed record.
 */
export function toWireChange(db: Db, row: OutboxRow): SyncChange {
  const mapper = MAPPERS[`${row.entity}.${row.op}`];
  const mapped = mapper?.(db, row) ?? null;
  const wire: WireChange = mapped ?? {
    entity: row.entity,
    entityId: row.entityId,
    op: mapper ? `${row.op}.raw` : row.op,
    files: [],
    record: isObject(row.payload) ? row.payload : { value: row.payload },
  };
  return { id: row.id, at: row.createdAt, ...wire };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dossierChange(db: Db, row: OutboxRow, op: 'create' | 'update'): WireChange | null {
  const written = DossierRecord.safeParse(row.payload);
  let record: Record<string, unknown>;
  if (written.success) {
    record = row.payload as Record<string, unknown>;
  } else {
    const exists = db.prepare('SELECT 1 FROM dossiers WHERE id = ?').get(row.entityId);
    if (!exists) return null;
    record = dossierSyncRecord(db, row.entityId) as unknown as Record<string, unknown>;
  }
  return { entity: 'dossier', entityId: row.entityId, op, files: [], record };
}

interface DocumentRow extends Omit<DocumentsTableRow, 'purged_at'> {
  dossier_code: string | null;
  procedure_code: string | null;
  citizen_name: string | null;
  source_size: number;
  source_mime: string;
}

interface PageRow {
  page_no: number;
  width: number;
  height: number;
  image_sha256: string;
  image_size: number;
  image_mime: string;
  thumb_sha256: string;
  thumb_size: number;
  thumb_mime: string;
}

/** A document as the central store keeps it: metadata, placement in its dossier, every file. */
export function documentRecord(db: Db, documentId: string): DocumentRecordInput | null {
  const doc = db
    .prepare(
      `SELECT doc.id, doc.dossier_id, coalesce(d.citizen_id, doc.citizen_id) AS citizen_id, doc.title, doc.source_name,
              doc.source_sha256, doc.page_count, doc.created_at, doc.doc_type, doc.valid_until,
              d.code AS dossier_code, d.procedure_code, d.citizen_name, b.size AS source_size, b.mime AS source_mime
       FROM documents doc LEFT JOIN dossiers d ON d.id = doc.dossier_id JOIN blobs b ON b.sha256 = doc.source_sha256
       WHERE doc.id = ?`,
    )
    .get(documentId) as DocumentRow | undefined;
  if (!doc) return null;
  const pages = db
    .prepare(
      `SELECT p.page_no, p.width, p.height, p.image_sha256, bi.size AS image_size, bi.mime AS image_mime,
              p.thumb_sha256, bt.size AS thumb_size, bt.mime AS thumb_mime
       FROM pages p JOIN blobs bi ON bi.sha256 = p.image_sha256 JOIN blobs bt ON bt.sha256 = p.thumb_sha256
       WHERE p.document_id = ? ORDER BY p.page_no`,
    )
    .all(documentId) as PageRow[];
  const result = db.prepare('SELECT result_code FROM dossiers WHERE result_document_id = ? LIMIT 1').get(documentId) as
    { result_code: string | null } | undefined;
  // The component it was scanned for, and the supervisor's decision on that scan.
  const placed = db
    .prepare(
      `SELECT c.code, c.name, i.approval, i.added_by FROM component_items i JOIN dossier_components c ON c.id = i.component_id
       WHERE i.document_id = ? AND i.kind = 'scanned' ORDER BY i.added_at LIMIT 1`,
    )
    .get(documentId) as
    { code: string; name: string; approval: 'pending' | 'approved' | 'rejected' | null; added_by: string } | undefined;
  const citizenId = doc.citizen_id && /^\d{12}$/.test(doc.citizen_id) ? doc.citizen_id : null;
  return {
    documentId: doc.id,
    kind: result ? 'result' : placed ? 'component' : 'unfiled',
    dossierId: doc.dossier_id,
    dossierCode: doc.dossier_code,
    procedureCode: doc.procedure_code,
    componentCode: placed?.code ?? null,
    componentName: placed?.name ?? null,
    resultCode: result?.result_code ?? null,
    docType: doc.doc_type,
    owner: { citizenId, name: doc.citizen_name ?? '' },
    title: doc.title,
    validUntil: doc.valid_until,
    pageCount: doc.page_count,
    digitizedAt: doc.created_at,
    digitizedBy: placed?.added_by ?? null,
    approval: placed?.approval ?? null,
    source: { sha256: doc.source_sha256, size: doc.source_size, mime: doc.source_mime, name: doc.source_name },
    pages: pages.map((page) => ({
      pageNo: page.page_no,
      width: page.width,
      height: page.height,
      image: { sha256: page.image_sha256, size: page.image_size, mime: page.image_mime },
      thumb: { sha256: page.thumb_sha256, size: page.thumb_size, mime: page.thumb_mime },
    })),
  };
}

function documentChange(
  db: Db,
  documentId: string,
  op: 'create' | 'update',
  cause: { entity: string; op: string } | null,
): WireChange | null {
  const record = documentRecord(db, documentId);
  const parsed = record ? DocumentRecord.safeParse(record) : null;
  if (!record || !parsed?.success) return null;
  const files = documentFiles(parsed.data);
  return {
    entity: 'document',
    entityId: documentId,
    op,
    files,
    record: { ...record, extra: cause ? { cause } : {} },
  };
}
