import type { captureCalls } from '../../../shared/api/calls/capture';
import type { HandlerGroup } from '../dispatch';
import type { HotFolderService } from '../hot-folder/hot-folder';
import type { Services } from '../services';
import { confirmBlank, forceOcr } from './capture-service';

export function captureHandlers(services: Services, hotFolders: HotFolderService): HandlerGroup<typeof captureCalls> {
  const { db, jobs, ocr } = services;
  return {
    'pages.confirmBlank': (input) => {
      const cleanup = confirmBlank(db, jobs, input.id, input.blank);
      ocr.kick();
      return cleanup;
    },
    'pages.forceOcr': (input) => {
      const queued = forceOcr(db, jobs, input.id);
      ocr.kick();
      return { queued };
    },
    'hotFolders.status': () => hotFolders.status(),
    'hotFolders.set': (input) => hotFolders.setFolders(input.paths),
    'hotFolders.setTarget': (input) => ({ targetDossierId: hotFolders.setTarget(input.dossierId) }),
  };
}
