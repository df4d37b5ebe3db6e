/**
 * @module step
 * The internal result type of one phase of a check (resolve, connect, tunnel,
 * handshake, request). Probe failures are data: a phase either yields a value
 * or a classified outcome, never an exception that escapes to the run.
 */
import type { FailOutcome, HttpDetail, PhaseTimings } from '@netinsights/protocol';
import { fail } from '@netinsights/protocol';

/** A phase that failed, with what was measured before it failed. */
export interface Failed {
  ok: false;
  outcome: FailOutcome;
  timings?: PhaseTimings;
  /** When a proxy answered instead of the origin (CONNECT refused, block page). */
  http?: HttpDetail;
}

export type Step<T> = ({ ok: true } & T) | Failed;

export function failed(outcome: FailOutcome, extra: Omit<Failed, 'ok' | 'outcome'> = {}): Failed {
  return { ok: false, outcome, ...extra };
}

/** Milliseconds since `start` (a performance.now() reading), rounded to 0.1 ms. */
export function since(start: number): number {
  return Math.max(0, Math.round((performance.now() - start) * 10) / 10);
}

/**
 * The outcome for a phase stopped by its signal: the phase's own timeout
 * class when the check's deadline fired, `probe/deadline` when the whole
 * run's deadline did.
 */
export function cutOff(runSignal: AbortSignal, timeout: FailOutcome, what: string): FailOutcome {
  if (runSignal.aborted) return fail('probe', 'deadline', `${what} was cut off by the run deadline`);
  return timeout;
}

/** Short text of an unknown error, with its code when it has one. */
export function errorText(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const code = typeof e?.code === 'string' ? e.code : undefined;
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
