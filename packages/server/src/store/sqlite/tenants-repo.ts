/** @module store/sqlite/tenants-repo — tenants (the root of every key). */
import type { TenantRow } from '../contract.ts';
import { num, type Row, str } from './db.ts';
import { defineRepository } from './repository.ts';

const toTenant = (r: Row): TenantRow => ({ id: str(r.id), name: str(r.name), createdAt: str(r.created_at) });

export const repository = defineRepository('tenants', (db) => ({
  create(t) {
    db.run('INSERT INTO tenants (id, name, created_at) VALUES ($id, $name, $createdAt)', {
      id: t.id,
      name: t.name,
      createdAt: t.createdAt,
    });
  },
  get(id) {
    const r = db.get('SELECT * FROM tenants WHERE id = $id', { id });
    return r && toTenant(r);
  },
  list() {
    return db.all('SELECT * FROM tenants ORDER BY created_at, id').map(toTenant);
  },
  count() {
    return num(db.get('SELECT count(*) AS n FROM tenants')?.n);
  },
}));
