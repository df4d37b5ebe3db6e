/**
 * Raw reports partitioned by day on PostgreSQL (migration 003,
 * store/postgres/report-partitions.ts): the migration keeps every report a
 * database filled by the old schema held; a report re-sent at another time
 * is still stored once; reads of recent reports and the duplicate check
 * prune to the days they need (EXPLAIN); retention drops whole days; rows
 * that landed in the default partition move into their day when it is made.
 * Runs only when the run covers PostgreSQL.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import type { ReportRow, Store } from '../../src/store/contract.ts';
import { observeStatements } from '../../src/store/postgres/db.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { migrate } from '../../src/store/postgres/migrate.ts';
import { firstCopyNotBefore } from '../../src/store/postgres/report-partitions.ts';
import { loadMigrations } from '../../src/store/shared/migrations.ts';
import { REPORTS } from '../../src/store/statements/reports.ts';
import { PG_URL, testDialects } from './dialects.ts';

const on = testDialects().includes('postgres');
const DAY = 86_400_000;

/** A UUIDv7-shaped id made at `ms` (RFC 9562 §5.7), `n` telling ids apart. */
const v7At = (ms: number, n: number) => {
  const h = ms.toString(16).padStart(12, '0');
  return `${h.slice(0, 8)}-${h.slice(8)}-7000-8000-${n.toString(16).padStart(12, '0')}`;
};

const report = (id: string, receivedAt: string, extra: Partial<ReportRow> = {}): ReportRow => ({
  tenantId: 't1',
  id,
  receivedAt,
  officeId: 'o1',
  discoveredId: null,
  deviceId: 'd1',
  egressIp: '192.0.2.1',
  checks: 3,
  failures: 1,
  failureCodes: ['tls/intercepted'],
  body: `{"reportId":"${id}"}`,
  ...extra,
});

