/**
 * @module auth/secrets
 * Bearer secrets: agent tokens (`nia_…`), API tokens (`nit_…`) and session
 * cookies. 32 random bytes each (256 bits), shown once, stored only as their
 * SHA-256: a fast hash is enough for secrets with this much entropy (unlike
 * passwords, they cannot be guessed from a dictionary).
 */
import { hash, randomBytes } from 'node:crypto';

export const AGENT_TOKEN_PREFIX = 'nia_';
export const API_TOKEN_PREFIX = 'nit_';

export function newSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 in hex. One-shot `crypto.hash`: every authenticated request pays this, and it skips the Hash object. */
export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}
