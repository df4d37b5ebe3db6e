/** @module store/postgres/tenants-repo — tenants (the root of every key). */
import type { TenantRow } from '../contract.ts';
import { num, type Row, str } from './db.ts';
import { defineRepository } from './repository.ts';

const toTenant = (r: Row): TenantRow => ({ id: str(r.id), name: str(r.name), createdAt: str(r.created_at) });

export const repository = defineRepository('tenants', (db) => ({
  async create(t) {
    await db.run('INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3)', [
      t.id,
      t.name,
      t.createdAt,
    ]);
  },
  async get(id) {
    const r = await db.get('SELECT * FROM tenants WHERE id = $1', [id]);
    return r && toTenant(r);
  },
  async list() {
    return (await db.all('SELECT * FROM tenants ORDER BY created_at, id')).map(toTenant);
  },
  async count() {
    return num((await db.get('SELECT count(*) AS n FROM tenants'))?.n);
  },
}));
