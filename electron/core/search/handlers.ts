import type { searchCalls } from '../../../shared/api/calls/search';
import type { HandlerGroup } from '../dispatch';
import { lookupReusable } from '../reuse/reuse-lookup';
import type { Services } from '../services';
import { searchPages } from './page-search';

export function searchHandlers({ db, reuse }: Services): HandlerGroup<typeof searchCalls> {
  return {
    'search.query': (input) => searchPages(db, input.q, input.limit),
    'reuse.lookup': (input) => lookupReusable(reuse, input.citizenId),
  };
}
