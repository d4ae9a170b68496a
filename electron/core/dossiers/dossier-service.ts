import { randomUUID } from 'node:crypto';
import type { Dossier, DossierDetail, DocumentSummary, PageSummary } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import { parseCitizenId } from '../../../shared/domain/citizen-id';
import type { SubmissionChannel } from '../../../shared/domain/component-state';
import { promisedReturnDate, vietnamIsoDate } from '../../../shared/domain/working-days';
import type { Db } from '../db/database';
import { writeOutbox } from '../sync/outbox';
import { NEEDS_REVIEW_SQL, reviewThreshold } from '../ocr/review-threshold';
import { activeCatalogVersionId, findProcedure } from '../procedures/catalog';
import { nextDossierCode } from './dossier-codes';
import { recordStatusChange, refreshDossierStatus, SYSTEM_ACTOR } from './lifecycle';
import { dossierSyncRecord } from './sync-record';

export { DEFAULT_AGENCY } from '../config/unit-settings';

interface DossierRow {
  id: string;
  code: string;
  citizen_id: string;
  citizen_name: string;
  procedure_code: string;
  procedure_name: string | null;
  catalog_version_id: number;
  status: Dossier['status'];
  channel: SubmissionChannel;
  promised_return_date: string | null;
  result_code: string | null;
  created_at: string;
  updated_at: string;
  page_count: number;
  pages_to_review: number;
}

/** Binds `@reviewThreshold` (reviewParams): pages_to_review counts the pages needsReview flags. */
const DOSSIER_SELECT = `
  SELECT d.*, p.name AS procedure_name,
         (SELECT count(*) FROM pages pg JOIN documents doc ON doc.id = pg.document_id WHERE doc.dossier_id = d.id) AS page_count,
         (SELECT count(*) FROM pages pg JOIN documents doc ON doc.id = pg.document_id
           WHERE doc.dossier_id = d.id AND ${NEEDS_REVIEW_SQL}) AS pages_to_review
  FROM dossiers d
  LEFT JOIN catalog_procedures p ON p.version_id = d.catalog_version_id AND p.code = d.procedure_code`;

function reviewParams(db: Db): { reviewThreshold: number } {
  return { reviewThreshold: reviewThreshold(db) };
}

function toDossier(row: DossierRow): Dossier {
  return {
    id: row.id,
    code: row.code,
    citizenId: row.citizen_id,
    citizenName: row.citizen_name,
    procedureCode: row.procedure_code,
    procedureName: row.procedure_name ?? '',
    catalogVersionId: row.catalog_version_id,
    status: row.status,
    channel: row.channel,
    promisedReturnDate: row.promised_return_date,
    resultCode: row.result_code,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    pageCount: row.page_count,
    pagesToReview: row.pages_to_review,
  };
}

export interface CreateDossierInput {
  citizenId: string;
  citizenName: string;
  procedureCode: string;
  channel?: SubmissionChannel | undefined;
}

/**
 * Receives a dossier under the active catalog version: its code from this workstation's block,
 * its checklist copied from the procedure's components, its promised return date from the
 * procedure's processing days, and its first history row, all in one transaction.
 */
export function createDossier(
  db: Db,
  input: CreateDossierInput,
  options: { actor?: string; now?: Date } = {},
): Dossier {
  const id = parseCitizenId(input.citizenId);
  if (!id.ok) throw new AppFailure('VALIDATION', id.message, id.messageEn, 'citizenId');
  const versionId = activeCatalogVersionId(db);
  const procedure = findProcedure(db, input.procedureCode, versionId);
  if (!procedure)
    throw new AppFailure(
      'VALIDATION',
      'Thủ tục hành chính không có trong danh mục.',
      'The procedure is not in the catalog.',
      'procedureCode',
    );
  const dossierId = randomUUID();
  const receivedAt = options.now ?? new Date();
  const now = receivedAt.toISOString();
  const channel = input.channel ?? 1;
  const promised = procedure.processingDays === null ? null : promisedReturnDate(receivedAt, procedure.processingDays);
  const actor = options.actor ?? SYSTEM_ACTOR;
  db.transaction(() => {
    const { code, workstationNo } = nextDossierCode(db, receivedAt);
    db.prepare(
      `INSERT INTO dossiers (id, code, citizen_id, citizen_name, catalog_version_id, procedure_code, status, channel,
                             promised_return_date, workstation_no, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'received', ?, ?, ?, ?, ?)`,
    ).run(
      dossierId,
      code,
      id.id,
      input.citizenName,
      versionId,
      procedure.code,
      channel,
      promised,
      workstationNo,
      now,
      now,
    );
    const insertComponent = db.prepare(
      `INSERT INTO dossier_components (id, dossier_id, position, code, name, doc_type, required, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    procedure.components.forEach((c, position) =>
      insertComponent.run(randomUUID(), dossierId, position, c.code, c.name, c.docType, c.required ? 1 : 0, now),
    );
    writeOutbox(db, 'dossier', dossierId, 'create', dossierSyncRecord(db, dossierId));
    recordStatusChange(db, dossierId, null, 'received', actor, null, now);
    // IMMEDIATE: the app and a CLI batch may share the folder; take the write lock before reading
    // the counter, so neither fails half-way on a stale read.
  }).immediate();
  return getDossier(db, dossierId);
}

export function getDossier(db: Db, id: string): Dossier {
  const row = db.prepare(`${DOSSIER_SELECT} WHERE d.id = ?`).get(reviewParams(db), id) as DossierRow | undefined;
  if (!row) throw new AppFailure('NOT_FOUND', 'Không tìm thấy hồ sơ.', 'Dossier not found.');
  return toDossier(row);
}

export function listDossiers(db: Db, limit: number): Dossier[] {
  return (
    db.prepare(`${DOSSIER_SELECT} ORDER BY d.created_at DESC LIMIT ?`).all(reviewParams(db), limit) as DossierRow[]
  ).map(toDossier);
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
  const today = vietnamIsoDate(new Date());
  const rows = db
    .prepare(
      `${DOSSIER_SELECT} WHERE d.citizen_id = ? AND d.procedure_code = ? AND d.status IN ('received', 'digitizing')
       ORDER BY d.created_at DESC`,
    )
    .all(reviewParams(db), id.id, input.procedureCode) as DossierRow[];
  const open = rows.find((row) => vietnamIsoDate(new Date(row.created_at)) === today);
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

/** Moves a dossier along as its pages are added and recognized (see lifecycle.ts). */
export function updateDossierStatus(db: Db, dossierId: string, actor: string = SYSTEM_ACTOR): void {
  refreshDossierStatus(db, dossierId, actor);
}
