import type { ImportOutcome } from '../../../shared/api/contract';
import type { pageCalls } from '../../../shared/api/calls/pages';
import { AppFailure } from '../../../shared/api/errors';
import type { HandlerGroup } from '../dispatch';
import { actorOf } from '../dossiers/lifecycle';
import type { Services } from '../services';
import { updateTag } from '../tagging/page-tags';
import { getPage } from './page-service';

export function pageHandlers(services: Services): HandlerGroup<typeof pageCalls> {
  const { db, uploads } = services;
  return {
    'pages.import': async (input, call) => {
      const outcomes: ImportOutcome[] = [];
      // One file at a time, in the order the clerk picked them: page order follows.
      for (const [index, token] of input.uploads.entries()) {
        let upload: { file: string; name: string };
        try {
          upload = await uploads.resolve(token);
        } catch (error) {
          if (!(error instanceof AppFailure)) throw error;
          outcomes.push({ ok: false, name: '?', error: error.appError });
          continue;
        }
        const { importId } = input;
        const onPage = importId
          ? (page: number, pages: number): void =>
              services.events.emit('import.progress', {
                importId,
                file: index + 1,
                files: input.uploads.length,
                page,
                pages,
              })
          : undefined;
        const target = {
          dossierId: input.dossierId,
          citizenId: null,
          actor: actorOf(db, call),
          ...(onPage ? { onPage } : {}),
        };
        outcomes.push(...(await services.importFiles([upload], target)));
        await uploads.discard(token);
      }
      return outcomes;
    },
    'pages.get': (input) => getPage(db, input.id),
    'tags.update': (input) => updateTag(db, input),
  };
}
