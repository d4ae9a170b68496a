import type { syncCalls } from '../../../shared/api/calls/sync';
import type { HandlerGroup } from '../dispatch';
import type { Services } from '../services';

export function syncHandlers({ sync }: Services): HandlerGroup<typeof syncCalls> {
  return {
    'sync.status': () => sync.status(),
    'sync.now': () => sync.syncNow(),
    'sync.enrol': (input) => sync.enrol(input),
    'sync.fetchDocument': (input) => sync.fetchDocument(input.documentId),
  };
}
