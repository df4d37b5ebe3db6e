import { toDiscovered } from '../row-decoders.ts';
import { num, str } from './db.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('discovered', (db) => ({
  async recordSeen(tenantId, egressPrefix, geo, at, newId) {
    // One statement: concurrent first sightings from two servers end in one row (the unique prefix index).
    const r = await db.get(
      `INSERT INTO discovered AS d (tenant_id, id, egress_prefix, city, country, latitude, longitude,
         reports, first_seen_at, last_seen_at, adopted_office_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8, NULL)
       ON CONFLICT (tenant_id, egress_prefix) DO UPDATE SET
         reports = d.reports + 1,
         last_seen_at = greatest(d.last_seen_at, excluded.last_seen_at),
         city = coalesce(excluded.city, d.city),
         country = coalesce(excluded.country, d.country),
         latitude = coalesce(excluded.latitude, d.latitude),
         longitude = coalesce(excluded.longitude, d.longitude)
       RETURNING *`,
      [tenantId, newId, egressPrefix, geo.city, geo.country, geo.latitude, geo.longitude, at],
    );
    return toDiscovered(r!);
  },
  async get(tenantId, id) {
    const r = await db.get('SELECT * FROM discovered WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
    return r && toDiscovered(r);
  },
  async findByPrefix(tenantId, egressPrefix) {
    const r = await db.get('SELECT * FROM discovered WHERE tenant_id = $1 AND egress_prefix = $2', [
      tenantId,
      egressPrefix,
    ]);
    return r && toDiscovered(r);
  },
  async countSeen(tenantId, egressPrefix, seen, id) {
    const { geo } = seen;
    await db.run(
      `INSERT INTO discovered AS d (tenant_id, id, egress_prefix, city, country, latitude, longitude,
         reports, first_seen_at, last_seen_at, adopted_office_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL)
       ON CONFLICT (tenant_id, egress_prefix) DO UPDATE SET
         reports = d.reports + excluded.reports,
         last_seen_at = greatest(d.last_seen_at, excluded.last_seen_at),
         city = coalesce(excluded.city, d.city),
         country = coalesce(excluded.country, d.country),
         latitude = coalesce(excluded.latitude, d.latitude),
         longitude = coalesce(excluded.longitude, d.longitude)`,
      [
        tenantId,
        id,
        egressPrefix,
        geo.city,
        geo.country,
        geo.latitude,
        geo.longitude,
        seen.reports,
        seen.firstAt,
        seen.lastAt,
      ],
    );
  },
  async listAdopted(tenantId) {
    const rows = await db.all(
      `SELECT egress_prefix, adopted_office_id FROM discovered
       WHERE tenant_id = $1 AND adopted_office_id IS NOT NULL`,
      [tenantId],
    );
    return rows.map((r) => ({ egressPrefix: str(r.egress_prefix), officeId: str(r.adopted_office_id) }));
  },
  async listOpen(tenantId) {
    const rows = await db.all(
      `SELECT * FROM discovered WHERE tenant_id = $1 AND adopted_office_id IS NULL
       ORDER BY last_seen_at DESC, id`,
      [tenantId],
    );
    return rows.map(toDiscovered);
  },
  async adopt(tenantId, id, officeId) {
    const r = await db.run(
      `UPDATE discovered SET adopted_office_id = $3
       WHERE tenant_id = $1 AND id = $2 AND adopted_office_id IS NULL`,
      [tenantId, id, officeId],
    );
    return r.changes > 0;
  },
  async devices(tenantId, id) {
    const r = await db.get(
      'SELECT count(DISTINCT device_id) AS n FROM reports WHERE tenant_id = $1 AND discovered_id = $2',
      [tenantId, id],
    );
    return num(r?.n);
  },
}));
