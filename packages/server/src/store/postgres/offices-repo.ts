/** @module store/postgres/offices-repo — offices an admin defined. */
import type { OfficeRow } from '../contract.ts';
import { toOffice } from '../row-decoders.ts';
import { defineRepository } from './repository.ts';

/** The mutable columns, in $3… order after (tenant_id, id). */
const fields = (o: OfficeRow) => [
  o.name,
  o.address,
  o.city,
  o.country,
  o.latitude,
  o.longitude,
  JSON.stringify(o.lanSubnets),
  JSON.stringify(o.egressRanges),
  o.updatedAt,
];

export const repository = defineRepository('offices', (db) => ({
  async create(o) {
    await db.run(
      `INSERT INTO offices (tenant_id, id, name, address, city, country, latitude, longitude,
         lan_subnets, egress_ranges, updated_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [o.tenantId, o.id, ...fields(o), o.createdAt],
    );
  },
  async get(tenantId, id) {
    const r = await db.get('SELECT * FROM offices WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
    return r && toOffice(r);
  },
  async list(tenantId) {
    return (await db.all('SELECT * FROM offices WHERE tenant_id = $1 ORDER BY name, id', [tenantId])).map(
      toOffice,
    );
  },
  async update(o) {
    // created_at is not updatable
    const r = await db.run(
      `UPDATE offices SET name = $3, address = $4, city = $5, country = $6, latitude = $7, longitude = $8,
         lan_subnets = $9, egress_ranges = $10, updated_at = $11
       WHERE tenant_id = $1 AND id = $2`,
      [o.tenantId, o.id, ...fields(o)],
    );
    return r.changes > 0;
  },
  async delete(tenantId, id) {
    return (await db.run('DELETE FROM offices WHERE tenant_id = $1 AND id = $2', [tenantId, id])).changes > 0;
  },
}));
