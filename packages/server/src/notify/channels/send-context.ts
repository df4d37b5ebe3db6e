/**
 * @module notify/channels/send-context
 * What every channel sender gets besides the message, and what it returns.
 */
import type { GuardOptions } from '../ssrf-guard.ts';

/** Shared sending settings (from the server configuration). */
export interface SendContext {
  guard: GuardOptions;
  /** The server's public URL, to make links in messages absolute. */
  publicUrl?: string;
  /** Per-send deadline in ms (default 15 000). */
  timeoutMs?: number;
  /** Extra CA certificates trusted for HTTPS receivers (private deployments, tests). */
  ca?: string[];
}

/** How one send attempt ended. */
export interface SendOutcome {
  ok: boolean;
  /** HTTP status, or the SMTP reply code when known. */
  status?: number;
  /** One line for the delivery log: the receiver's answer or the error. */
  detail: string;
  /** False when trying again cannot help (target refused by the guard, 4xx other than 408/429). */
  retryable: boolean;
}

/** Classifies an HTTP answer (RFC 9110 §15: 408 and 429 are worth retrying, other 4xx are not). */
export function httpOutcome(status: number, body: string): SendOutcome {
  const detail = `HTTP ${status}${body ? `: ${body.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`;
  if (status >= 200 && status < 300) return { ok: true, status, detail, retryable: false };
  const retryable = status === 408 || status === 429 || status >= 500 || status < 200;
  return { ok: false, status, detail, retryable };
}

/** Turns a thrown error into an outcome (guard refusals are final). */
export function errorOutcome(err: unknown): SendOutcome {
  const e = err as Error & { code?: string };
  if (e?.code === 'NI_ERR_TARGET_FORBIDDEN') return { ok: false, detail: e.message, retryable: false };
  const cause = (e as { cause?: Error }).cause;
  return {
    ok: false,
    detail: `${e?.name === 'AbortError' || e?.name === 'TimeoutError' ? 'timed out' : (e?.message ?? String(err))}${cause ? ` (${cause.message})` : ''}`,
    retryable: true,
  };
}
