/** @module store/statements/tenants — tenants (the root of every key), for both dialects. */
import type { TenantRow } from '../contract.ts';
import { num, toTenant } from '../row-decoders.ts';
import { exec, first, many, noParams, one } from '../shared/statement.ts';

export const TENANTS = {
  create: exec(
    'INSERT INTO tenants (id, name, created_at) VALUES ($id, $name, $createdAt)',
    (t: TenantRow) => t,
  ),
  get: one('SELECT * FROM tenants WHERE id = $id', (id: string) => ({ id }), toTenant),
  list: many('SELECT * FROM tenants ORDER BY created_at, id', noParams, toTenant),
  count: first('SELECT count(*) AS n FROM tenants', noParams, (r) => num(r?.n)),
};
