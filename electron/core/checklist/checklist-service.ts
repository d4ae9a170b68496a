import { randomUUID } from 'node:crypto';
import type {
  Checklist,
  ChecklistComponent,
  ChecklistItem,
  DocumentRef,
  ReuseCandidate,
  ReuseSuggestions,
} from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import { isCalendarDate } from '../../../shared/domain/calendar';
import {
  componentFlags,
  type ApprovalState,
  type ComponentFlags,
  type ItemKind,
  type ReuseSourceKind,
} from '../../../shared/domain/component-state';
import { vietnamIsoDate } from '../../../shared/domain/working-days';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import { assertDossierOpen, CLOSED_STATUSES, dossierStatusOf, refreshDossierStatus } from '../dossiers/lifecycle';
import type { ReuseSource } from '../reuse/reuse-lookup';
import { dossierSyncRecord } from '../dossiers/sync-record';
import { writeOutbox } from '../sync/outbox';

/**
 * A dossier's component checklist. Each component is filled by documents scanned for it, or by
 * documents already digitized for the citizen and attached by reference (reuse), or is marked
 * missing with a reason. Its state and reuse flags are recomputed from its items in the
 * transaction that changes them, which also writes the dossier's sync record to the outbox.
 */

interface ComponentRow {
  id: string;
  dossier_id: string;
  position: number;
  code: string;
  name: string;
  doc_type: string;
  required: number;
  state: ChecklistComponent['state'];
  digitized: number;
  reused: number;
  from_national_store: number;
  replacing_result_code: string | null;
  missing_reason: string | null;
  originals: number;
  copies: number;
}

interface ItemRow {
  id: string;
  component_id: string;
  document_id: string;
  kind: ItemKind;
  source: ReuseSourceKind;
  origin_dossier_code: string | null;
  origin_result_code: string | null;
  approval: ApprovalState | null;
  approval_reason: string | null;
  added_by: string;
  added_at: string;
  title: string;
  page_count: number;
  doc_type: string | null;
  valid_until: string | null;
  first_page_id: number | null;
}

const ITEM_SELECT = `
  SELECT i.*, doc.title, doc.page_count, doc.doc_type, doc.valid_until,
         (SELECT id FROM pages WHERE document_id = doc.id ORDER BY page_no LIMIT 1) AS first_page_id
  FROM component_items i JOIN documents doc ON doc.id = i.document_id`;

function toItem(row: ItemRow): ChecklistItem {
  return {
    id: row.id,
    documentId: row.document_id,
    title: row.title,
    pageCount: row.page_count,
    firstPageId: row.first_page_id,
    kind: row.kind,
    source: row.source,
    originDossierCode: row.origin_dossier_code,
    originResultCode: row.origin_result_code,
    approval: row.approval,
    approvalReason: row.approval_reason,
    docType: row.doc_type,
    validUntil: row.valid_until,
    addedAt: row.added_at,
    addedBy: row.added_by,
  };
}

function toComponent(row: ComponentRow, items: ChecklistItem[]): ChecklistComponent {
  return {
    id: row.id,
    dossierId: row.dossier_id,
    position: row.position,
    code: row.code,
    name: row.name,
    docType: row.doc_type,
    required: row.required === 1,
    state: row.state,
    digitized: row.digitized === 1,
    reused: row.reused === 1,
    fromNationalStore: row.from_national_store === 1,
    replacingResultCode: row.replacing_result_code,
    missingReason: row.missing_reason,
    originals: row.originals,
    copies: row.copies,
    items,
  };
}

function componentRow(db: Db, componentId: string): ComponentRow {
  const row = db.prepare('SELECT * FROM dossier_components WHERE id = ?').get(componentId) as ComponentRow | undefined;
  if (!row) throw new AppFailure('NOT_FOUND', 'Không tìm thấy thành phần hồ sơ.', 'Dossier component not found.');
  return row;
}

export function getComponent(db: Db, componentId: string): ChecklistComponent {
  const row = componentRow(db, componentId);
  const items = (
    db
      .prepare(`${ITEM_SELECT} WHERE i.component_id = ? AND i.removed_at IS NULL ORDER BY i.added_at, i.id`)
      .all(componentId) as ItemRow[]
  ).map(toItem);
  return toComponent(row, items);
}

