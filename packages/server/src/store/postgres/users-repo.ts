import { toUser } from '../row-decoders.ts';
import { num } from './db.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('users', (db) => ({
  async create(u) {
    await db.run(
      `INSERT INTO users (tenant_id, id, email, password_hash, role, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [u.tenantId, u.id, u.email, u.passwordHash, u.role, u.createdAt],
    );
  },
  async findByEmail(email) {
    const r = await db.get('SELECT * FROM users WHERE email = $1', [email]);
    return r && toUser(r);
  },
  async get(tenantId, id) {
    const r = await db.get('SELECT * FROM users WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
    return r && toUser(r);
  },
  async list(tenantId) {
    return (await db.all('SELECT * FROM users WHERE tenant_id = $1 ORDER BY created_at, id', [tenantId])).map(
      toUser,
    );
  },
  async delete(tenantId, id) {
    return (await db.run('DELETE FROM users WHERE tenant_id = $1 AND id = $2', [tenantId, id])).changes > 0;
  },
  async count() {
    return num((await db.get('SELECT count(*) AS n FROM users'))?.n);
  },
}));
