/**
 * @module notify/signature
 * Signing of generic webhook deliveries, and the check receivers run.
 *
 * The signature is HMAC-SHA256 (RFC 2104) over `<timestamp>.<raw body>`,
 * keyed with the channel secret, sent as
 *   X-Netinsights-Timestamp: <unix seconds>
 *   X-Netinsights-Signature: v1=<hex>
 * Binding the timestamp into the MAC lets a receiver refuse replays older
 * than its tolerance (default 5 minutes) without keeping state.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-netinsights-timestamp';
export const SIGNATURE_HEADER = 'x-netinsights-signature';
export const DELIVERY_HEADER = 'x-netinsights-delivery';

/** The `v1=<hex>` signature of `body` sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver has from the request. */
export interface VerifyInput {
  secret: string;
  /** Raw body exactly as received (before JSON parsing). */
  body: string | Buffer;
  timestamp: string | undefined;
  signature: string | undefined;
  /** Allowed clock difference in seconds (default 300). */
  toleranceSeconds?: number;
  /** Unix seconds; defaults to the current time. */
  now?: number;
}

/** Returns `{ ok: true }` or why the delivery must be rejected. */
export function verifyWebhook(input: VerifyInput): { ok: true } | { ok: false; reason: string } {
  if (!input.timestamp || !/^\d{1,12}$/.test(input.timestamp))
    return { ok: false, reason: 'missing or malformed X-Netinsights-Timestamp' };
  if (!input.signature) return { ok: false, reason: 'missing X-Netinsights-Signature' };
  const ts = Number(input.timestamp);
  const now = input.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - ts) > (input.toleranceSeconds ?? 300))
    return { ok: false, reason: 'timestamp outside the tolerance (replay or clock skew)' };
  const expected = Buffer.from(signWebhook(input.secret, ts, input.body.toString()));
  // Several signatures may be sent comma-separated during a secret rotation.
  for (const candidate of input.signature.split(',').map((s) => s.trim())) {
    const got = Buffer.from(candidate);
    if (got.length === expected.length && timingSafeEqual(got, expected)) return { ok: true };
  }
  return { ok: false, reason: 'signature does not match' };
}