export function getChecklist(db: Db, dossierId: string): Checklist {
  const status = dossierStatusOf(db, dossierId);
  const dossier = db.prepare('SELECT catalog_version_id FROM dossiers WHERE id = ?').get(dossierId) as {
    catalog_version_id: number;
  };
  const rows = db
    .prepare('SELECT * FROM dossier_components WHERE dossier_id = ? ORDER BY position')
    .all(dossierId) as ComponentRow[];
  const items = db
    .prepare(
      `${ITEM_SELECT} JOIN dossier_components c ON c.id = i.component_id
       WHERE c.dossier_id = ? AND i.removed_at IS NULL ORDER BY i.added_at, i.id`,
    )
    .all(dossierId) as ItemRow[];
  const byComponent = new Map<string, ChecklistItem[]>();
  for (const item of items) {
    const list = byComponent.get(item.component_id) ?? [];
    list.push(toItem(item));
    byComponent.set(item.component_id, list);
  }
  const unassigned = db
    .prepare(
      `SELECT doc.id, doc.title, doc.page_count, doc.created_at,
              (SELECT id FROM pages WHERE document_id = doc.id ORDER BY page_no LIMIT 1) AS first_page_id
       FROM documents doc
       WHERE doc.dossier_id = ?
         AND NOT EXISTS (SELECT 1 FROM component_items i WHERE i.document_id = doc.id
                         AND i.component_id IN (SELECT id FROM dossier_components WHERE dossier_id = ?)
                         AND (i.removed_at IS NULL OR i.approval = 'rejected'))
       ORDER BY doc.created_at, doc.id`,
    )
    .all(dossierId, dossierId) as {
    id: string;
    title: string;
    page_count: number;
    created_at: string;
    first_page_id: number | null;
  }[];
  const components = rows.map((row) => toComponent(row, byComponent.get(row.id) ?? []));
  return {
    dossierId,
    catalogVersionId: dossier.catalog_version_id,
    components,
    unassigned: unassigned.map((doc): DocumentRef => ({
      documentId: doc.id,
      title: doc.title,
      pageCount: doc.page_count,
      firstPageId: doc.first_page_id,
      createdAt: doc.created_at,
    })),
    complete: components.every((c) => !c.required || c.state !== 'not_digitized' || c.missingReason !== null),
    locked: CLOSED_STATUSES.includes(status),
  };
}

/** Recomputes a component's state and flags from its items (the caller writes the outbox row). */
export function refreshComponent(db: Db, componentId: string): ComponentFlags {
  const items = db
    .prepare(
      'SELECT kind, source, approval, origin_result_code FROM component_items WHERE component_id = ? AND removed_at IS NULL',
    )
    .all(componentId) as {
    kind: ItemKind;
    source: ReuseSourceKind;
    approval: ApprovalState | null;
    origin_result_code: string | null;
  }[];
  const flags = componentFlags(
    items.map((item) => ({
      kind: item.kind,
      source: item.source,
      approval: item.approval,
      resultCode: item.origin_result_code,
    })),
  );
  const now = nowIso();
  db.prepare(
    `UPDATE dossier_components
     SET state = ?, digitized = ?, reused = ?, from_national_store = ?, replacing_result_code = ?,
         missing_reason = CASE WHEN ? = 'not_digitized' THEN missing_reason END, updated_at = ?
     WHERE id = ?`,
  ).run(
    flags.state,
    flags.digitized ? 1 : 0,
    flags.reused ? 1 : 0,
    flags.fromNationalStore ? 1 : 0,
    flags.replacingResultCode,
    flags.state,
    now,
    componentId,
  );
  return flags;
}

/** Runs a checklist change on an open dossier, then refreshes the component and the dossier status. */
function changeComponent(
  db: Db,
  componentId: string,
  actor: string,
  change: (component: ComponentRow) => void,
): ChecklistComponent {
  db.transaction(() => {
    const component = componentRow(db, componentId);
    assertDossierOpen(db, component.dossier_id);
    change(component);
    refreshComponent(db, componentId);
    refreshDossierStatus(db, component.dossier_id, actor);
    writeOutbox(db, 'dossier', component.dossier_id, 'update', dossierSyncRecord(db, component.dossier_id));
  })();
  return getComponent(db, componentId);
}

function checkDay(validUntil: string | null | undefined): void {
  if (validUntil === null || validUntil === undefined) return;
  const [y, m, d] = validUntil.split('-').map(Number);
  if (y === undefined || m === undefined || d === undefined || !isCalendarDate(y, m, d)) {
    throw new AppFailure(
      'VALIDATION',
      'Ngày hết hiệu lực không phải là một ngày có thật.',
      'The expiry date is not a real date.',
      'validUntil',
    );
  }
}

/**
 * Puts a document scanned into this dossier under a component. The component's document type
 * becomes the document's (the clerk has confirmed what it is); the scan waits for approval.
 */