describe('reports partitioned by day (postgres)', { skip: !on && 'PostgreSQL not selected' }, () => {
  const schemas: string[] = [];
  const closers: Array<() => Promise<void>> = [];
  const newSchema = () => {
    const s = `ni_test_${randomBytes(6).toString('hex')}`;
    schemas.push(s);
    return s;
  };
  const poolOn = (schema: string) => {
    const pool = new pg.Pool({ connectionString: PG_URL, max: 2, options: `-c search_path=${schema}` });
    closers.push(() => pool.end());
    return pool;
  };
  const storeOn = async (schema: string) => {
    const s = await openPostgresStore({ url: PG_URL!, schema, poolSize: 4 });
    closers.push(() => s.close());
    return s;
  };
  const fresh = async (): Promise<{ store: Store; pool: pg.Pool }> => {
    const schema = newSchema();
    const store = await storeOn(schema);
    await store.migrate();
    return { store, pool: poolOn(schema) };
  };
  /** The tables a plan reads (partitions by name). */
  const relationsOf = async (pool: pg.Pool, sql: string, values: unknown[]) => {
    const { rows } = await pool.query({ text: `EXPLAIN (FORMAT JSON) ${sql}`, values });
    const out = new Set<string>();
    const walk = (n: Record<string, unknown>) => {
      if (typeof n['Relation Name'] === 'string') out.add(n['Relation Name']);
      for (const c of (n.Plans as Record<string, unknown>[] | undefined) ?? []) walk(c);
    };
    walk(rows[0]['QUERY PLAN'][0].Plan);
    return [...out].sort();
  };
  const partitions = async (pool: pg.Pool) =>
    (
      await pool.query(
        `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'reports'::regclass ORDER BY 1`,
      )
    ).rows.map((r) => r.relname as string);

  after(async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await admin.end();
  });

  test('the migration keeps every report of a database filled by the old schema, each in its day', async () => {
    const schema = newSchema();
    const pool = poolOn(schema);
    await pool.query(`CREATE SCHEMA ${schema}`);
    const all = loadMigrations(new URL('../../src/store/postgres/migrations/', import.meta.url));
    await migrate(
      pool,
      all.filter((m) => m.version < 3),
    );
    // The old table: (tenant_id, id) unique, rows on three days, one a version-4 id.
    const old = [
      ['t1', v7At(Date.parse('2026-10-01T08:00:00Z'), 1), '2026-10-01T08:00:01.000Z'],
      ['t1', v7At(Date.parse('2026-10-01T23:59:59Z'), 2), '2026-10-01T23:59:59.999Z'],
      ['t2', v7At(Date.parse('2026-10-02T00:00:00Z'), 3), '2026-10-02T00:00:00.000Z'],
      ['t1', '3f2b9c1e-8d4a-4b6f-9e21-0c5d7a8b9f10', '2026-10-05T12:00:00.000Z'],
    ];
    for (const [tenant, id, at] of old)
      await pool.query(
        `INSERT INTO reports (tenant_id, id, received_at, office_id, discovered_id, device_id, egress_ip,
           checks, failures, failure_codes, body) VALUES ($1, $2, $3, 'o1', NULL, 'd1', '192.0.2.1', 3, 1, '[]', $4)`,
        [tenant, id, at, `{"reportId":"${id}"}`],
      );
    const before = (await pool.query('SELECT * FROM reports ORDER BY tenant_id, id')).rows;

    const store = await storeOn(schema);
    assert.deepEqual(
      await store.migrate(),
      all.filter((m) => m.version >= 3).map((m) => m.version),
    );
    assert.deepEqual((await pool.query('SELECT * FROM reports ORDER BY tenant_id, id')).rows, before);
    const parts = await partitions(pool);
    for (const p of ['reports_p20261001', 'reports_p20261002', 'reports_p20261005', 'reports_default'])
      assert.ok(parts.includes(p), `${p} in ${parts.join(', ')}`);
    assert.equal(Number((await pool.query('SELECT count(*) AS n FROM reports_default')).rows[0].n), 0);
    // An old report re-sent now is a duplicate, not a second copy.
    const [, id, at] = old[1]!;
    const { inserted } = await store.reports.insert(report(id!, new Date().toISOString()));
    assert.equal(inserted, false);
    assert.equal((await store.reports.getMeta('t1', id!))?.receivedAt, at);
  });

  test('a report re-sent days later, into another partition, is stored once (UUIDv7 and version-4 ids)', async () => {
    const { store, pool } = await fresh();
    const now = Date.now();
    const v7 = v7At(now - 2 * DAY, 7);
    const v4 = 'a1b2c3d4-0000-4000-8000-000000000001';
    for (const id of [v7, v4]) {
      assert.equal(
        (await store.reports.insert(report(id, new Date(now - 2 * DAY).toISOString()))).inserted,
        true,
      );
      assert.equal((await store.reports.insert(report(id, new Date(now).toISOString()))).inserted, false);
    }
    // Two servers at once, each at its own received time: one copy.
    const id = v7At(now, 9);
    const other = await storeOn((await pool.query('SELECT current_schema() AS s')).rows[0].s);
    await other.migrate();
    const results = await Promise.all(
      [store, other].map((s, i) =>
        s.transaction((tx) => tx.reports.insert(report(id, new Date(now - i * 60_000).toISOString()))),
      ),
    );
    assert.deepEqual(results.map((r) => r.inserted).sort(), [false, true]);
    assert.equal(
      Number((await pool.query('SELECT count(*) AS n FROM reports WHERE id = $1', [id])).rows[0].n),
      1,
    );
  });

  test('insertMany stores a batch in one statement: new ones, a copy within the batch, a copy stored days ago', async () => {
    const { store, pool } = await fresh();
    const now = Date.now();
    const old = v7At(now - 2 * DAY, 1);
    await store.reports.insert(report(old, new Date(now - 2 * DAY).toISOString()));
    const at = new Date(now).toISOString();
    const fresh1 = v7At(now, 2);
    const fresh2 = 'a1b2c3d4-0000-4000-8000-0000000000b2';
    const result = await store.transaction((tx) =>
      tx.reports.insertMany!([
        report(fresh1, at, { failureCodes: ['dns/timeout'], officeId: null, deviceId: null }),
        report(old, at),
        report(fresh2, at),
        report(fresh1, at),
      ]),
    );
    assert.deepEqual(result, [true, false, true, false]);
    const rows = (
      await pool.query('SELECT id, received_at, failure_codes, office_id FROM reports ORDER BY id')
    ).rows;
    assert.equal(rows.length, 3);
    const meta = await store.reports.getMeta('t1', fresh1);
    assert.deepEqual([meta?.failureCodes, meta?.officeId, meta?.deviceId], [['dns/timeout'], null, null]);
    assert.equal((await store.reports.getMeta('t1', old))?.receivedAt, new Date(now - 2 * DAY).toISOString());
  });

  test('insertMany sends one statement per tenant (single-shard on Citus) and answers in the batch order', async () => {
    const { store, pool } = await fresh();
    const now = Date.now();
    const at = new Date(now).toISOString();
    const id = (n: number) => v7At(now, n);
    // Bodies go as UTF-8 bytes end to end (reports-repo.ts): one given as bytes, with characters beyond ASCII.
    const zurich = `{"reportId":"${id(11)}","office":"Zürich ☃ 東京"}`;
    const batch = [
      { ...report(id(11), at, { tenantId: 't2', body: zurich }), bodyUtf8: new TextEncoder().encode(zurich) },
      report(id(12), at),
      report(id(13), at, { tenantId: 't2' }),
      report(id(12), at),
      report(id(12), at, { tenantId: 't2' }),
    ];
    const sent: string[] = [];
    const stop = observeStatements((sql) => sent.push(sql));
    let result: boolean[];
    try {
      result = await store.transaction((tx) => tx.reports.insertMany!(batch));
    } finally {
      stop();
    }
    // The same id in two tenants is two reports; a second copy in one tenant is a duplicate.
    assert.deepEqual(result, [true, true, true, false, true]);
    assert.equal(sent.filter((s) => s.includes('report_insert(')).length, 2, 'one statement per tenant');
    const rows = (await pool.query('SELECT tenant_id, id FROM reports ORDER BY tenant_id, id')).rows;
    assert.deepEqual(
      rows.map((r) => `${r.tenant_id} ${r.id}`),
      [`t1 ${id(12)}`, `t2 ${id(11)}`, `t2 ${id(12)}`, `t2 ${id(13)}`],
    );
    assert.equal((await store.reports.get('t2', id(11)))?.body, zurich);
    assert.equal((await store.reports.get('t2', id(13)))?.body, `{"reportId":"${id(13)}"}`);
  });

  test('reads of recent reports and the duplicate check read only the partitions they need (EXPLAIN)', async () => {
    const { store, pool } = await fresh();
    const now = new Date();
    // Partitions for the last ten days, as a server running that long would have.
    for (let d = 10; d >= 0; d -= 2)
      await store.reports.prepareAhead!(new Date(now.getTime() - d * DAY).toISOString());
    const parts = await partitions(pool);
    assert.ok(parts.length >= 12, parts.join(', '));
    const day = (ms: number) => `reports_p${new Date(ms).toISOString().slice(0, 10).replaceAll('-', '')}`;
    const since = new Date(now.getTime() - DAY).toISOString();
    const recent = [day(now.getTime() - DAY), day(now.getTime()), day(now.getTime() + DAY)];

    // The dashboard's count since a day ago, as the store sends it (numbered parameters, custom plan).
    const read = await relationsOf(
      pool,
      REPORTS.countSince.sql.replace('$tenantId', '$1').replace('$since', '$2'),
      ['t1', since],
    );
    for (const p of recent) assert.ok(read.includes(p), `${p} read: ${read.join(', ')}`);
    assert.ok(!read.includes(day(now.getTime() - 5 * DAY)), `an older day is pruned: ${read.join(', ')}`);
    assert.ok(read.length <= 6, `only recent days (+ future + default): ${read.join(', ')}`);

    // report_insert's check for an id made an hour ago.
    const id = v7At(now.getTime() - 3_600_000, 1);
    const check = await relationsOf(
      pool,
      'SELECT 1 FROM reports WHERE tenant_id = $1 AND id = $2 AND received_at >= coalesce($3, $4)',
      ['t1', id, firstCopyNotBefore(id, now.toISOString()), ''],
    );
    assert.ok(!check.includes(day(now.getTime() - 5 * DAY)), `duplicate check pruned: ${check.join(', ')}`);
    assert.ok(check.length <= 6, check.join(', '));
    // Without a UUIDv7 time it must look everywhere.
    assert.equal(firstCopyNotBefore('a1b2c3d4-0000-4000-8000-000000000001', now.toISOString()), undefined);
  });

  test('retention drops whole days past the cutoff and keeps the day that holds it', async () => {
    const { store, pool } = await fresh();
    const now = Date.now();
    for (let d = 10; d >= 0; d -= 2) await store.reports.prepareAhead!(new Date(now - d * DAY).toISOString());
    for (let d = 0; d <= 10; d++)
      await store.reports.insert(report(v7At(now - d * DAY, d), new Date(now - d * DAY).toISOString()));
    // One row outside every day partition (default) and older than the cutoff.
    await store.reports.insert(report('a1b2c3d4-0000-4000-8000-0000000000aa', '2001-01-01T00:00:00.000Z'));
    const cutoff = new Date(now - 7 * DAY).toISOString();
    const dayTable = (ms: number) =>
      `reports_p${new Date(ms).toISOString().slice(0, 10).replaceAll('-', '')}`;
    await store.reports.purgeOlderThan(cutoff, 100);
    const parts = await partitions(pool);
    for (let d = 8; d <= 10; d++) assert.ok(!parts.includes(dayTable(now - d * DAY)), `day -${d} dropped`);
    assert.ok(parts.includes(dayTable(now - 7 * DAY)), 'the day holding the cutoff stays');
    const left = (await pool.query('SELECT id FROM reports ORDER BY received_at')).rows.map((r) => r.id);
    assert.deepEqual(
      left,
      [7, 6, 5, 4, 3, 2, 1, 0].map((d) => v7At(now - d * DAY, d)),
    );
    assert.equal(await store.reports.purgeOlderThan(cutoff, 100), 0);
  });

  test('a row received on a day without its partition moves there when the day is prepared', async () => {
    const { store, pool } = await fresh();
    const later = Date.now() + 20 * DAY;
    const id = v7At(later, 1);
    await store.reports.insert(report(id, new Date(later).toISOString()));
    assert.equal(Number((await pool.query('SELECT count(*) AS n FROM reports_default')).rows[0].n), 1);
    await store.reports.prepareAhead!(new Date(later).toISOString());
    assert.equal(Number((await pool.query('SELECT count(*) AS n FROM reports_default')).rows[0].n), 0);
    const where = await pool.query('SELECT tableoid::regclass::text AS t FROM reports WHERE id = $1', [id]);
    assert.equal(
      where.rows[0].t,
      `reports_p${new Date(later).toISOString().slice(0, 10).replaceAll('-', '')}`,
    );
    assert.equal((await store.reports.insert(report(id, new Date().toISOString()))).inserted, false);
  });
});
