/**
 * @module store/sqlite/discovered-repo
 * Unmapped egress prefixes on SQLite (store/statements/discovered.ts). The
 * sighting upsert is SQLite's own (two-argument `max()`); ingest runs it once
 * per prefix per commit, so it is called directly, without the bound layer.
 */
import type { Sightings } from '../contract.ts';
import { DISCOVERED, INSERT_SIGHTING, sightingParams } from '../statements/discovered.ts';
import type { Params } from './db.ts';
import { defineRepository } from './repository.ts';

const COUNT_SEEN = `${INSERT_SIGHTING}
  ON CONFLICT (tenant_id, egress_prefix) DO UPDATE SET
    reports = reports + excluded.reports,
    last_seen_at = max(last_seen_at, excluded.last_seen_at),
    city = coalesce(excluded.city, city),
    country = coalesce(excluded.country, country),
    latitude = coalesce(excluded.latitude, latitude),
    longitude = coalesce(excluded.longitude, longitude)`;

export const repository = defineRepository('discovered', (db) => {
  const portable = db.bind(DISCOVERED);
  const countSeen = (tenantId: string, egressPrefix: string, seen: Sightings, id: string): void => {
    db.run(COUNT_SEEN, sightingParams(tenantId, egressPrefix, seen, id) as Params);
  };
  return {
    ...portable,
    countSeen,
    recordSeen(tenantId, egressPrefix, geo, at, newId) {
      countSeen(tenantId, egressPrefix, { reports: 1, firstAt: at, lastAt: at, geo }, newId);
      return portable.findByPrefix(tenantId, egressPrefix)!;
    },
  };
});
