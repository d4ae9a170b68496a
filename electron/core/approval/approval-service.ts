import type { ApprovalItem } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import type { ApprovalState } from '../../../shared/domain/component-state';
import { refreshComponent } from '../checklist/checklist-service';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import { refreshDossierStatus } from '../dossiers/lifecycle';
import { dossierSyncRecord } from '../dossiers/sync-record';
import { writeOutbox } from '../sync/outbox';

/**
 * The supervisor's check of what was digitized: each scanned item is pending, approved or
 * rejected with a reason. A rejected scan stops counting for its component (the dossier may go
 * back to "digitizing") and waits in the clerks' queue until it is removed or replaced.
 */

interface ApprovalRow {
  id: string;
  dossier_id: string;
  dossier_code: string;
  dossier_status: ApprovalItem['dossierStatus'];
  procedure_code: string;
  procedure_name: string | null;
  component_id: string;
  component_code: string;
  component_name: string;
  document_id: string;
  title: string;
  page_count: number;
  first_page_id: number | null;
  approval: ApprovalState;
  approval_reason: string | null;
  added_by: string;
  added_at: string;
  decided_by: string | null;
  decided_at: string | null;
}

const APPROVAL_SELECT = `
  SELECT i.id, i.approval, i.approval_reason, i.added_by, i.added_at, i.decided_by, i.decided_at, i.document_id,
         c.id AS component_id, c.code AS component_code, c.name AS component_name,
         d.id AS dossier_id, d.code AS dossier_code, d.status AS dossier_status, d.procedure_code,
         p.name AS procedure_name, doc.title, doc.page_count,
         (SELECT id FROM pages WHERE document_id = doc.id ORDER BY page_no LIMIT 1) AS first_page_id
  FROM component_items i
  JOIN dossier_components c ON c.id = i.component_id
  JOIN dossiers d ON d.id = c.dossier_id
  LEFT JOIN catalog_procedures p ON p.version_id = d.catalog_version_id AND p.code = d.procedure_code
  JOIN documents doc ON doc.id = i.document_id`;

function toApprovalItem(row: ApprovalRow): ApprovalItem {
  return {
    itemId: row.id,
    dossierId: row.dossier_id,
    dossierCode: row.dossier_code,
    dossierStatus: row.dossier_status,
    procedureCode: row.procedure_code,
    procedureName: row.procedure_name ?? '',
    componentId: row.component_id,
    componentCode: row.component_code,
    componentName: row.component_name,
    documentId: row.document_id,
    title: row.title,
    pageCount: row.page_count,
    firstPageId: row.first_page_id,
    approval: row.approval,
    reason: row.approval_reason,
    addedBy: row.added_by,
    addedAt: row.added_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
  };
}

/**
 * Items in one approval state, oldest first for the pending queue (first in, first checked),
 * newest decision first otherwise.
 */
export function listApprovalItems(
  db: Db,
  input: { status: ApprovalState; dossierId?: string | undefined; limit: number },
): ApprovalItem[] {
  const order = input.status === 'pending' ? 'i.added_at, i.id' : 'i.decided_at DESC, i.id';
  return (
    db
      .prepare(
        `${APPROVAL_SELECT} WHERE i.kind = 'scanned' AND i.removed_at IS NULL AND i.approval = ? AND (? IS NULL OR d.id = ?)
         ORDER BY ${order} LIMIT ?`,
      )
      .all(input.status, input.dossierId ?? null, input.dossierId ?? null, input.limit) as ApprovalRow[]
  ).map(toApprovalItem);
}

export function getApprovalItem(db: Db, itemId: string): ApprovalItem {
  const row = db.prepare(`${APPROVAL_SELECT} WHERE i.id = ?`).get(itemId) as ApprovalRow | undefined;
  if (!row) throw new AppFailure('NOT_FOUND', 'Không tìm thấy mục cần duyệt.', 'Approval item not found.');
  return toApprovalItem(row);
}

export function decideApproval(
  db: Db,
  input: { itemId: string; decision: 'approved' | 'rejected'; reason?: string | undefined },
  actor: string,
): ApprovalItem {
  const reason = input.reason?.trim() || null;
  if (input.decision === 'rejected' && reason === null) {
    throw new AppFailure(
      'VALIDATION',
      'Hãy ghi lý do từ chối để cán bộ tiếp nhận biết cần quét lại gì.',
      'Give the reason for rejecting, so the clerk knows what to scan again.',
      'reason',
    );
  }
  db.transaction(() => {
    const item = db
      .prepare('SELECT component_id, kind, approval FROM component_items WHERE id = ? AND removed_at IS NULL')
      .get(input.itemId) as { component_id: string; kind: string; approval: ApprovalState | null } | undefined;
    if (!item) throw new AppFailure('NOT_FOUND', 'Không tìm thấy mục cần duyệt.', 'Approval item not found.');
    if (item.kind !== 'scanned') {
      throw new AppFailure(
        'VALIDATION',
        'Giấy tờ dùng lại đã được duyệt ở nơi số hóa; không cần duyệt lại.',
        'A reused document was checked where it was digitized; it needs no approval here.',
      );
    }
    if (item.approval !== 'pending') {
      throw new AppFailure(
        'CONFLICT',
        item.approval === 'approved' ? 'Mục này đã được duyệt.' : 'Mục này đã bị từ chối.',
        item.approval === 'approved' ? 'This item was already approved.' : 'This item was already rejected.',
      );
    }
    const at = nowIso();
    db.prepare(
      'UPDATE component_items SET approval = ?, approval_reason = ?, decided_by = ?, decided_at = ? WHERE id = ?',
    ).run(input.decision, reason, actor, at, input.itemId);
    writeOutbox(db, 'component_item', input.itemId, 'approval', { approval: input.decision, reason, actor, at });
    refreshComponent(db, item.component_id);
    const { dossier_id } = db
      .prepare('SELECT dossier_id FROM dossier_components WHERE id = ?')
      .get(item.component_id) as {
      dossier_id: string;
    };
    refreshDossierStatus(db, dossier_id, actor);
    writeOutbox(db, 'dossier', dossier_id, 'update', dossierSyncRecord(db, dossier_id));
  })();
  return getApprovalItem(db, input.itemId);
}
