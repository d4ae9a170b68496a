import type { searchCalls } from '../../../shared/api/calls/search';
import type { HandlerGroup } from '../dispatch';
import { lookupReusable } from '../reuse/reuse-lookup';
import type { Services } from '../services';
import { searchPages } from './page-search';

export function searchHandlers({ db, reuse }: Services): HandlerGroup<typeof searchCalls> {
  return {
    // A citizen's restricted data is found by administrators only (privacy/restrictions.ts).
    'search.query': (input, ctx) =>
      searchPages(db, input.q, input.limit, { hideRestricted: ctx.user?.role !== 'admin' }),
    'reuse.lookup': (input) => lookupReusable(reuse, input.citizenId),
  };
}
