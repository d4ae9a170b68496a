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
      for (const token of input.uploads) {
        let upload: { file: string; name: string };
        try {
          upload = await uploads.resolve(token);
        } catch (error) {
          if (!(error instanceof AppFailure)) throw error;
          outcomes.push({ ok: false, name: '?', error: error.appError });
          continue;
        }
        const target = { dossierId: input.dossierId, citizenId: null, actor: actorOf(db, call) };
        outcomes.push(...(await services.importFiles([upload], target)));
        await uploads.discard(token);
      }
      return outcomes;
    },
    'pages.get': (input) => getPage(db, input.id),
    'tags.update': (input) => updateTag(db, input),
  };
}
