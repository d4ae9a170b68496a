import type { pageEditingCalls } from '../../../shared/api/calls/page-editing';
import { AppFailure } from '../../../shared/api/errors';
import type { HandlerGroup } from '../dispatch';
import { actorOf } from '../dossiers/lifecycle';
import type { Services } from '../services';
import {
  assertPageEditable,
  assignPages,
  deletePage,
  mergeDocuments,
  movePage,
  pageEditState,
  replacePage,
  rotatePage,
  splitDocument,
  undoDeletePage,
} from './page-editing';

export function pageEditingHandlers(services: Services): HandlerGroup<typeof pageEditingCalls> {
  const { db, store, jobs, events, ocr, uploads } = services;
  const ctx = { db, store, jobs };
  /** Every window showing the dossier reloads it; the checklist too when an assignment moved. */
  const changed = <T extends { dossierId: string | null; documentId: string }>(value: T, workflow = false): T => {
    events.emit('dossier.changed', { dossierId: value.dossierId, documentId: value.documentId });
    if (workflow && value.dossierId) events.emit('workflow.changed', { dossierId: value.dossierId });
    ocr.kick();
    return value;
  };

  return {
    'pages.editState': (input) => pageEditState(db, input.dossierId),
    'pages.move': (input) => changed(movePage(db, input)),
    'pages.rotate': async (input) => changed(await rotatePage(ctx, input)),
    'pages.delete': (input, call) => {
      const deleted = deletePage(db, input, actorOf(db, call));
      // The checklist may have lost a document with its last page.
      const trash = db
        .prepare('SELECT dossier_id, document_id FROM page_trash WHERE page_id = ?')
        .get(deleted.pageId) as { dossier_id: string | null; document_id: string } | undefined;
      changed({ dossierId: trash?.dossier_id ?? null, documentId: trash?.document_id ?? '' }, true);
      return deleted;
    },
    'pages.undoDelete': (input) => changed(undoDeletePage(db, jobs, input), true),
    'pages.replace': async (input, call) => {
      const target = assertPageEditable(db, input.pageId);
      const upload = await uploads.resolve(input.upload);
      try {
        const [outcome] = await services.importFiles([upload], { ...target, actor: actorOf(db, call) });
        if (!outcome) throw new AppFailure('INTERNAL', 'Không nhập được tệp quét lại.', 'The rescan was not imported.');
        if (!outcome.ok) throw new AppFailure('UNSUPPORTED_FILE', outcome.error.message, outcome.error.messageEn);
        if (outcome.duplicate) {
          throw new AppFailure(
            'CONFLICT',
            'Tệp quét lại trùng với một tệp đã có trong kho; hãy quét lại thành tệp mới.',
            'The rescanned file is already stored; scan the page again into a new file.',
          );
        }
        const replaced = replacePage(
          db,
          { pageId: input.pageId, importedDocumentId: outcome.documentId },
          actorOf(db, call),
        );
        return changed({ ...replaced, replacedPageId: input.pageId });
      } finally {
        await uploads.discard(input.upload);
      }
    },
    'pages.assign': async (input, call) => changed(await assignPages(ctx, input, actorOf(db, call)), true),
    'documents.split': async (input) => changed(await splitDocument(ctx, input)),
    'documents.merge': (input) => changed(mergeDocuments(db, input), true),
  };
}
