import type { batchSplitCalls } from '../../../shared/api/calls/batch-split';
import { AppFailure } from '../../../shared/api/errors';
import type { Db } from '../db/database';
import type { HandlerGroup } from '../dispatch';
import { getDossier } from '../dossiers/dossier-service';
import { actorOf } from '../dossiers/lifecycle';
import type { PdfExports } from '../pdf/pdf-exports';
import type { Services } from '../services';
import { confirmBatch, describeBatch, listPendingBatches, rejectBatch, updateBatchGroups } from './batch-split';
import { renderSeparatorPdf, type SeparatorSheet } from './separators';

/** The sheets for a dossier: one per component (or the chosen one), then a generic "new document" sheet. */
export function separatorSheets(
  db: Db,
  dossierId: string,
  componentId?: string,
): { code: string; sheets: SeparatorSheet[] } {
  const dossier = getDossier(db, dossierId);
  const components = db
    .prepare('SELECT id, code, name FROM dossier_components WHERE dossier_id = ? ORDER BY position')
    .all(dossier.id) as { id: string; code: string; name: string }[];
  const chosen = componentId === undefined ? components : components.filter((c) => c.id === componentId);
  if (componentId !== undefined && chosen.length === 0)
    throw new AppFailure(
      'NOT_FOUND',
      'Không tìm thấy thành phần hồ sơ này.',
      'This dossier component was not found.',
      'componentId',
    );
  const sheets: SeparatorSheet[] = chosen.map((c) => ({
    dossierCode: dossier.code,
    componentCode: c.code,
    label: c.name,
  }));
  if (componentId === undefined) sheets.push({ dossierCode: null, componentCode: null, label: 'Tài liệu mới' });
  return { code: dossier.code, sheets };
}

export function batchSplitHandlers(services: Services, exports: PdfExports): HandlerGroup<typeof batchSplitCalls> {
  const { db, store, jobs, events, ocr } = services;
  const ctx = { db, store, jobs };
  /** Tells every window the batch moved, and the dossier when documents were created. */
  const decided = (batchId: string, result: { dossierId: string | null; documentIds: string[] }) => {
    events.emit('batch.changed', { dossierId: result.dossierId, batchId });
    for (const documentId of result.documentIds)
      events.emit('dossier.changed', { dossierId: result.dossierId, documentId });
    if (result.dossierId) events.emit('workflow.changed', { dossierId: result.dossierId });
    ocr.kick();
  };
  return {
    'separators.pdf': async (input) => {
      const { code, sheets } = separatorSheets(db, input.dossierId, input.componentId);
      const { bytes, pageCount } = await renderSeparatorPdf(sheets, `Tờ phân tách — ${code}`);
      return exports.offerPdf(`to-phan-tach-${code.replace(/[^A-Za-z0-9.-]+/g, '-')}.pdf`, bytes, pageCount);
    },
    'batches.list': (input) => listPendingBatches(ctx, input.dossierId),
    'batches.update': async (input) => {
      updateBatchGroups(db, input.batchId, input.groups);
      const batch = await describeBatch(ctx, input.batchId);
      events.emit('batch.changed', { dossierId: batch.dossierId, batchId: batch.id });
      return batch;
    },
    'batches.confirm': async (input, callCtx) => {
      const result = await confirmBatch(ctx, input.batchId, actorOf(db, callCtx));
      decided(input.batchId, result);
      return { documentIds: result.documentIds };
    },
    'batches.reject': (input, callCtx) => {
      const result = rejectBatch(ctx, input.batchId, actorOf(db, callCtx));
      decided(input.batchId, result);
      return { documentId: result.documentIds[0] ?? '' };
    },
  };
}
