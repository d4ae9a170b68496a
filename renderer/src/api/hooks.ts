import { useCallback, useEffect, useEffectEvent, useLayoutEffect, useRef, useState } from 'react';
import type { CallInput, CallName, CallOutput, EventMap, EventName } from '../../../shared/api/contract';
import type { AppError } from '../../../shared/api/errors';
import { toAppError } from './api-error';
import { api } from './client';

export interface CallState<T> {
  data: T | undefined;
  error: AppError | undefined;
  loading: boolean;
  /** Fetches again, keeping the current data on screen until the answer arrives. */
  reload: () => void;
}

interface Settled<T> {
  requestKey: string;
  inputKey: string;
  data: T | undefined;
  error: AppError | undefined;
}

/**
 * Runs a call whenever its input changes (compared by value); `null` input skips the call.
 * Answers to an older input are dropped. Data of another input is not shown, unless
 * `keepPrevious` (search as you type: the last answer stays until the next one arrives).
 */
export function useCall<N extends CallName>(
  name: N,
  input: CallInput<N> | null,
  options: { keepPrevious?: boolean } = {},
): CallState<CallOutput<N>> {
  const inputKey = input === null ? null : `${name}\u0000${JSON.stringify(input)}`;
  const [generation, setGeneration] = useState(0);
  const requestKey = inputKey === null ? null : `${generation}\u0000${inputKey}`;
  const [settled, setSettled] = useState<Settled<CallOutput<N>> | null>(null);

  useEffect(() => {
    if (inputKey === null || requestKey === null) return;
    let live = true;
    const parsedInput = JSON.parse(inputKey.slice(name.length + 1)) as CallInput<N>;
    api.call(name, parsedInput).then(
      (data) => {
        if (live) setSettled({ requestKey, inputKey, data, error: undefined });
      },
      (e: unknown) => {
        if (!live) return;
        setSettled((prev) => ({
          requestKey,
          inputKey,
          data: prev?.inputKey === inputKey ? prev.data : undefined,
          error: toAppError(e),
        }));
      },
    );
    return () => {
      live = false;
    };
  }, [name, inputKey, requestKey]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const current =
    settled !== null && (settled.inputKey === inputKey || (options.keepPrevious && inputKey !== null)) ? settled : null;
  return {
    data: current?.data,
    error: current?.error,
    loading: requestKey !== null && settled?.requestKey !== requestKey,
    reload,
  };
}

/** Subscribes to a backend event for the component's lifetime; the listener may change freely. */
export function useApiEvent<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): void {
  const onEvent = useEffectEvent(listener);
  useEffect(() => api.subscribe(event, (payload) => onEvent(payload)), [event]);
}

/** The latest value of `value`, readable from callbacks without re-subscribing. */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}

/** A stable function that runs `fn` once, `ms` after the last call of a burst. */
export function useDebouncedCallback(fn: () => void, ms: number): () => void {
  const latest = useLatest(fn);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => latest.current(), ms);
  }, [latest, ms]);
}
