import { randomUUID } from 'node:crypto';
import type { Dossier, DossierDetail, DocumentSummary, PageSummary } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import { parseCitizenId } from '../../../shared/domain/citizen-id';
import { formatDossierCode } from '../../../shared/domain/codes';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import { writeOutbox } from '../sync/outbox';
import { findProcedure } from '../procedures/catalog';
import { getSetting } from '../config/settings';

/** Until an admin configures the unit, codes use this placeholder agency identifier. */
export const DEFAULT_AGENCY = '000.00.00.H00';

interface DossierRow {
  id: string;
  code: string;
  citizen_id: string;
  citizen_name: string;
  procedure_code: string;
  procedure_name: string | null;
  status: Dossier['status'];
  created_at: string;
  page_count: number;
}

const DOSSIER_SELECT = `
  SELECT d.*, p.name AS procedure_name,
         (SELECT count(*) FROM pages pg JOIN documents doc ON doc.id = pg.document_id WHERE doc.dossier_id = d.id) AS page_count
  FROM dossiers d LEFT JOIN procedures p ON p.code = d.procedure_code`;

function toDossier(row: DossierRow): Dossier {
  return {
    id: row.id,
    code: row.code,
    citizenId: row.citizen_id,
    citizenName: row.citizen_name,
    procedureCode: row.procedure_code,
    procedureName: row.procedure_name ?? '',
    status: row.status,
    createdAt: row.created_at,
    pageCount: row.page_count,
  };
}

/**
 * The day of reception in Vietnam's time zone (UTC+7, no daylight saving), as a Date whose UTC
 * fields carry the local calendar date.
 */
export function vietnamDay(at: Date): Date {
  return new Date(at.getTime() + 7 * 3600_000);
}

/**
 * Next dossier code for this workstation. The sequence is per agency and day; uniqueness across
 * several offline workstations of one unit is the workflow issue's work (reserved blocks).
 */
function nextDossierCode(db: Db, at: Date): string {
  const agency = getSetting(db, 'unit.agencyCode') ?? DEFAULT_AGENCY;
  const day = vietnamDay(at);
  const dayKey = day.toISOString().slice(0, 10);
  const row = db
    .prepare(
      `INSERT INTO dossier_sequences (agency, day, last) VALUES (?, ?, 1)
       ON CONFLICT (agency, day) DO UPDATE SET last = last + 1 RETURNING last`,
    )
    .get(agency, dayKey) as { last: number };
  return formatDossierCode(agency, day, row.last);
}

export function createDossier(
  db: Db,
  input: { citizenId: string; citizenName: string; procedureCode: string },
): Dossier {
  const id = parseCitizenId(input.citizenId);
  if (!id.ok) throw new AppFailure('VALIDATION', id.message, id.messageEn, 'citizenId');
  const procedure = findProcedure(db, input.procedureCode);
  if (!procedure)
    throw new AppFailure(
      'VALIDATION',
      'Thủ tục hành chính không có trong danh mục.',
      'The procedure is not in the catalog.',
      'procedureCode',
    );
  const dossierId = randomUUID();
  const now = nowIso();
  db.transaction(() => {
    const code = nextDossierCode(db, new Date(now));
    db.prepare(
      `INSERT INTO dossiers (id, code, citizen_id, citizen_name, procedure_code, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'received', ?, ?)`,
    ).run(dossierId, code, id.id, input.citizenName, procedure.code, now, now);
    writeOutbox(db, 'dossier', dossierId, 'create', { code, procedureCode: procedure.code, citizenId: id.id });
  })();
  return getDossier(db, dossierId);
}

export function getDossier(db: Db, id: string): Dossier {
  const row = db.prepare(`${DOSSIER_SELECT} WHERE d.id = ?`).get(id) as DossierRow | undefined;
  if (!row) throw new AppFailure('NOT_FOUND', 'Không tìm thấy hồ sơ.', 'Dossier not found.');
  return toDossier(row);
}

