/** @module store/postgres/api-tokens-repo — tokens for admins' automation (read / read-write). */
import type { ApiScope, ApiTokenRow } from '../contract.ts';
import { type Row, str, strOrNull } from './db.ts';
import { defineRepository } from './repository.ts';

const toToken = (r: Row): ApiTokenRow => ({
  tenantId: str(r.tenant_id),
  id: str(r.id),
  name: str(r.name),
  scope: str(r.scope) as ApiScope,
  tokenHash: str(r.token_hash),
  createdAt: str(r.created_at),
  lastUsedAt: strOrNull(r.last_used_at),
  revokedAt: strOrNull(r.revoked_at),
});

export const repository = defineRepository('apiTokens', (db) => ({
  async create(t) {
    await db.run(
      `INSERT INTO api_tokens (tenant_id, id, name, scope, token_hash, created_at, last_used_at, revoked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [t.tenantId, t.id, t.name, t.scope, t.tokenHash, t.createdAt, t.lastUsedAt, t.revokedAt],
    );
  },
  async findByTokenHash(tokenHash) {
    const r = await db.get('SELECT * FROM api_tokens WHERE token_hash = $1', [tokenHash]);
    return r && toToken(r);
  },
  async list(tenantId) {
    return (
      await db.all('SELECT * FROM api_tokens WHERE tenant_id = $1 ORDER BY created_at, id', [tenantId])
    ).map(toToken);
  },
  async revoke(tenantId, id, at) {
    const r = await db.run(
      'UPDATE api_tokens SET revoked_at = $3 WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL',
      [tenantId, id, at],
    );
    return r.changes > 0;
  },
  async touch(tenantId, id, at) {
    await db.run('UPDATE api_tokens SET last_used_at = $3 WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      id,
      at,
    ]);
  },
}));
