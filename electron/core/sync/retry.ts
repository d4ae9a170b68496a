/**
 * Exponential backoff with full jitter: the n-th retry waits a random time in [0, min(max, base·2^n)),
 * so hundreds of counters coming back online at once do not hit the server in lockstep.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface RetryOptions extends BackoffPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  isRetryable: (error: unknown) => boolean;
  /** A server's Retry-After, when it gave one, overrides the computed delay (capped at maxMs). */
  retryAfterMs?: (error: unknown) => number | null;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** True once the caller is shutting down: no further tries. */
  cancelled?: () => boolean;
}

/** Runs `fn`, retrying retryable failures with backoff; the last failure is thrown. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt + 1 >= options.attempts || !options.isRetryable(error) || options.cancelled?.()) throw error;
      const hinted = options.retryAfterMs?.(error) ?? null;
      const delay = hinted !== null ? Math.min(options.maxMs, hinted) : backoffDelay(attempt, options);
      options.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}
