/**
 * @module notify/backoff
 * When to try a failed delivery again: exponential backoff with jitter, so
 * that a receiver that was down is not hit by every server at the same
 * instant when it returns ("equal jitter": half the delay fixed, half random;
 * see the AWS Architecture Blog, "Exponential Backoff and Jitter", 2015).
 */

/** Backoff settings. */
export interface BackoffOptions {
  /** Delay before the second attempt, in ms (default 30 s). */
  baseMs?: number;
  /** Upper bound of any delay, in ms (default 1 h). */
  maxMs?: number;
  /** Random source in [0, 1) (tests pass a fixed one). */
  random?: () => number;
}

/** Delay in ms after the `attempt`-th failed attempt (1-based). */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}): number {
  const base = opts.baseMs ?? 30_000;
  const max = opts.maxMs ?? 3_600_000;
  const exp = Math.min(max, base * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  const r = (opts.random ?? Math.random)();
  return Math.round(exp / 2 + (exp / 2) * r);
}
