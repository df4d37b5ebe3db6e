import { toApiToken } from '../row-decoders.ts';
import { defineRepository } from './repository.ts';

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
    return r && toApiToken(r);
  },
  async list(tenantId) {
    return (
      await db.all('SELECT * FROM api_tokens WHERE tenant_id = $1 ORDER BY created_at, id', [tenantId])
    ).map(toApiToken);
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
