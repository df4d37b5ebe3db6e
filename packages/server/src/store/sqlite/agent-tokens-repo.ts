import { toAgentToken } from '../row-decoders.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('agentTokens', (db) => ({
  create(t) {
    db.run(
      `INSERT INTO agent_tokens (tenant_id, id, name, office_id, token_hash, created_at, last_used_at, revoked_at)
       VALUES ($tenantId, $id, $name, $officeId, $tokenHash, $createdAt, $lastUsedAt, $revokedAt)`,
      { ...t },
    );
  },
  findByTokenHash(tokenHash) {
    const r = db.get('SELECT * FROM agent_tokens WHERE token_hash = $tokenHash', { tokenHash });
    return r && toAgentToken(r);
  },
  list(tenantId) {
    return db
      .all('SELECT * FROM agent_tokens WHERE tenant_id = $tenantId ORDER BY created_at, id', { tenantId })
      .map(toAgentToken);
  },
  revoke(tenantId, id, at) {
    return (
      db.run(
        `UPDATE agent_tokens SET revoked_at = $at
         WHERE tenant_id = $tenantId AND id = $id AND revoked_at IS NULL`,
        { tenantId, id, at },
      ).changes > 0
    );
  },
  touch(tenantId, id, at) {
    db.run('UPDATE agent_tokens SET last_used_at = $at WHERE tenant_id = $tenantId AND id = $id', {
      tenantId,
      id,
      at,
    });
  },
}));
