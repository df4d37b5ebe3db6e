/**
 * @module store/postgres/report-partitions
 * Upkeep of the day partitions of `reports` (migration 003): one table per
 * UTC day of `received_at`, named `reports_pYYYYMMDD` and bounded by the day's
 * ISO-8601 date text (`'2026-12-04' <= received_at < '2026-12-05'` in byte
 * order, as every stored time starts with its date). The server creates the
 * coming days ahead of time and retention drops a day once all of it is older
 * than the cutoff: `DROP TABLE` frees the space at once and writes no WAL per
 * row, where a row-by-row DELETE writes every row again and leaves the space
 * to vacuum (https://www.postgresql.org/docs/current/ddl-partitioning.html,
 * "Partition Maintenance").
 *
 * Two servers may do this at once: each pass holds one advisory lock until its
 * commit, so they take turns and the second finds nothing to do. DDL on a
 * partitioned table waits for ingest transactions on it; `lock_timeout`
 * bounds that wait (the pass fails and runs again on the next timer) so ingest
 * is never stuck behind a queued DROP.
 */
import type { PgDb } from './db.ts';
import { perTenant } from './per-tenant.ts';

const DAY_MS = 86_400_000;
/** Partitions exist from yesterday to this many days ahead. */
export const DAYS_AHEAD = 3;
const NAME = /^reports_p(\d{4})(\d{2})(\d{2})$/;

/** `2026-12-04` for the UTC day of `ms`. */
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const nameOf = (day: string) => `reports_p${day.replaceAll('-', '')}`;

/** The day partitions that exist: name → first day (`YYYY-MM-DD`). */
async function dayPartitions(db: PgDb): Promise<Map<string, string>> {
  const rows = await db.all(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'reports'::regclass`,
  );
  const out = new Map<string, string>();
  for (const r of rows) {
    const m = NAME.exec(String(r.name));
    if (m) out.set(String(r.name), `${m[1]}-${m[2]}-${m[3]}`);
  }
  return out;
}

/**
 * Creates the partitions from the day before `now` to `DAYS_AHEAD` days
 * after it that do not exist yet. Rows already in the default partition for
 * such a day (only if the server was down past its partitions) move into it.
 */
export function prepareReportPartitions(db: PgDb, now: string): Promise<string[]> {
  return db.atomically(async (t) => {
    await t.lockUntilCommit('report-partitions');
    await t.exec(`SET LOCAL lock_timeout = '5s'`);
    const have = new Set((await dayPartitions(t)).values());
    const made: string[] = [];
    const start = Date.parse(now);
    if (Number.isNaN(start)) throw new Error(`prepareReportPartitions: "${now}" is not a time`);
    for (let d = -1; d <= DAYS_AHEAD; d++) {
      const day = dayOf(start + d * DAY_MS);
      if (have.has(day)) continue;
      await createDay(t, day, dayOf(Date.parse(day) + DAY_MS));
      made.push(nameOf(day));
    }
    return made;
  });
}

async function createDay(t: PgDb, from: string, to: string): Promise<void> {
  const name = nameOf(from);
  const bounds = `FOR VALUES FROM ('${from}') TO ('${to}')`;
  const stray = await t.get(
    'SELECT 1 AS x FROM reports_default WHERE received_at >= $from AND received_at < $to LIMIT 1',
    { from, to },
  );
  if (!stray) {
    await t.exec(`CREATE TABLE ${name} PARTITION OF reports ${bounds}`);
    return;
  }
  // PostgreSQL refuses a new partition while the default one holds rows of its range: take the
  // default out, create the day, move its rows there and put the default back (one transaction).
  await t.exec(`ALTER TABLE reports DETACH PARTITION reports_default`);
  await t.exec(`CREATE TABLE ${name} PARTITION OF reports ${bounds}`);
  await t.run(
    `WITH moved AS (DELETE FROM reports_default WHERE received_at >= $from AND received_at < $to RETURNING *)
     INSERT INTO reports SELECT * FROM moved`,
    { from, to },
  );
  await t.exec(`ALTER TABLE reports ATTACH PARTITION reports_default DEFAULT`);
}

const DEFAULT_TENANTS = `SELECT DISTINCT tenant_id FROM reports_default WHERE received_at < $cutoff
  ORDER BY tenant_id LIMIT $limit`;
const PURGE_DEFAULT = `DELETE FROM reports_default WHERE tenant_id = $tenantId
  AND (tenant_id, id, received_at) IN (SELECT tenant_id, id, received_at FROM reports_default
    WHERE tenant_id = $tenantId AND received_at < $cutoff LIMIT $limit)`;

/**
 * Retention: drops every day partition that ends at or before `cutoff`, then
 * deletes up to `limit` rows older than `cutoff` from the default partition.
 * Returns the rows removed (for a dropped day, the planner's row estimate:
 * counting a day of reports would read it all). Rows of the day that holds
 * the cutoff stay until that whole day is past it.
 */
export function purgeReports(db: PgDb, cutoff: string, limit: number): Promise<number> {
  return db.atomically(async (t) => {
    await t.lockUntilCommit('report-partitions');
    await t.exec(`SET LOCAL lock_timeout = '5s'`);
    let removed = 0;
    for (const [name, day] of await dayPartitions(t)) {
      if (dayOf(Date.parse(day) + DAY_MS) > cutoff) continue;
      const est = await t.get('SELECT reltuples::bigint AS n FROM pg_class WHERE oid = $name::regclass', {
        name,
      });
      removed += Math.max(0, Number(est?.n ?? 0));
      await t.exec(`DROP TABLE ${name}`);
    }
    // The default partition holds only strays, so it is purged by row, tenant by tenant
    // (per-tenant.ts: each DELETE stays on one shard on Citus).
    const deleted = await perTenant(t, DEFAULT_TENANTS, { cutoff }, limit, async (tenantId, remaining) => {
      const { changes } = await t.run(PURGE_DEFAULT, { tenantId, cutoff, limit: remaining });
      return changes;
    });
    return removed + deleted;
  });
}

/**
 * Where a stored copy of report `id` can be: received no earlier than a day
 * before the smaller of the id's UUIDv7 time (RFC 9562 §5.7: the first 48
 * bits are Unix milliseconds) and `receivedAt`. A copy is received after the
 * probe made it, so this holds unless the probe's clock ran more than a day
 * ahead and it re-sent more than a day later. Other UUID versions: anywhere
 * (`undefined`).
 */
export function firstCopyNotBefore(id: string, receivedAt: string): string | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7/i.test(id)) return undefined;
  const made = Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
  const t = Math.min(made, Date.parse(receivedAt)) - DAY_MS;
  return Number.isFinite(t) && t >= 0 ? new Date(t).toISOString() : undefined;
}
