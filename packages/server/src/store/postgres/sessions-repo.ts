import { toSession } from '../row-decoders.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('sessions', (db) => ({
  async create(s) {
    await db.run(
      `INSERT INTO sessions (tenant_id, id, user_id, token_hash, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [s.tenantId, s.id, s.userId, s.tokenHash, s.createdAt, s.expiresAt],
    );
  },
  async findByTokenHash(tokenHash) {
    const r = await db.get('SELECT * FROM sessions WHERE token_hash = $1', [tokenHash]);
    return r && toSession(r);
  },
  async delete(tenantId, id) {
    await db.run('DELETE FROM sessions WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  },
  async deleteForUser(tenantId, userId) {
    await db.run('DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2', [tenantId, userId]);
  },
  async purgeExpired(now) {
    return (await db.run('DELETE FROM sessions WHERE expires_at <= $1', [now])).changes;
  },
}));
