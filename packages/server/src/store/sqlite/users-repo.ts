import { toUser } from '../row-decoders.ts';
import { num } from './db.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('users', (db) => ({
  create(u) {
    db.run(
      `INSERT INTO users (tenant_id, id, email, password_hash, role, created_at)
       VALUES ($tenantId, $id, $email, $passwordHash, $role, $createdAt)`,
      { ...u },
    );
  },
  findByEmail(email) {
    const r = db.get('SELECT * FROM users WHERE email = $email', { email });
    return r && toUser(r);
  },
  get(tenantId, id) {
    const r = db.get('SELECT * FROM users WHERE tenant_id = $tenantId AND id = $id', { tenantId, id });
    return r && toUser(r);
  },
  list(tenantId) {
    return db
      .all('SELECT * FROM users WHERE tenant_id = $tenantId ORDER BY created_at, id', { tenantId })
      .map(toUser);
  },
  delete(tenantId, id) {
    return db.run('DELETE FROM users WHERE tenant_id = $tenantId AND id = $id', { tenantId, id }).changes > 0;
  },
  count() {
    return num(db.get('SELECT count(*) AS n FROM users')?.n);
  },
}));
