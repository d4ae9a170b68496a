import { readFile, stat } from 'node:fs/promises';
import type { workflowCalls } from '../../../shared/api/calls/workflow';
import { AppFailure } from '../../../shared/api/errors';
import { decideApproval, listApprovalItems } from '../approval/approval-service';
import { readUnitSettings, updateUnitSettings } from '../config/unit-settings';
import type { HandlerGroup } from '../dispatch';
import { getDossier } from '../dossiers/dossier-service';
import { actorOf, listStatusHistory, markReturned, recordResult } from '../dossiers/lifecycle';
import { MAX_CATALOG_BYTES } from '../procedures/catalog-file';
import { importCatalogFile, listCatalogVersions } from '../procedures/catalog';
import type { Services } from '../services';
import {
  assignDocument,
  clearMissing,
  getChecklist,
  markMissing,
  reuseDocument,
  setCopies,
  setDocumentValidity,
  suggestReuse,
  unassignItem,
} from './checklist-service';

export function workflowHandlers(services: Services): HandlerGroup<typeof workflowCalls> {
  const { db, uploads, events, reuse } = services;
  /** Tells every window the dossier's checklist, approvals or lifecycle moved. */
  const changed = <T extends { dossierId: string }>(value: T): T => {
    events.emit('workflow.changed', { dossierId: value.dossierId });
    return value;
  };

  return {
    'procedures.import': async (input, ctx) => {
      const upload = await uploads.resolve(input.upload);
      try {
        if ((await stat(upload.file)).size > MAX_CATALOG_BYTES) {
          throw new AppFailure(
            'VALIDATION',
            'Tệp danh mục quá lớn (tối đa 20 MB).',
            'The catalog file is too large (20 MB at most).',
            'file',
          );
        }
        const bytes = await readFile(upload.file);
        return importCatalogFile(db, bytes, upload.name, { label: input.label, actor: actorOf(db, ctx) });
      } finally {
        await uploads.discard(input.upload);
      }
    },
    'procedures.versions': () => listCatalogVersions(db),
    'settings.unit': () => readUnitSettings(db),
    'settings.updateUnit': (input) => updateUnitSettings(db, input),
    'checklist.get': (input) => getChecklist(db, input.dossierId),
    'checklist.assign': (input, ctx) => changed(assignDocument(db, input, actorOf(db, ctx))),
    'checklist.unassign': (input, ctx) => changed(unassignItem(db, input.itemId, actorOf(db, ctx))),
    'checklist.reuse': async (input, ctx) => {
      // A document from the central store is fetched (files checked by hash) before it is referred to.
      await reuse.prepare?.(input.documentId);
      return changed(reuseDocument(db, reuse, input, actorOf(db, ctx)));
    },
    'checklist.markMissing': (input, ctx) => changed(markMissing(db, input, actorOf(db, ctx))),
    'checklist.clearMissing': (input, ctx) => changed(clearMissing(db, input.componentId, actorOf(db, ctx))),
    'checklist.setCopies': (input, ctx) => changed(setCopies(db, input, actorOf(db, ctx))),
    'checklist.setValidity': (input, ctx) => {
      const result = setDocumentValidity(db, input, actorOf(db, ctx));
      if (result.dossierId) events.emit('workflow.changed', { dossierId: result.dossierId });
      return { documentId: result.documentId, validUntil: result.validUntil };
    },
    'reuse.suggest': async (input) => {
      // Online, the central store is asked for the citizen's documents first; offline this is a no-op.
      await reuse.refresh?.(getDossier(db, input.dossierId).citizenId);
      return suggestReuse(db, reuse, input.dossierId);
    },
    'approval.list': (input) => listApprovalItems(db, input),
    'approval.decide': (input, ctx) => changed(decideApproval(db, input, actorOf(db, ctx))),
    'dossiers.history': (input) => listStatusHistory(db, input.dossierId),
    'dossiers.recordResult': (input, ctx) => {
      recordResult(db, input, actorOf(db, ctx));
      events.emit('workflow.changed', { dossierId: input.dossierId });
      return getDossier(db, input.dossierId);
    },
    'dossiers.markReturned': (input, ctx) => {
      markReturned(db, input.dossierId, actorOf(db, ctx));
      events.emit('workflow.changed', { dossierId: input.dossierId });
      return getDossier(db, input.dossierId);
    },
  };
}
