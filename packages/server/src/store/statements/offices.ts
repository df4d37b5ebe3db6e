/** @module store/statements/offices — offices an admin defined, for both dialects. */
import type { OfficeRow } from '../contract.ts';
import { toOffice } from '../row-decoders.ts';
import { changed, exec, many, one } from '../shared/statement.ts';

const byId = (tenantId: string, id: string) => ({ tenantId, id });
const row = (o: OfficeRow) => ({
  ...o,
  lanSubnets: JSON.stringify(o.lanSubnets),
  egressRanges: JSON.stringify(o.egressRanges),
});

export const OFFICES = {
  create: exec(
    `INSERT INTO offices (tenant_id, id, name, address, city, country, latitude, longitude,
       lan_subnets, egress_ranges, created_at, updated_at)
     VALUES ($tenantId, $id, $name, $address, $city, $country, $latitude, $longitude,
       $lanSubnets, $egressRanges, $createdAt, $updatedAt)`,
    row,
  ),
  get: one('SELECT * FROM offices WHERE tenant_id = $tenantId AND id = $id', byId, toOffice),
  list: many(
    'SELECT * FROM offices WHERE tenant_id = $tenantId ORDER BY name, id',
    (tenantId: string) => ({ tenantId }),
    toOffice,
  ),
  // created_at is not updatable
  update: changed(
    `UPDATE offices SET name = $name, address = $address, city = $city, country = $country,
       latitude = $latitude, longitude = $longitude, lan_subnets = $lanSubnets,
       egress_ranges = $egressRanges, updated_at = $updatedAt
     WHERE tenant_id = $tenantId AND id = $id`,
    row,
  ),
  delete: changed('DELETE FROM offices WHERE tenant_id = $tenantId AND id = $id', byId),
};
