/**
 * @module store/sqlite/insights-repo
 * Rollups, schedules, insights and events on SQLite
 * (store/statements/insights.ts). The rollup reads and writes run in every
 * ingest commit and call the connection directly; retention deletes by rowid.
 */
import { num, str } from '../row-decoders.ts';
import { eventParams, INSIGHT_SQL, INSIGHTS } from '../statements/insights.ts';
import { defineRepository } from './repository.ts';

const PURGE_ROLLUPS = `DELETE FROM insight_rollups WHERE rowid IN
  (SELECT rowid FROM insight_rollups WHERE bucket_start < $cutoff LIMIT $limit)`;

export const repository = defineRepository('insights', (db) => ({
  ...db.bind(INSIGHTS),
  getRollup(tenantId, officeKey, bucketStart) {
    const r = db.get(INSIGHT_SQL.rollup, { tenantId, officeKey, bucketStart });
    return r ? { data: str(r.data), version: str(r.version) } : undefined;
  },
  rollupVersion(tenantId, officeKey, bucketStart) {
    const r = db.get(INSIGHT_SQL.rollupVersion, { tenantId, officeKey, bucketStart });
    return r ? str(r.version) : undefined;
  },
  putRollup(tenantId, officeKey, bucketStart, data, version) {
    db.run(INSIGHT_SQL.putRollup, { tenantId, officeKey, bucketStart, data, version });
  },
  markDue(tenantId, officeKey, dueAt) {
    db.run(INSIGHT_SQL.markDue, { tenantId, officeKey, dueAt });
  },
  appendEvent(tenantId, insightId, e) {
    return num(db.get(INSIGHT_SQL.appendEvent, eventParams(tenantId, insightId, e))?.seq);
  },
  purgeRollupsBefore(cutoff, limit) {
    return db.run(PURGE_ROLLUPS, { cutoff, limit }).changes;
  },
}));
