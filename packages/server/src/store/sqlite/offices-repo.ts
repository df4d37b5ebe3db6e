/** @module store/sqlite/offices-repo — offices an admin defined. */
import type { OfficeRow } from '../contract.ts';
import { toOffice } from '../row-decoders.ts';
import { defineRepository } from './repository.ts';

const params = (o: OfficeRow) => ({
  ...o,
  lanSubnets: JSON.stringify(o.lanSubnets),
  egressRanges: JSON.stringify(o.egressRanges),
});

export const repository = defineRepository('offices', (db) => ({
  create(o) {
    db.run(
      `INSERT INTO offices (tenant_id, id, name, address, city, country, latitude, longitude,
         lan_subnets, egress_ranges, created_at, updated_at)
       VALUES ($tenantId, $id, $name, $address, $city, $country, $latitude, $longitude,
         $lanSubnets, $egressRanges, $createdAt, $updatedAt)`,
      params(o),
    );
  },
  get(tenantId, id) {
    const r = db.get('SELECT * FROM offices WHERE tenant_id = $tenantId AND id = $id', { tenantId, id });
    return r && toOffice(r);
  },
  list(tenantId) {
    return db
      .all('SELECT * FROM offices WHERE tenant_id = $tenantId ORDER BY name, id', { tenantId })
      .map(toOffice);
  },
  update(o) {
    return (
      db.run(
        `UPDATE offices SET name = $name, address = $address, city = $city, country = $country,
           latitude = $latitude, longitude = $longitude, lan_subnets = $lanSubnets,
           egress_ranges = $egressRanges, updated_at = $updatedAt
         WHERE tenant_id = $tenantId AND id = $id`,
        // created_at is not updatable
        (({ createdAt: _c, ...rest }) => rest)(params(o)),
      ).changes > 0
    );
  },
  delete(tenantId, id) {
    return (
      db.run('DELETE FROM offices WHERE tenant_id = $tenantId AND id = $id', { tenantId, id }).changes > 0
    );
  },
}));
