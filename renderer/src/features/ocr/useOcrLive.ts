import { useState } from 'react';
import type { EventMap, OcrStatus } from '../../../../shared/api/contract';
import { useApiEvent } from '../../api';

export interface OcrLive {
  status: OcrStatus;
  progress: number;
}

/**
 * The latest `ocr.progress` per page, for the pages `accept` cares about. It overrides the status
 * from the last fetch, which is older than any event.
 */
export function useOcrLive(
  accept: (event: EventMap['ocr.progress']) => boolean,
  onEvent?: (event: EventMap['ocr.progress']) => void,
): ReadonlyMap<number, OcrLive> {
  const [live, setLive] = useState<ReadonlyMap<number, OcrLive>>(new Map());
  useApiEvent('ocr.progress', (event) => {
    if (!accept(event)) return;
    setLive((prev) => {
      const next = new Map(prev);
      next.set(event.pageId, { status: event.status, progress: event.progress });
      return next;
    });
    onEvent?.(event);
  });
  return live;
}
