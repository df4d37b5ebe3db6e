/**
 * @module store/postgres/discovered-repo
 * Unmapped egress prefixes on PostgreSQL (store/statements/discovered.ts).
 * The sighting upsert is PostgreSQL's own (`greatest()`), and a first
 * sighting returns its row from the same statement: concurrent first
 * sightings from two servers end in one row (the unique prefix index).
 */
import { toDiscovered } from '../row-decoders.ts';
import { DISCOVERED, INSERT_SIGHTING, sightingParams } from '../statements/discovered.ts';
import { defineRepository } from './repository.ts';

const COUNT_SEEN = `${INSERT_SIGHTING}
  ON CONFLICT (tenant_id, egress_prefix) DO UPDATE SET
    reports = d.reports + excluded.reports,
    last_seen_at = greatest(d.last_seen_at, excluded.last_seen_at),
    city = coalesce(excluded.city, d.city),
    country = coalesce(excluded.country, d.country),
    latitude = coalesce(excluded.latitude, d.latitude),
    longitude = coalesce(excluded.longitude, d.longitude)`;

export const repository = defineRepository('discovered', (db) => ({
  ...db.bind(DISCOVERED),
  async countSeen(tenantId, egressPrefix, seen, id) {
    await db.run(COUNT_SEEN, sightingParams(tenantId, egressPrefix, seen, id));
  },
  async recordSeen(tenantId, egressPrefix, geo, at, newId) {
    const seen = { reports: 1, firstAt: at, lastAt: at, geo };
    const r = await db.get(`${COUNT_SEEN} RETURNING *`, sightingParams(tenantId, egressPrefix, seen, newId));
    return toDiscovered(r!);
  },
}));
