import type { cameraCalls, CameraCapture, FlattenReport } from '../../../shared/api/calls/camera';
import { AppFailure } from '../../../shared/api/errors';
import type { HandlerGroup } from '../dispatch';
import { actorOf } from '../dossiers/lifecycle';
import { mergeDocuments } from '../pages/page-editing';
import type { Services } from '../services';
import type { Raster } from './cleanup';
import { flattenPage } from './flatten';

/** `camera.import`: uploads like files, but each photo's sheet is flattened before cleanup. */
export function cameraHandlers(services: Services): HandlerGroup<typeof cameraCalls> {
  const { db, uploads, events } = services;
  const tryMerge = (documentId: string, intoDocumentId: string): string | null => {
    try {
      return mergeDocuments(db, { documentId, intoDocumentId }).documentId;
    } catch (error) {
      if (error instanceof AppFailure) return null;
      throw error;
    }
  };
  return {
    'camera.import': async (input, call) => {
      const captures: CameraCapture[] = [];
      let documentId = input.documentId;
      for (const token of input.uploads) {
        let upload: { file: string; name: string };
        try {
          upload = await uploads.resolve(token);
        } catch (error) {
          if (!(error instanceof AppFailure)) throw error;
          captures.push({ outcome: { ok: false, name: '?', error: error.appError }, flatten: null });
          continue;
        }
        let flatten: FlattenReport | null = null;
        const reshape = async (raster: Raster): Promise<Raster> => {
          const result = await flattenPage(raster);
          flatten = {
            corners: result.corners,
            miss: result.miss,
            frame: result.frame,
            page: { width: result.raster.width, height: result.raster.height },
          };
          return result.raster;
        };
        const [imported] = await services.importFiles([upload], {
          dossierId: input.dossierId,
          citizenId: null,
          reshape,
          actor: actorOf(db, call),
        });
        await uploads.discard(token);
        if (!imported) continue;
        let outcome = imported;
        if (outcome.ok && !outcome.duplicate) {
          const into = documentId;
          // The photo became a document of its own; its page joins the clerk's current document.
          // Should that document no longer take pages (removed, approved), the new one stays and
          // the next photos join it instead: the clerk sees where the page went.
          const merged = into ? tryMerge(outcome.documentId, into) : null;
          if (merged) {
            outcome = { ...outcome, documentId: merged };
            events.emit('dossier.changed', { dossierId: input.dossierId, documentId: merged });
          } else {
            documentId = outcome.documentId;
          }
        }
        captures.push({ outcome, flatten });
      }
      return captures;
    },
  };
}
