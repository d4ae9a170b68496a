import { useCallback, useState } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import { toAppError } from '../../api';

/**
 * Runs the clerk's actions one at a time: `busy` disables the buttons meanwhile, a refusal is
 * kept to be shown (in Vietnamese) until the next action, and `onDone` reloads what changed.
 */
export function useAction(onDone: () => void): {
  run: (action: () => Promise<unknown>) => Promise<boolean>;
  busy: boolean;
  error: AppError | null;
  clearError: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const run = useCallback(
    async (action: () => Promise<unknown>) => {
      setBusy(true);
      setError(null);
      try {
        await action();
        onDone();
        return true;
      } catch (e) {
        setError(toAppError(e));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [onDone],
  );
  const clearError = useCallback(() => setError(null), []);
  return { run, busy, error, clearError };
}
