import type { DossierStatus, StatusChange } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import { readUnitSettings } from '../config/unit-settings';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import type { CallContext } from '../dispatch';
import type { DossierStatusRecordInput } from '../../../shared/sync/records';
import { writeOutbox } from '../sync/outbox';
import { dossierSyncRecord } from './sync-record';

/**
 * The dossier lifecycle: received → digitizing → digitized → result recorded → returned. The
 * first three follow the work (pages, their OCR, the checklist); the last two are the clerk's
 * acts. Every change is a row in `dossier_status_history` with who and when, and an outbox row,
 * in the transaction that makes it.
 */

/**
 * Who acted: the signed-in account's username (the CLI's is its --user / SOHOA_USER account, or
 * the administrator), so reports group by people. Only a call without any account (none can
 * change data: dispatch refuses it first) falls back to the host and workstation.
 */
export function actorOf(db: Db, ctx: Pick<CallContext, 'host' | 'user'>): string {
  return ctx.user?.username ?? `${ctx.host}:ws${readUnitSettings(db).workstationNo}`;
}

export const SYSTEM_ACTOR = 'system';

/** Statuses after which the dossier's content is closed: its result exists. */
export const CLOSED_STATUSES: readonly DossierStatus[] = ['result_recorded', 'returned'];

export function recordStatusChange(
  db: Db,
  dossierId: string,
  from: DossierStatus | null,
  to: DossierStatus,
  actor: string,
  note: string | null = null,
  at: string = nowIso(),
): void {
  db.prepare(
    'INSERT INTO dossier_status_history (dossier_id, from_status, to_status, actor, at, note) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(dossierId, from, to, actor, at, note);
  if (from !== null) db.prepare('UPDATE dossiers SET status = ?, updated_at = ? WHERE id = ?').run(to, at, dossierId);
  const { code } = db.prepare('SELECT code FROM dossiers WHERE id = ?').get(dossierId) as { code: string };
  const record: DossierStatusRecordInput = { dossierId, code, status: to, at, by: actor, extra: { from, note } };
  writeOutbox(db, 'dossier', dossierId, 'status', record);
}

interface WorkCounts {
  pages: number;
  finished: number;
  components: number;
  covered: number;
  uncoveredRequired: number;
}

function workCounts(db: Db, dossierId: string): WorkCounts {
  const pages = db
    .prepare(
      `SELECT count(*) AS pages, coalesce(sum(pg.ocr_status IN ('done', 'failed', 'cancelled')), 0) AS finished
       FROM pages pg JOIN documents doc ON doc.id = pg.document_id WHERE doc.dossier_id = ?`,
    )
    .get(dossierId) as { pages: number; finished: number };
  const components = db
    .prepare(
      `SELECT count(*) AS components,
              coalesce(sum(state != 'not_digitized'), 0) AS covered,
              coalesce(sum(required = 1 AND state = 'not_digitized' AND missing_reason IS NULL), 0) AS uncovered
       FROM dossier_components WHERE dossier_id = ?`,
    )
    .get(dossierId) as { components: number; covered: number; uncovered: number };
  return {
    ...pages,
    components: components.components,
    covered: components.covered,
    uncoveredRequired: components.uncovered,
  };
}

/**
 * Where the work says the dossier is: received while nothing is scanned or attached; digitized
 * once every page is recognized and every required component is digitized, reused or marked
 * missing (with at least one component filled); digitizing in between.
 */
export function workStatus(counts: WorkCounts): 'received' | 'digitizing' | 'digitized' {
  if (counts.pages === 0 && counts.covered === 0) return 'received';
  const pagesDone = counts.finished === counts.pages;
  const checklistDone = counts.uncoveredRequired === 0 && (counts.components === 0 || counts.covered > 0);
  return pagesDone && checklistDone ? 'digitized' : 'digitizing';
}

/** Moves a dossier along as its pages are recognized and its checklist fills (or loses a rejected scan). */
export function refreshDossierStatus(db: Db, dossierId: string, actor: string = SYSTEM_ACTOR): void {
  const row = db.prepare('SELECT status FROM dossiers WHERE id = ?').get(dossierId) as
    { status: DossierStatus } | undefined;
  if (!row || CLOSED_STATUSES.includes(row.status)) return;
  const next = workStatus(workCounts(db, dossierId));
  if (next !== row.status) recordStatusChange(db, dossierId, row.status, next, actor);
}

export function dossierStatusOf(db: Db, dossierId: string): DossierStatus {
  const row = db.prepare('SELECT status FROM dossiers WHERE id = ?').get(dossierId) as
    { status: DossierStatus } | undefined;
  if (!row) throw new AppFailure('NOT_FOUND', 'Không tìm thấy hồ sơ.', 'Dossier not found.');
  return row.status;
}

/** Refuses changes to the checklist of a dossier whose result is recorded. */
export function assertDossierOpen(db: Db, dossierId: string): void {
  if (CLOSED_STATUSES.includes(dossierStatusOf(db, dossierId))) {
    throw new AppFailure(
      'CONFLICT',
      'Hồ sơ đã có kết quả nên không sửa thành phần hồ sơ được nữa.',
      'The dossier already has its result: its components can no longer be changed.',
    );
  }
}

export function recordResult(
  db: Db,
  input: { dossierId: string; resultCode: string; documentId?: string | null | undefined },
  actor: string,
): void {
  const resultCode = input.resultCode.trim();
  if (resultCode === '') {
    throw new AppFailure(
      'VALIDATION',
      'Hãy nhập mã hoặc số ký hiệu của kết quả.',
      "Enter the result's code or number.",
      'resultCode',
    );
  }
  db.transaction(() => {
    const status = dossierStatusOf(db, input.dossierId);
    if (status !== 'digitized') {
      throw new AppFailure(
        'CONFLICT',
        status === 'received' || status === 'digitizing'
          ? 'Hồ sơ chưa số hóa xong (còn trang chưa nhận dạng hoặc thành phần chưa có giấy tờ) nên chưa ghi kết quả được.'
          : 'Hồ sơ đã có kết quả.',
        status === 'received' || status === 'digitizing'
          ? 'The dossier is not fully digitized yet (pages still being recognized or components without a document).'
          : 'The dossier already has its result.',
      );
    }
    if (input.documentId) {
      const doc = db
        .prepare('SELECT 1 FROM documents WHERE id = ? AND dossier_id = ?')
        .get(input.documentId, input.dossierId);
      if (!doc) {
        throw new AppFailure(
          'VALIDATION',
          'Bản quét kết quả phải là một tài liệu của hồ sơ này.',
          "The result's scan must be a document of this dossier.",
          'documentId',
        );
      }
    }
    db.prepare('UPDATE dossiers SET result_code = ?, result_document_id = ? WHERE id = ?').run(
      resultCode,
      input.documentId ?? null,
      input.dossierId,
    );
    recordStatusChange(db, input.dossierId, status, 'result_recorded', actor, resultCode);
    writeOutbox(db, 'dossier', input.dossierId, 'update', dossierSyncRecord(db, input.dossierId));
  })();
}

export function markReturned(db: Db, dossierId: string, actor: string): void {
  db.transaction(() => {
    const status = dossierStatusOf(db, dossierId);
    if (status !== 'result_recorded') {
      throw new AppFailure(
        'CONFLICT',
        status === 'returned' ? 'Hồ sơ đã trả kết quả.' : 'Chỉ trả kết quả cho hồ sơ đã ghi nhận kết quả.',
        status === 'returned'
          ? 'The result was already returned.'
          : 'Only a dossier with a recorded result can be returned.',
      );
    }
    recordStatusChange(db, dossierId, status, 'returned', actor);
  })();
}

interface HistoryRow {
  id: number;
  dossier_id: string;
  from_status: DossierStatus | null;
  to_status: DossierStatus;
  actor: string;
  at: string;
  note: string | null;
}

export function listStatusHistory(db: Db, dossierId: string): StatusChange[] {
  dossierStatusOf(db, dossierId);
  return (
    db.prepare('SELECT * FROM dossier_status_history WHERE dossier_id = ? ORDER BY id').all(dossierId) as HistoryRow[]
  ).map((row) => ({
    id: row.id,
    dossierId: row.dossier_id,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    actor: row.actor,
    at: row.at,
    note: row.note,
  }));
}
