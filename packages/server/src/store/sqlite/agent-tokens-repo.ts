/** @module store/sqlite/agent-tokens-repo — tokens probes and agents upload with. */
import type { AgentTokenRow } from '../contract.ts';
import { type Row, str, strOrNull } from './db.ts';
import { defineRepository } from './repository.ts';

const toToken = (r: Row): AgentTokenRow => ({
  tenantId: str(r.tenant_id),
  id: str(r.id),
  name: str(r.name),
  officeId: strOrNull(r.office_id),
  tokenHash: str(r.token_hash),
  createdAt: str(r.created_at),
  lastUsedAt: strOrNull(r.last_used_at),
  revokedAt: strOrNull(r.revoked_at),
});

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
    return r && toToken(r);
  },
  list(tenantId) {
    return db
      .all('SELECT * FROM agent_tokens WHERE tenant_id = $tenantId ORDER BY created_at, id', { tenantId })
      .map(toToken);
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
