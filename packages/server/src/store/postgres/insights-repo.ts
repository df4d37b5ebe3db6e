/**
 * @module store/postgres/insights-repo
 * Rollups, schedules, insights and events on PostgreSQL
 * (store/statements/insights.ts), where several servers ingest and evaluate
 * at once. Inside a transaction:
 * - a rollup bucket is locked from its first read until commit (the row
 *   `FOR UPDATE` or, while there is no row, the right to create it), so two
 *   ingests of one office-hour add up instead of overwriting each other;
 * - evaluation holds the office's schedule row from its window read to
 *   commit, and the office's insights from `forOffice` to commit;
 * - events take one lock so their sequence numbers commit in order.
 */
import { num, type Row, str } from '../row-decoders.ts';
import { eventParams, INSIGHT_SQL, INSIGHTS } from '../statements/insights.ts';
import type { PgDb } from './db.ts';
import { perTenant } from './per-tenant.ts';
import { defineRepository } from './repository.ts';

/** Retention tenant by tenant (per-tenant.ts): each DELETE stays on one shard on Citus. */
const TENANTS_OLD_ROLLUPS = `SELECT DISTINCT tenant_id FROM insight_rollups WHERE bucket_start < $cutoff
  ORDER BY tenant_id LIMIT $limit`;
const PURGE_ROLLUPS = `DELETE FROM insight_rollups WHERE tenant_id = $tenantId
  AND (tenant_id, office_key, bucket_start) IN
  (SELECT tenant_id, office_key, bucket_start FROM insight_rollups
   WHERE tenant_id = $tenantId AND bucket_start < $cutoff LIMIT $limit)`;
const LOCK_SCHEDULE =
  'SELECT 1 FROM insight_offices WHERE tenant_id = $tenantId AND office_key = $officeKey FOR UPDATE';

/**
 * Reads one rollup bucket; inside a transaction, locks it until commit (see
 * the module comment): the row with FOR UPDATE or, while there is no row,
 * the right to create it (advisory lock, then the locked read again).
 */
async function readBucket(
  db: PgDb,
  select: string,
  tenantId: string,
  officeKey: string,
  bucketStart: string,
): Promise<Row | undefined> {
  const key = { tenantId, officeKey, bucketStart };
  if (!db.inTransaction) return db.get(select, key);
  const found = await db.get(`${select} FOR UPDATE`, key);
  if (found) return found;
  await db.lockUntilCommit('rollup', tenantId, officeKey, bucketStart);
  return db.get(`${select} FOR UPDATE`, key);
}

export const repository = defineRepository('insights', (db) => {
  const portable = db.bind(INSIGHTS);
  return {
    ...portable,
    async getRollup(tenantId, officeKey, bucketStart) {
      const r = await readBucket(db, INSIGHT_SQL.rollup, tenantId, officeKey, bucketStart);
      return r ? { data: str(r.data), version: str(r.version) } : undefined;
    },
    async rollupVersion(tenantId, officeKey, bucketStart) {
      // The engine's cached read-modify-write starts here, so it locks like getRollup.
      const r = await readBucket(db, INSIGHT_SQL.rollupVersion, tenantId, officeKey, bucketStart);
      return r ? str(r.version) : undefined;
    },
    async putRollup(tenantId, officeKey, bucketStart, data, version) {
      await db.run(INSIGHT_SQL.putRollup, { tenantId, officeKey, bucketStart, data, version });
    },
    async markDue(tenantId, officeKey, dueAt) {
      await db.run(INSIGHT_SQL.markDue, { tenantId, officeKey, dueAt });
    },
    async rollups(tenantId, officeKey, from, to) {
      // Evaluation reads the window here first: holding the office's schedule row from now to
      // COMMIT makes a concurrent ingest's markDue wait, so the "due again" it sets for data
      // this evaluation did not see is not overwritten by the evaluation's setSchedule.
      if (db.inTransaction) await db.run(LOCK_SCHEDULE, { tenantId, officeKey });
      return portable.rollups(tenantId, officeKey, from, to);
    },
    async forOffice(tenantId, officeKey) {
      if (db.inTransaction) await db.lockUntilCommit('insights', tenantId, officeKey);
      return portable.forOffice(tenantId, officeKey);
    },
    async appendEvent(tenantId, insightId, e) {
      const write = async (t: PgDb) => {
        await t.lockUntilCommit('insight-events');
        return num((await t.get(INSIGHT_SQL.appendEvent, eventParams(tenantId, insightId, e)))?.seq);
      };
      return db.inTransaction ? write(db) : db.atomically(write);
    },
    async purgeRollupsBefore(cutoff, limit) {
      return perTenant(
        db,
        TENANTS_OLD_ROLLUPS,
        { cutoff },
        limit,
        async (tenantId, remaining) =>
          (await db.run(PURGE_ROLLUPS, { tenantId, cutoff, limit: remaining })).changes,
      );
    },
  };
});
