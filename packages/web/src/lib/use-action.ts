/**
 * @module lib/use-action
 * The state of what an admin asked for with a button or a form: whether it
 * is on its way (`busy`, to disable the button and say "Saving…"), the error
 * it ended in, and whether it succeeded (`saved`, until the next edit). All
 * actions of one view share one error, so only the latest failure shows.
 */
import { useCallback, useState } from 'react';

export interface Action {
  busy: boolean;
  error: Error | null;
  /** True once a `submit` succeeded; `edited()` clears it. */
  saved: boolean;
  /** Runs `fn` as the view's main action: busy meanwhile, saved after. Resolves to whether it succeeded. */
  submit: (fn: () => Promise<void>) => Promise<boolean>;
  /** Runs `fn` as a side action (revoke, delete, test): it clears and sets the error, not `busy`. */
  run: (fn: () => Promise<void>) => Promise<boolean>;
  /** The draft changed since the last save. */
  edited: () => void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [saved, setSaved] = useState(false);

  const run = useCallback(async (fn: () => Promise<void>) => {
    setError(null);
    try {
      await fn();
      return true;
    } catch (err) {
      setError(err as Error);
      return false;
    }
  }, []);

  const submit = useCallback(async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      setSaved(true);
      return true;
    } catch (err) {
      setError(err as Error);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);

  const edited = useCallback(() => setSaved(false), []);
  return { busy, error, saved, submit, run, edited };
}