export function assignDocument(
  db: Db,
  input: { componentId: string; documentId: string; validUntil?: string | null | undefined },
  actor: string,
): ChecklistComponent {
  checkDay(input.validUntil);
  return changeComponent(db, input.componentId, actor, (component) => {
    const doc = db.prepare('SELECT dossier_id FROM documents WHERE id = ?').get(input.documentId) as
      { dossier_id: string | null } | undefined;
    if (!doc) throw new AppFailure('NOT_FOUND', 'Không tìm thấy tài liệu.', 'Document not found.');
    if (doc.dossier_id !== component.dossier_id) {
      throw new AppFailure(
        'VALIDATION',
        'Tài liệu không thuộc hồ sơ này. Giấy tờ đã số hóa ở hồ sơ khác thì dùng “Dùng lại”.',
        'The document is not part of this dossier. Use “Reuse” for documents digitized in another dossier.',
        'documentId',
      );
    }
    assertNotAttached(db, component.id, input.documentId);
    const now = nowIso();
    const itemId = randomUUID();
    db.prepare(
      `INSERT INTO component_items (id, component_id, document_id, kind, source, approval, added_by, added_at)
       VALUES (?, ?, ?, 'scanned', 'local', 'pending', ?, ?)`,
    ).run(itemId, component.id, input.documentId, actor, now);
    db.prepare('UPDATE dossier_components SET missing_reason = NULL WHERE id = ?').run(component.id);
    db.prepare('UPDATE documents SET doc_type = ? WHERE id = ?').run(component.doc_type, input.documentId);
    if (input.validUntil !== undefined) {
      db.prepare('UPDATE documents SET valid_until = ? WHERE id = ?').run(input.validUntil, input.documentId);
    }
  });
}

function assertNotAttached(db: Db, componentId: string, documentId: string): void {
  const already = db
    .prepare('SELECT 1 FROM component_items WHERE component_id = ? AND document_id = ? AND removed_at IS NULL')
    .get(componentId, documentId);
  if (already) {
    throw new AppFailure(
      'CONFLICT',
      'Tài liệu đã có trong thành phần này.',
      'The document is already in this component.',
    );
  }
}

/**
 * Attaches a document already digitized for the citizen (another dossier's component or result)
 * instead of rescanning it. Only a reference is stored: no document row, no file is added.
 */
