/** @module store/sqlite/discovered-repo — unmapped egress prefixes, grouped until adopted. */
import type { Sightings } from '../contract.ts';
import { toDiscovered } from '../row-decoders.ts';
import { num, str } from './db.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('discovered', (db) => {
  const byPrefix = (tenantId: string, egressPrefix: string) => {
    const r = db.get(
      'SELECT * FROM discovered WHERE tenant_id = $tenantId AND egress_prefix = $egressPrefix',
      {
        tenantId,
        egressPrefix,
      },
    );
    return r && toDiscovered(r);
  };
  const countSeen = (tenantId: string, egressPrefix: string, seen: Sightings, id: string): void => {
    db.run(
      `INSERT INTO discovered (tenant_id, id, egress_prefix, city, country, latitude, longitude,
         reports, first_seen_at, last_seen_at, adopted_office_id)
       VALUES ($tenantId, $id, $egressPrefix, $city, $country, $latitude, $longitude,
         $reports, $firstAt, $lastAt, NULL)
       ON CONFLICT (tenant_id, egress_prefix) DO UPDATE SET
         reports = reports + excluded.reports,
         last_seen_at = max(last_seen_at, excluded.last_seen_at),
         city = coalesce(excluded.city, city),
         country = coalesce(excluded.country, country),
         latitude = coalesce(excluded.latitude, latitude),
         longitude = coalesce(excluded.longitude, longitude)`,
      {
        tenantId,
        id,
        egressPrefix,
        ...seen.geo,
        reports: seen.reports,
        firstAt: seen.firstAt,
        lastAt: seen.lastAt,
      },
    );
  };
  return {
    countSeen,
    recordSeen(tenantId, egressPrefix, geo, at, newId) {
      countSeen(tenantId, egressPrefix, { reports: 1, firstAt: at, lastAt: at, geo }, newId);
      return byPrefix(tenantId, egressPrefix)!;
    },
    listAdopted(tenantId) {
      return db
        .all(
          `SELECT egress_prefix, adopted_office_id FROM discovered
           WHERE tenant_id = $tenantId AND adopted_office_id IS NOT NULL`,
          { tenantId },
        )
        .map((r) => ({ egressPrefix: str(r.egress_prefix), officeId: str(r.adopted_office_id) }));
    },
    get(tenantId, id) {
      const r = db.get('SELECT * FROM discovered WHERE tenant_id = $tenantId AND id = $id', { tenantId, id });
      return r && toDiscovered(r);
    },
    findByPrefix: byPrefix,
    listOpen(tenantId) {
      return db
        .all(
          `SELECT * FROM discovered WHERE tenant_id = $tenantId AND adopted_office_id IS NULL
           ORDER BY last_seen_at DESC, id`,
          { tenantId },
        )
        .map(toDiscovered);
    },
    adopt(tenantId, id, officeId) {
      return (
        db.run(
          `UPDATE discovered SET adopted_office_id = $officeId
           WHERE tenant_id = $tenantId AND id = $id AND adopted_office_id IS NULL`,
          { tenantId, id, officeId },
        ).changes > 0
      );
    },
    devices(tenantId, id) {
      return num(
        db.get(
          `SELECT count(DISTINCT device_id) AS n FROM reports
           WHERE tenant_id = $tenantId AND discovered_id = $id`,
          { tenantId, id },
        )?.n,
      );
    },
  };
});
