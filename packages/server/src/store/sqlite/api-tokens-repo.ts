import { toApiToken } from '../row-decoders.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('apiTokens', (db) => ({
  create(t) {
    db.run(
      `INSERT INTO api_tokens (tenant_id, id, name, scope, token_hash, created_at, last_used_at, revoked_at)
       VALUES ($tenantId, $id, $name, $scope, $tokenHash, $createdAt, $lastUsedAt, $revokedAt)`,
      { ...t },
    );
  },
  findByTokenHash(tokenHash) {
    const r = db.get('SELECT * FROM api_tokens WHERE token_hash = $tokenHash', { tokenHash });
    return r && toApiToken(r);
  },
  list(tenantId) {
    return db
      .all('SELECT * FROM api_tokens WHERE tenant_id = $tenantId ORDER BY created_at, id', { tenantId })
      .map(toApiToken);
  },
  revoke(tenantId, id, at) {
    return (
      db.run(
        `UPDATE api_tokens SET revoked_at = $at
         WHERE tenant_id = $tenantId AND id = $id AND revoked_at IS NULL`,
        { tenantId, id, at },
      ).changes > 0
    );
  },
  touch(tenantId, id, at) {
    db.run('UPDATE api_tokens SET last_used_at = $at WHERE tenant_id = $tenantId AND id = $id', {
      tenantId,
      id,
      at,
    });
  },
}));
