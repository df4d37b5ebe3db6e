/**
 * @module resolver-label
 * The unique DNS label a probe looks up in the zone delegated to the
 * collector, so the collector's DNS listener can tell which report the
 * question belongs to. It is an HMAC of the report id keyed with the SHA-256
 * of the agent token (what the collector stores of it): only a holder of
 * that tenant's token can make it, and the collector recomputes it from the
 * report id and the authenticated token when the report arrives — one
 * tenant cannot attach a resolver to another tenant's report. Not exported
 * from the package index: it needs `node:crypto`, and the dashboard bundles
 * the index.
 */
import { createHash, createHmac } from 'node:crypto';

/** Labels start with this, so the listener ignores other names in the zone cheaply. */
export const RESOLVER_LABEL_PREFIX = 'ni';
/** `ni` + 32 hex digits (128 bits of the HMAC): well under the 63-octet label limit (RFC 1035 §2.3.4). */
export const RESOLVER_LABEL = /^ni[0-9a-f]{32}$/;

/** The collector's key for a token: its SHA-256 in hex (auth/secrets.ts `hashSecret`). */
export function resolverKeyOfToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The label for `reportId` under `keyHex` (lower case: DNS names compare case-insensitively). */
export function resolverLabel(reportId: string, keyHex: string): string {
  const mac = createHmac('sha256', keyHex).update(reportId.toLowerCase()).digest('hex');
  return `${RESOLVER_LABEL_PREFIX}${mac.slice(0, 32)}`;
}
