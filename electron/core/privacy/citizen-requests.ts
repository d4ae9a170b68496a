import { randomUUID } from 'node:crypto';
import {
  parseVietnamInstant,
  requestDueAt,
  type CitizenRequest,
  type RequestKind,
} from '../../../shared/api/calls/privacy';
import { AppFailure } from '../../../shared/api/errors';
import { parseCitizenId } from '../../../shared/domain/citizen-id';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import { isRestricted } from './restrictions';

/**
 * A citizen's requests about their data, each tracked against the 72-hour limit: the due time is
 * the reception time plus 72 hours (an instant; shown in Vietnam time), overdue while open past it.
 */

interface RequestRow {
  id: string;
  citizen_id: string;
  kind: RequestKind;
  received_at: string;
  due_at: string;
  legal_basis: string;
  notes: string;
  status: 'open' | 'done' | 'refused';
  outcome: string | null;
  created_by: string;
  closed_by: string | null;
  closed_at: string | null;
}

function toRequest(db: Db, row: RequestRow, now: Date): CitizenRequest {
  const due = Date.parse(row.due_at);
  const closed = row.closed_at ? Date.parse(row.closed_at) : null;
  return {
    id: row.id,
    citizenId: row.citizen_id,
    kind: row.kind,
    receivedAt: row.received_at,
    dueAt: row.due_at,
    legalBasis: row.legal_basis,
    notes: row.notes,
    status: row.status,
    outcome: row.outcome,
    createdBy: row.created_by,
    closedBy: row.closed_by,
    closedAt: row.closed_at,
    overdue: closed === null ? now.getTime() > due : closed > due,
    hoursLeft: closed === null ? Math.round(((due - now.getTime()) / 3_600_000) * 10) / 10 : null,
    restricted: isRestricted(db, row.citizen_id),
  };
}

export function getRequest(db: Db, id: string, now = new Date()): CitizenRequest {
  const row = db.prepare('SELECT * FROM citizen_requests WHERE id = ?').get(id) as RequestRow | undefined;
  if (!row) throw new AppFailure('NOT_FOUND', 'Không tìm thấy yêu cầu.', 'Request not found.');
  return toRequest(db, row, now);
}

/** Open requests first, the most urgent on top; then closed ones, latest first. */
export function listRequests(db: Db, status: 'open' | 'all', now = new Date()): CitizenRequest[] {
  const rows = db
    .prepare(
      `SELECT * FROM citizen_requests ${status === 'open' ? "WHERE status = 'open'" : ''}
       ORDER BY status != 'open', CASE WHEN status = 'open' THEN due_at END, closed_at DESC LIMIT 500`,
    )
    .all() as RequestRow[];
  return rows.map((row) => toRequest(db, row, now));
}

export function createRequest(
  db: Db,
  input: { citizenId: string; kind: RequestKind; receivedAt?: string | undefined; legalBasis: string; notes: string },
  actor: string,
  now = new Date(),
): CitizenRequest {
  const id = parseCitizenId(input.citizenId);
  if (!id.ok) throw new AppFailure('VALIDATION', id.message, id.messageEn, 'citizenId');
  const received = input.receivedAt ? parseVietnamInstant(input.receivedAt) : now;
  if (!received)
    throw new AppFailure(
      'VALIDATION',
      'Thời điểm nhận yêu cầu không hợp lệ (dạng YYYY-MM-DDTHH:mm, giờ Việt Nam).',
      'The reception time is invalid (YYYY-MM-DDTHH:mm, Vietnam time).',
      'receivedAt',
    );
  if (received.getTime() > now.getTime() + 5 * 60_000)
    throw new AppFailure(
      'VALIDATION',
      'Thời điểm nhận yêu cầu không thể ở tương lai.',
      'The reception time cannot be in the future.',
      'receivedAt',
    );
  if (input.legalBasis === '')
    throw new AppFailure(
      'VALIDATION',
      'Hãy ghi căn cứ pháp lý của yêu cầu (ví dụ: quyền của chủ thể dữ liệu theo pháp luật bảo vệ dữ liệu cá nhân).',
      'Record the legal basis of the request.',
      'legalBasis',
    );
  const requestId = randomUUID();
  db.prepare(
    `INSERT INTO citizen_requests (id, citizen_id, kind, received_at, due_at, legal_basis, notes, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    requestId,
    id.id,
    input.kind,
    received.toISOString(),
    requestDueAt(received).toISOString(),
    input.legalBasis,
    input.notes,
    actor,
    nowIso(),
  );
  return getRequest(db, requestId, now);
}

/** The request, refused when it is closed or of another kind than the act asked for. */
export function openRequestOf(db: Db, id: string, kinds: readonly RequestKind[]): CitizenRequest {
  const request = getRequest(db, id);
  if (request.status !== 'open')
    throw new AppFailure('CONFLICT', 'Yêu cầu này đã đóng.', 'This request is already closed.');
  if (!kinds.includes(request.kind))
    throw new AppFailure(
      'CONFLICT',
      'Thao tác này không thuộc loại yêu cầu đã đăng ký.',
      'This action does not match the kind of request registered.',
    );
  return request;
}

export function closeRequest(
  db: Db,
  input: { id: string; status: 'done' | 'refused'; outcome: string },
  actor: string,
): CitizenRequest {
  const request = getRequest(db, input.id);
  if (request.status !== 'open')
    throw new AppFailure('CONFLICT', 'Yêu cầu này đã đóng.', 'This request is already closed.');
  if (input.status === 'refused' && input.outcome === '')
    throw new AppFailure(
      'VALIDATION',
      'Từ chối yêu cầu cần ghi rõ lý do.',
      'Refusing a request needs a reason.',
      'outcome',
    );
  db.prepare(
    `UPDATE citizen_requests SET status = ?, outcome = ?, closed_by = ?, closed_at = ? WHERE id = ? AND status = 'open'`,
  ).run(input.status, input.outcome || null, actor, nowIso(), input.id);
  return getRequest(db, input.id);
}
