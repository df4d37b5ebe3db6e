/** @module store/statements/users — admins of a tenant (login by e-mail), for both dialects. */
import type { UserRow } from '../contract.ts';
import { num, toUser } from '../row-decoders.ts';
import { changed, exec, first, many, noParams, one } from '../shared/statement.ts';

const byId = (tenantId: string, id: string) => ({ tenantId, id });

export const USERS = {
  create: exec(
    `INSERT INTO users (tenant_id, id, email, password_hash, role, created_at)
     VALUES ($tenantId, $id, $email, $passwordHash, $role, $createdAt)`,
    (u: UserRow) => u,
  ),
  findByEmail: one('SELECT * FROM users WHERE email = $email', (email: string) => ({ email }), toUser),
  get: one('SELECT * FROM users WHERE tenant_id = $tenantId AND id = $id', byId, toUser),
  list: many(
    'SELECT * FROM users WHERE tenant_id = $tenantId ORDER BY created_at, id',
    (tenantId: string) => ({ tenantId }),
    toUser,
  ),
  delete: changed('DELETE FROM users WHERE tenant_id = $tenantId AND id = $id', byId),
  count: first('SELECT count(*) AS n FROM users', noParams, (r) => num(r?.n)),
};
