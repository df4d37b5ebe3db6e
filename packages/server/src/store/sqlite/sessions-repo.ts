import { toSession } from '../row-decoders.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('sessions', (db) => ({
  create(s) {
    db.run(
      `INSERT INTO sessions (tenant_id, id, user_id, token_hash, created_at, expires_at)
       VALUES ($tenantId, $id, $userId, $tokenHash, $createdAt, $expiresAt)`,
      { ...s },
    );
  },
  findByTokenHash(tokenHash) {
    const r = db.get('SELECT * FROM sessions WHERE token_hash = $tokenHash', { tokenHash });
    return r && toSession(r);
  },
  delete(tenantId, id) {
    db.run('DELETE FROM sessions WHERE tenant_id = $tenantId AND id = $id', { tenantId, id });
  },
  deleteForUser(tenantId, userId) {
    db.run('DELETE FROM sessions WHERE tenant_id = $tenantId AND user_id = $userId', { tenantId, userId });
  },
  purgeExpired(now) {
    return db.run('DELETE FROM sessions WHERE expires_at <= $now', { now }).changes;
  },
}));
