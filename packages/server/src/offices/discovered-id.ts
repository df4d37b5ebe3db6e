/**
 * @module offices/discovered-id
 * A discovered location's id is derived from its tenant and egress prefix
 * (a name-based UUID, RFC 9562 §5.8 layout over SHA-256), so ingest can write
 * a report and its location without first reading the location back.
 */
import { createHash } from 'node:crypto';

export function discoveredId(tenantId: string, egressPrefix: string): string {
  const h = createHash('sha256').update(`${tenantId}\u0000${egressPrefix}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x80; // version 8 (custom)
  h[8] = (h[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
