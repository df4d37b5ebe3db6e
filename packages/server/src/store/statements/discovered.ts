/**
 * @module store/statements/discovered
 * Unmapped egress prefixes, grouped until adopted; both dialects. The upsert
 * of a sighting differs (SQLite's two-argument `max()`, PostgreSQL's
 * `greatest()`) and lives in each dialect's repository; its parameters are here.
 */
import type { Sightings } from '../contract.ts';
import { num, str, toDiscovered } from '../row-decoders.ts';
import { changed, first, many, one } from '../shared/statement.ts';

const byId = (tenantId: string, id: string) => ({ tenantId, id });

/** The `$name` values of the sighting upsert (`countSeen`). */
export const sightingParams = (tenantId: string, egressPrefix: string, seen: Sightings, id: string) => ({
  tenantId,
  id,
  egressPrefix,
  ...seen.geo,
  reports: seen.reports,
  firstAt: seen.firstAt,
  lastAt: seen.lastAt,
});

/** The columns and values of a sighting's INSERT, before each dialect's ON CONFLICT. */
export const INSERT_SIGHTING = `INSERT INTO discovered AS d (tenant_id, id, egress_prefix, city, country, latitude, longitude,
    reports, first_seen_at, last_seen_at, adopted_office_id)
  VALUES ($tenantId, $id, $egressPrefix, $city, $country, $latitude, $longitude,
    $reports, $firstAt, $lastAt, NULL)`;

export const DISCOVERED = {
  get: one('SELECT * FROM discovered WHERE tenant_id = $tenantId AND id = $id', byId, toDiscovered),
  findByPrefix: one(
    'SELECT * FROM discovered WHERE tenant_id = $tenantId AND egress_prefix = $egressPrefix',
    (tenantId: string, egressPrefix: string) => ({ tenantId, egressPrefix }),
    toDiscovered,
  ),
  listAdopted: many(
    `SELECT egress_prefix, adopted_office_id FROM discovered
     WHERE tenant_id = $tenantId AND adopted_office_id IS NOT NULL`,
    (tenantId: string) => ({ tenantId }),
    (r) => ({ egressPrefix: str(r.egress_prefix), officeId: str(r.adopted_office_id) }),
  ),
  listOpen: many(
    `SELECT * FROM discovered WHERE tenant_id = $tenantId AND adopted_office_id IS NULL
     ORDER BY last_seen_at DESC, id`,
    (tenantId: string) => ({ tenantId }),
    toDiscovered,
  ),
  adopt: changed(
    `UPDATE discovered SET adopted_office_id = $officeId
     WHERE tenant_id = $tenantId AND id = $id AND adopted_office_id IS NULL`,
    (tenantId: string, id: string, officeId: string) => ({ tenantId, id, officeId }),
  ),
  devices: first(
    'SELECT count(DISTINCT device_id) AS n FROM reports WHERE tenant_id = $tenantId AND discovered_id = $id',
    byId,
    (r) => num(r?.n),
  ),
};
