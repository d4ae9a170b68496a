import { useEffect, useState } from 'react';
import { api } from '../../api';

/**
 * The review threshold, fetched once for the whole page grid (every thumbnail's badge needs it)
 * and fetched again after an administrator saves a new one.
 */
let cached: Promise<number> | null = null;
/** The value once fetched: a view mounted later starts with it (no moment without flags). */
let known: number | null = null;
const listeners = new Set<(threshold: number) => void>();

function load(): Promise<number> {
  cached ??= api.call('ocr.settings', {}).then(
    (settings) => (known = settings.reviewThreshold),
    (error: unknown) => {
      cached = null; // try again next time
      throw error;
    },
  );
  return cached;
}

/** After the settings were saved: badges on screen follow the new threshold. */
export function reviewThresholdChanged(threshold: number): void {
  cached = Promise.resolve(threshold);
  known = threshold;
  for (const listener of listeners) listener(threshold);
}

/** The threshold (0-100), or null until it is known. */
export function useReviewThreshold(): number | null {
  const [threshold, setThreshold] = useState<number | null>(known);
  useEffect(() => {
    let live = true;
    load().then(
      (value) => {
        if (live) setThreshold(value);
      },
      () => undefined, // no badge rather than an error on every thumbnail
    );
    listeners.add(setThreshold);
    return () => {
      live = false;
      listeners.delete(setThreshold);
    };
  }, []);
  return threshold;
}