export function reuseDocument(
  db: Db,
  source: ReuseSource,
  input: { componentId: string; documentId: string },
  actor: string,
  today: string = vietnamIsoDate(new Date()),
): ChecklistComponent {
  return changeComponent(db, input.componentId, actor, (component) => {
    const dossier = db.prepare('SELECT citizen_id FROM dossiers WHERE id = ?').get(component.dossier_id) as {
      citizen_id: string;
    };
    const candidate = source.documentsFor(dossier.citizen_id, today).find((c) => c.documentId === input.documentId);
    if (!candidate) {
      throw new AppFailure(
        'VALIDATION',
        'Giấy tờ này không dùng lại được: đã hết hiệu lực, bị từ chối, hoặc không phải của công dân này.',
        'This document cannot be reused: it has expired, was rejected, or belongs to another citizen.',
        'documentId',
      );
    }
    if (candidate.dossierId === component.dossier_id) {
      throw new AppFailure(
        'VALIDATION',
        'Tài liệu này thuộc chính hồ sơ này: hãy gán nó vào thành phần thay vì dùng lại.',
        'This document belongs to this very dossier: assign it to the component instead of reusing it.',
        'documentId',
      );
    }
    assertNotAttached(db, component.id, input.documentId);
    // A result replaces the paper (MaKetQuaThayThe); anything else counts as reused from a component.
    const kind: ItemKind = candidate.origin === 'result' ? 'reused_result' : 'reused_component';
    const itemId = randomUUID();
    db.prepare(
      `INSERT INTO component_items (id, component_id, document_id, kind, source, origin_dossier_code,
                                    origin_component_id, origin_result_code, approval, added_by, added_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
    ).run(
      itemId,
      component.id,
      input.documentId,
      kind,
      candidate.source,
      candidate.dossierCode,
      candidate.originComponentId,
      kind === 'reused_result' ? candidate.resultCode : null,
      actor,
      nowIso(),
    );
    db.prepare('UPDATE dossier_components SET missing_reason = NULL WHERE id = ?').run(component.id);
    db.prepare('UPDATE documents SET doc_type = coalesce(doc_type, ?) WHERE id = ?').run(
      component.doc_type,
      input.documentId,
    );
  });
}

export function unassignItem(db: Db, itemId: string, actor: string): ChecklistComponent {
  const item = db
    .prepare('SELECT component_id, document_id FROM component_items WHERE id = ? AND removed_at IS NULL')
    .get(itemId) as { component_id: string; document_id: string } | undefined;
  if (!item) throw new AppFailure('NOT_FOUND', 'Không tìm thấy giấy tờ trong thành phần.', 'Component item not found.');
  return changeComponent(db, item.component_id, actor, () => {
    db.prepare('UPDATE component_items SET removed_at = ?, removed_by = ? WHERE id = ?').run(nowIso(), actor, itemId);
  });
}

export function markMissing(
  db: Db,
  input: { componentId: string; reason?: string | undefined },
  actor: string,
): ChecklistComponent {
  const reason = input.reason?.trim() ?? '';
  if (reason === '') {
    throw new AppFailure(
      'VALIDATION',
      'Hãy ghi lý do thiếu giấy tờ (ví dụ: công dân hẹn bổ sung sau).',
      'Give the reason the document is missing (e.g. the citizen will bring it later).',
      'reason',
    );
  }
  return changeComponent(db, input.componentId, actor, (component) => {
    const live = db
      .prepare(
        `SELECT count(*) AS n FROM component_items
         WHERE component_id = ? AND removed_at IS NULL AND (approval IS NULL OR approval != 'rejected')`,
      )
      .get(component.id) as { n: number };
    if (live.n > 0) {
      throw new AppFailure(
        'CONFLICT',
        'Thành phần đã có giấy tờ: gỡ giấy tờ trước khi đánh dấu thiếu.',
        'The component already holds a document: remove it before marking the component missing.',
      );
    }
    db.prepare('UPDATE dossier_components SET missing_reason = ? WHERE id = ?').run(reason, component.id);
  });
}

export function clearMissing(db: Db, componentId: string, actor: string): ChecklistComponent {
  return changeComponent(db, componentId, actor, (component) => {
    db.prepare('UPDATE dossier_components SET missing_reason = NULL WHERE id = ?').run(component.id);
  });
}

export function setCopies(
  db: Db,
  input: { componentId: string; originals: number; copies: number },
  actor: string,
): ChecklistComponent {
  return changeComponent(db, input.componentId, actor, (component) => {
    db.prepare('UPDATE dossier_components SET originals = ?, copies = ? WHERE id = ?').run(
      input.originals,
      input.copies,
      component.id,
    );
  });
}

export function setDocumentValidity(
  db: Db,
  input: { documentId: string; validUntil: string | null },
  actor: string,
): { documentId: string; validUntil: string | null; dossierId: string | null } {
  checkDay(input.validUntil);
  return db.transaction(() => {
    const doc = db.prepare('SELECT dossier_id FROM documents WHERE id = ?').get(input.documentId) as
      { dossier_id: string | null } | undefined;
    if (!doc) throw new AppFailure('NOT_FOUND', 'Không tìm thấy tài liệu.', 'Document not found.');
    db.prepare('UPDATE documents SET valid_until = ? WHERE id = ?').run(input.validUntil, input.documentId);
    writeOutbox(db, 'document', input.documentId, 'validity', { validUntil: input.validUntil, actor });
    return { documentId: input.documentId, validUntil: input.validUntil, dossierId: doc.dossier_id };
  })();
}

/**
 * For each component, the citizen's valid documents of its type that it does not hold yet; and
 * the citizen's other valid documents. This dossier's own scans are not offered (they are
 * assigned, not reused).
 */
export function suggestReuse(
  db: Db,
  source: ReuseSource,
  dossierId: string,
  today: string = vietnamIsoDate(new Date()),
): ReuseSuggestions {
  const checklist = getChecklist(db, dossierId);
  const dossier = db.prepare('SELECT citizen_id FROM dossiers WHERE id = ?').get(dossierId) as { citizen_id: string };
  const candidates = source.documentsFor(dossier.citizen_id, today).filter((c) => c.dossierId !== dossierId);
  const attached = new Set(checklist.components.flatMap((c) => c.items.map((i) => i.documentId)));
  const componentTypes = new Set(checklist.components.map((c) => c.docType));
  const notHeldBy = (component: ChecklistComponent) => (c: ReuseCandidate) =>
    !component.items.some((item) => item.documentId === c.documentId);
  return {
    dossierId,
    components: checklist.components.map((component) => ({
      componentId: component.id,
      candidates: candidates.filter((c) => c.docType === component.docType).filter(notHeldBy(component)),
    })),
    others: candidates.filter(
      (c) => !attached.has(c.documentId) && (c.docType === null || !componentTypes.has(c.docType)),
    ),
  };
}
