/** @module store/sqlite/sessions-repo — login sessions (hashed cookie values). */
import type { SessionRow } from '../contract.ts';
import { type Row, str } from './db.ts';
import { defineRepository } from './repository.ts';

const toSession = (r: Row): SessionRow => ({
  tenantId: str(r.tenant_id),
  id: str(r.id),
  userId: str(r.user_id),
  tokenHash: str(r.token_hash),
  createdAt: str(r.created_at),
  expiresAt: str(r.expires_at),
});

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