export function listDossiers(db: Db, limit: number): Dossier[] {
  return (db.prepare(`${DOSSIER_SELECT} ORDER BY d.created_at DESC LIMIT ?`).all(limit) as DossierRow[]).map(toDossier);
}

/**
 * The open dossier for a citizen and procedure received today, or a new one: lets a batch that
 * was interrupted and run again land in the same dossier instead of a second one.
 */
export function findOrCreateOpenDossier(
  db: Db,
  input: { citizenId: string; citizenName: string; procedureCode: string },
): Dossier {
  const id = parseCitizenId(input.citizenId);
  if (!id.ok) throw new AppFailure('VALIDATION', id.message, id.messageEn, 'citizenId');
  const today = vietnamDay(new Date()).toISOString().slice(0, 10);
  const rows = db
    .prepare(
      `${DOSSIER_SELECT} WHERE d.citizen_id = ? AND d.procedure_code = ? AND d.status != 'digitized'
       ORDER BY d.created_at DESC`,
    )
    .all(id.id, input.procedureCode) as DossierRow[];
  const open = rows.find((row) => vietnamDay(new Date(row.created_at)).toISOString().slice(0, 10) === today);
  return open ? toDossier(open) : createDossier(db, { ...input, citizenId: id.id });
}

interface PageRow {
  id: number;
  document_id: string;
  page_no: number;
  width: number;
  height: number;
  ocr_status: PageSummary['ocrStatus'];
  ocr_confidence: number | null;
}

export function toPageSummary(row: PageRow): PageSummary {
  return {
    id: row.id,
    documentId: row.document_id,
    pageNo: row.page_no,
    width: row.width,
    height: row.height,
    ocrStatus: row.ocr_status,
    confidence: row.ocr_confidence,
  };
}

export function listDocuments(db: Db, where: { dossierId: string } | { documentIds: string[] }): DocumentSummary[] {
  const docs =
    'dossierId' in where
      ? (db
          .prepare('SELECT * FROM documents WHERE dossier_id = ? ORDER BY created_at, id')
          .all(where.dossierId) as DocumentRow[])
      : where.documentIds.map((docId) => db.prepare('SELECT * FROM documents WHERE id = ?').get(docId) as DocumentRow);
  const pagesOf = db.prepare(
    'SELECT id, document_id, page_no, width, height, ocr_status, ocr_confidence FROM pages WHERE document_id = ? ORDER BY page_no',
  );
  return docs.map((doc) => ({
    id: doc.id,
    dossierId: doc.dossier_id,
    title: doc.title,
    sourceName: doc.source_name,
    createdAt: doc.created_at,
    pages: (pagesOf.all(doc.id) as PageRow[]).map(toPageSummary),
  }));
}

interface DocumentRow {
  id: string;
  dossier_id: string | null;
  title: string;
  source_name: string;
  created_at: string;
}

export function getDossierDetail(db: Db, id: string): DossierDetail {
  return { dossier: getDossier(db, id), documents: listDocuments(db, { dossierId: id }) };
}

/** Moves a dossier along as its pages are added and recognized. */
export function updateDossierStatus(db: Db, dossierId: string): void {
  const counts = db
    .prepare(
      `SELECT count(*) AS total, sum(pg.ocr_status IN ('done', 'failed')) AS finished
       FROM pages pg JOIN documents doc ON doc.id = pg.document_id WHERE doc.dossier_id = ?`,
    )
    .get(dossierId) as { total: number; finished: number | null };
  const status = counts.total === 0 ? 'received' : counts.finished === counts.total ? 'digitized' : 'digitizing';
  const changed = db
    .prepare(`UPDATE dossiers SET status = ?, updated_at = ? WHERE id = ? AND status != ?`)
    .run(status, nowIso(), dossierId, status);
  if (changed.changes > 0) writeOutbox(db, 'dossier', dossierId, 'status', { status });
}
