/**
 * @module bench/postgres
 * The PostgreSQL store (issue #6), measured on this machine:
 *
 * - ingest rate of `netinsights serve --db postgres://…` with one server and
 *   with two servers sharing the database, beside the SQLite figure of the
 *   same run. The load is bench/ingest.bench.ts's own load generator (that
 *   file run in its `load` role, closed loop, keep-alive, 25-check reports),
 *   so the figures compare with the ingest bench. Two servers get one load
 *   generator each, with half the connections each: once with all reports
 *   mapping to one location (the worst case: both servers' batches update
 *   the same rows), once with each server's reports mapping to its own office.
 * - insight evaluation time on PostgreSQL with 1× and 10× stored history
 *   (the same offices; only the number of past hourly buckets and raw reports
 *   differs), median over rounds that alternate between the two.
 *
 * PostgreSQL: NETINSIGHTS_BENCH_PG_URL or NETINSIGHTS_TEST_PG_URL when set
 * (a database is created and dropped on that server), else a throw-away
 * cluster from scripts/pg-cluster.sh. Durability is PostgreSQL's default
 * (fsync on, synchronous_commit on), as SQLite's is FULL in the ingest bench.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ok, type ProbeReport } from '@netinsights/protocol';
import pg from 'pg';
import { AGENT_TOKEN_PREFIX, hashSecret, newSecret } from '../packages/server/src/auth/secrets.ts';
import { createInsightsHook } from '../packages/server/src/insights/index.ts';
import { observe } from '../packages/server/src/insights/observation.ts';
import { addObservation, BUCKET_MS, emptyRollup } from '../packages/server/src/insights/rollup.ts';
import type { Store } from '../packages/server/src/store/contract.ts';
import { openStore } from '../packages/server/src/store/open-store.ts';
import { openPostgresStore } from '../packages/server/src/store/postgres/index.ts';
import { criticalRound, failure, latency, report } from '../packages/server/test/insights/helpers/reports.ts';
import type { BenchFigure } from './bench-figure.ts';
import { runLoad } from './ingest.bench.ts';

const ROOT = new URL('../', import.meta.url).pathname;
const CLI = join(ROOT, 'packages/cli/bin/netinsights.ts');
const CLUSTER = join(ROOT, 'scripts/pg-cluster.sh');
/** Connections of the whole load, as in the ingest bench (split across servers). */
const CONNECTIONS = 48;

/** A PostgreSQL server for the bench: given by URL, or a throw-away cluster. */
function postgresServer(): { url: string; stop: () => void } {
  const given = process.env.NETINSIGHTS_BENCH_PG_URL || process.env.NETINSIGHTS_TEST_PG_URL;
  if (given) return { url: given, stop: () => {} };
  const out = execFileSync('bash', [CLUSTER, 'start'], { encoding: 'utf8' });
  const url = /NETINSIGHTS_TEST_PG_URL=(\S+)/.exec(out)?.[1];
  const dir = /NETINSIGHTS_PG_CLUSTER=(\S+)/.exec(out)?.[1];
  if (!url || !dir) throw new Error(`pg-cluster.sh start printed no URL: ${out}`);
  return { url, stop: () => execFileSync('bash', [CLUSTER, 'stop', dir]) };
}

async function admin(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const withDatabase = (url: string, db: string) => {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.href;
};

function startServe(db: string, extra: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const args = [CLI, 'serve', '--db', db, '--port', '0', '--log-level', 'warn', ...extra];
  // The ingest bench's settings: no per-token rate limit in the way of the load.
  args.push('--ingest-burst', '10000000', '--ingest-rate-per-second', '1000000');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-2000);
    });
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${err}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** CPU seconds a process has used so far (Linux /proc; 0 once it is gone). */
function cpuSeconds(pid: number): number {
  try {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th (proc(5)).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
/** USER_HZ: 100 on Linux for every architecture in use (times(2), sysconf(_SC_CLK_TCK)). */
const CLOCK_TICKS = 100;

/** PostgreSQL backends serving database `db` (the collectors' pooled connections). */
async function backendsOf(url: string, db: string): Promise<number[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [db],
    );
    return r.rows.map((x: { pid: number }) => x.pid);
  } finally {
    await c.end();
  }
}

interface IngestRun {
  rate: number;
  note: string;
  /** Collector CPU per stored report, ms (all serve processes). */
  collectorMs: number;
  /** Database CPU per stored report, ms (PostgreSQL backends of the database; 0 for SQLite). */
  databaseMs: number;
}

/**
 * Ingest rate (reports/s) of one serve process per token on `db`, all loaded
 * at once; and CPU per stored report in the collectors and (PostgreSQL) in
 * the database backends over the whole run, which holds up on a busy machine
 * better than the rate does.
 */
async function ingestRate(
  db: string,
  tokens: string[],
  pgAdmin?: { url: string; name: string },
  serveArgs: string[] = [],
): Promise<IngestRun> {
  const started = await Promise.all(tokens.map(() => startServe(db, serveArgs)));
  const countReports = async () => {
    const store = await openStore({ url: db, poolSize: 1 });
    try {
      let n = 0;
      for (const t of await store.tenants.list()) n += (await store.reports.countSince(t.id, '')).reports;
      return n;
    } finally {
      await store.close();
    }
  };
  try {
    const before = await countReports();
    const cpu0 = started.reduce((sum, s) => sum + cpuSeconds(s.child.pid!), 0);
    const results = await Promise.all(
      started.map((s, i) =>
        runLoad(s.url, tokens[i]!, { mode: 'closed', connections: Math.floor(CONNECTIONS / tokens.length) }),
      ),
    );
    const collectorCpu = started.reduce((sum, s) => sum + cpuSeconds(s.child.pid!), 0) - cpu0;
    // Backends are opened by the load (pooled); their CPU since start is this run's.
    const dbCpu = pgAdmin
      ? (await backendsOf(pgAdmin.url, pgAdmin.name)).reduce((sum, pid) => sum + cpuSeconds(pid), 0)
      : 0;
    const stored = (await countReports()) - before;
    const rate = results.reduce((sum, r) => sum + r.ok / r.seconds, 0);
    const failed = results.reduce((sum, r) => sum + r.failed, 0);
    const okCount = results.reduce((sum, r) => sum + r.ok, 0);
    return {
      rate,
      note: `${okCount} ok, ${failed} failed`,
      collectorMs: (1000 * collectorCpu) / stored,
      databaseMs: (1000 * dbCpu) / stored,
    };
  } finally {
    await Promise.all(started.map((s) => stop(s.child)));
  }
}

interface Tokens {
  /** Tenant-wide: reports map by egress address (one discovered location here). */
  tenant: string;
  /** Bound to office A / office B: reports map to that office. */
  officeA: string;
  officeB: string;
}

/** A tenant, two offices and three agent tokens in the store at `db` (either dialect). */
async function provision(db: string): Promise<Tokens> {
  const store = await openStore({ url: db, poolSize: 1 });
  try {
    const now = new Date().toISOString();
    const tenantId = randomUUID();
    await store.tenants.create({ id: tenantId, name: 'Bench', createdAt: now });
    const token = async (officeId: string | null) => {
      const secret = newSecret(AGENT_TOKEN_PREFIX);
      await store.agentTokens.create({
        tenantId,
        id: randomUUID(),
        name: `bench ${officeId ?? 'tenant'}`,
        officeId,
        tokenHash: hashSecret(secret),
        createdAt: now,
        lastUsedAt: null,
        revokedAt: null,
      });
      return secret;
    };
    for (const id of ['office-a', 'office-b'])
      await store.offices.create({
        tenantId,
        id,
        name: id,
        address: null,
        city: 'Bench',
        country: 'XX',
        latitude: 0,
        longitude: 0,
        lanSubnets: [],
        egressRanges: [],
        createdAt: now,
        updatedAt: now,
      });
    return { tenant: await token(null), officeA: await token('office-a'), officeB: await token('office-b') };
  } finally {
    await store.close();
  }
}

// ───────────────────────── insight evaluation ─────────────────────────
const OFFICES = 40;
const DUE = 20;
const DAYS = 3;
const ROUNDS = 9;
const NOW = Date.parse('2026-11-23T12:05:00Z');
const MIN = 60_000;

const officeId = (i: number) => `pg-office-${i}`;
const tenantOf = (i: number) => `pg-t${i % 4}`;

function probeReport(device: string, broken: boolean): ProbeReport {
  const round = criticalRound(device, (h) =>
    broken && h.startsWith('teams') ? failure('proxy', 'forbidden') : ok(),
  );
  return report(device, [...round.results, latency(broken ? 150 : 40)]);
}

/** `days` of hourly rollups and raw reports (4 an hour) per office, written through the store. */
async function seedHistory(store: Store, days: number): Promise<void> {
  const created = new Date(NOW - 400 * 86_400_000).toISOString();
  for (let t = 0; t < 4; t++)
    await store.tenants.create({ id: `pg-t${t}`, name: `T${t}`, createdAt: created });
  const body = JSON.stringify(probeReport('seed', false));
  const lastHour = Math.floor(NOW / BUCKET_MS) * BUCKET_MS;
  for (let i = 0; i < OFFICES; i++) {
    const hour = emptyRollup();
    for (let k = 0; k < 6; k++)
      addObservation(hour, observe({ report: probeReport(`d${k}`, i % 4 === 0 && k < 3), receivedAt: NOW }));
    const data = JSON.stringify(hour);
    await store.transaction(async (tx) => {
      await tx.offices.create({
        tenantId: tenantOf(i),
        id: officeId(i),
        name: `Office ${i}`,
        address: null,
        city: ['Lisbon', 'Oslo'][i % 2]!,
        country: 'XX',
        latitude: 50,
        longitude: 5,
        lanSubnets: [],
        egressRanges: [],
        createdAt: created,
        updatedAt: created,
      });
      for (let h = days * 24 - 1; h >= 0; h--) {
        const start = lastHour - h * BUCKET_MS;
        await tx.insights.putRollup(tenantOf(i), officeId(i), new Date(start).toISOString(), data, `s${h}`);
        for (let k = 0; k < 4; k++)
          await tx.reports.insert({
            tenantId: tenantOf(i),
            id: `${officeId(i)}-${h}-${k}`,
            receivedAt: new Date(start + k * 10 * MIN).toISOString(),
            officeId: officeId(i),
            discoveredId: null,
            deviceId: `d${k}`,
            egressIp: '192.0.2.1',
            checks: 7,
            failures: 0,
            failureCodes: [],
            body,
          });
      }
      await tx.insights.markDue(tenantOf(i), officeId(i), new Date(NOW - MIN).toISOString());
    });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;

/** Median time of evaluating DUE offices (made due by one new report each), for 1× and 10× history. */
async function evaluationTimes(url: string): Promise<{ one: number; ten: number; ratio: number }> {
  const schemas = [
    `ni_bench_1x_${randomBytes(4).toString('hex')}`,
    `ni_bench_10x_${randomBytes(4).toString('hex')}`,
  ];
  const stores: Store[] = [];
  try {
    for (const [k, schema] of schemas.entries()) {
      const s = await openPostgresStore({ url, schema, poolSize: 2 });
      stores.push(s);
      await s.migrate();
      await seedHistory(s, k === 0 ? DAYS : DAYS * 10);
    }
    const hook = createInsightsHook();
    for (const s of stores) await hook.engine.evaluateDue(s, NOW);
    const times: number[][] = [[], []];
    const ratios: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const now = NOW + round * MIN;
      // Paired rounds in alternating order: machine noise hits both histories alike.
      const order = round % 2 ? [0, 1] : [1, 0];
      const took: number[] = [];
      for (const k of order) {
        const s = stores[k]!;
        for (let i = 0; i < DUE; i++)
          await s.transaction((tx) =>
            hook.onReportStored(tx, {
              tenantId: tenantOf(i),
              officeKey: officeId(i),
              office: null,
              discoveredId: null,
              report: probeReport(`new-${round}`, i % 4 === 0),
              receivedAt: new Date(now - 1000).toISOString(),
              egressIp: '192.0.2.1',
              egressGeo: null,
            }),
          );
        const t0 = performance.now();
        const r = await hook.engine.evaluateDue(s, now);
        took[k] = performance.now() - t0;
        times[k]!.push(took[k]!);
        if (r.offices !== DUE) throw new Error(`expected ${DUE} offices evaluated, got ${r.offices}`);
      }
      ratios.push(took[1]! / took[0]!);
    }
    return { one: median(times[0]!), ten: median(times[1]!), ratio: median(ratios) };
  } finally {
    for (const s of stores) await s.close();
    for (const schema of schemas) await admin(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
  }
}

/** Reports in the day that retention removes (both ways, the same rows). */
const RETENTION_ROWS = 40_000;

/**
 * Retention of one day of raw reports, both ways on the same rows in the
 * same run: the partitioned table (migration 003) drops the day's partition;
 * the table as it was before (migrations up to 002) deletes the rows in
 * chunks of 2,000, as `purgeOlderThan` did. Rows: RETENTION_ROWS reports of
 * ≈ 3 KB body on one day, made in SQL.
 */
async function retentionTimes(url: string): Promise<{ dropMs: number; deleteMs: number }> {
  const day = '2026-01-10';
  const fill = (table: string) => `INSERT INTO ${table} (tenant_id, id, received_at, office_id, discovered_id,
      device_id, egress_ip, checks, failures, failure_codes, body)
    SELECT 't' || (i % 20), md5(i::text), '${day}T' || lpad((i % 24)::text, 2, '0') || ':00:00.000Z', 'o1', NULL,
      'd' || (i % 5000), '192.0.2.1', 25, 1, '[]', repeat(md5(i::text), 96)
    FROM generate_series(1, ${RETENTION_ROWS}) AS i`;
  const cutoff = '2026-01-12T00:00:00.000Z';
  // Partitioned: the store as it is.
  const schemaA = `ni_bench_ret_${randomBytes(4).toString('hex')}`;
  const a = await openPostgresStore({ url, schema: schemaA, poolSize: 2 });
  await a.migrate();
  await a.reports.prepareAhead!(`${day}T12:00:00.000Z`);
  // Unpartitioned: the schema before migration 003, and the row-by-row purge it had.
  const schemaB = `ni_bench_ret_${randomBytes(4).toString('hex')}`;
  const poolB = new pg.Pool({ connectionString: url, max: 1, options: `-c search_path=${schemaB}` });
  try {
    await admin(url, `CREATE SCHEMA ${schemaB}`);
    const { migrate } = await import('../packages/server/src/store/postgres/migrate.ts');
    const { loadMigrations } = await import('../packages/server/src/store/shared/migrations.ts');
    const migrations = loadMigrations(
      new URL('../packages/server/src/store/postgres/migrations/', import.meta.url),
    );
    await migrate(
      poolB,
      migrations.filter((m) => m.version < 3),
    );
    await admin(withSearchPath(url, schemaA), fill('reports'));
    await poolB.query(fill('reports'));
    await poolB.query('VACUUM ANALYZE reports');
    await admin(withSearchPath(url, schemaA), 'VACUUM ANALYZE reports');

    let t = performance.now();
    await a.reports.purgeOlderThan(cutoff, 2000);
    const dropMs = performance.now() - t;
    t = performance.now();
    for (;;) {
      const r = await poolB.query(
        `DELETE FROM reports WHERE (tenant_id, id) IN
          (SELECT tenant_id, id FROM reports WHERE received_at < $1 LIMIT 2000)`,
        [cutoff],
      );
      if ((r.rowCount ?? 0) < 2000) break;
    }
    const deleteMs = performance.now() - t;
    return { dropMs, deleteMs };
  } finally {
    await a.close();
    await poolB.end();
    for (const s of [schemaA, schemaB]) await admin(url, `DROP SCHEMA IF EXISTS ${s} CASCADE`);
  }
}

/** `url` with every table in `schema` (libpq `options`). */
const withSearchPath = (url: string, schema: string) => {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.href;
};

export default async function postgresBench(): Promise<BenchFigure[]> {
  const server = postgresServer();
  const dbName = `ni_bench_${randomBytes(5).toString('hex')}`;
  const sqliteDir = mkdtempSync(join(tmpdir(), 'ni-bench-pg-'));
  try {
    await admin(server.url, `CREATE DATABASE ${dbName}`);
    const pgDb = withDatabase(server.url, dbName);
    const sqliteDb = join(sqliteDir, 'bench.db');
    const pgTokens = await provision(pgDb);
    const sqliteTokens = await provision(sqliteDb);

    const sqlite = await ingestRate(sqliteDb, [sqliteTokens.tenant]);
    const pgAdmin = { url: server.url, name: dbName };
    const one = await ingestRate(pgDb, [pgTokens.tenant], pgAdmin);
    // The same server with one ingest transaction at a time (as before --group-commit-parallel).
    const oneSerial = await ingestRate(pgDb, [pgTokens.tenant], pgAdmin, ['--group-commit-parallel', '1']);
    const twoShared = await ingestRate(pgDb, [pgTokens.tenant, pgTokens.tenant], pgAdmin);
    const twoApart = await ingestRate(pgDb, [pgTokens.officeA, pgTokens.officeB], pgAdmin);
    const four = await ingestRate(
      pgDb,
      [pgTokens.officeA, pgTokens.officeB, pgTokens.officeA, pgTokens.officeB],
      pgAdmin,
    );
    const evaluation = await evaluationTimes(pgDb);
    const retention = await retentionTimes(pgDb);

    const sqliteBaseline = { name: 'SQLite, one server (same run)', value: sqlite.rate, unit: 'reports/s' };
    const load = `${CONNECTIONS} keep-alive connections in total, bench/ingest.bench.ts load generator`;
    const evalNote = `${OFFICES} offices, ${DUE} due per round, median of ${ROUNDS} rounds; PostgreSQL on this machine`;
    return [
      {
        name: 'ingest rate, PostgreSQL, one server',
        value: one.rate,
        unit: 'reports/s',
        baseline: sqliteBaseline,
        note: `${one.note}; ${load}`,
      },
      {
        name: 'ingest rate, PostgreSQL, one server, --group-commit-parallel 1',
        value: oneSerial.rate,
        unit: 'reports/s',
        baseline: sqliteBaseline,
        note: `${oneSerial.note}; one ingest transaction at a time (the default is 2 on PostgreSQL); collector CPU ${oneSerial.collectorMs.toFixed(2)} ms per report; ${load}`,
      },
      {
        name: 'ingest rate, PostgreSQL, two servers, one shared location',
        value: twoShared.rate,
        unit: 'reports/s',
        baseline: sqliteBaseline,
        note:
          `${twoShared.note}; worst case: every batch of both servers updates the same rollup bucket and ` +
          `location row, so their transactions take turns; two serve processes, the database and the load ` +
          `share the machine's cores; ${load}`,
      },
      {
        name: 'ingest rate, PostgreSQL, two servers, one office each',
        value: twoApart.rate,
        unit: 'reports/s',
        baseline: sqliteBaseline,
        note: `${twoApart.note}; each server's load maps to its own office (no shared rows); ${load}`,
      },
      {
        name: 'ingest rate, PostgreSQL, four servers',
        value: four.rate,
        unit: 'reports/s',
        baseline: sqliteBaseline,
        note: `${four.note}; two offices, two servers each; four serve processes, the database and the load share two cores; database CPU ${four.databaseMs.toFixed(2)} ms per report; ${load}`,
      },
      {
        name: 'database CPU per report, PostgreSQL, four servers',
        value: four.databaseMs,
        unit: 'ms',
        note: 'backends only, over all reports the four servers stored',
      },
      {
        name: 'collector CPU per report, PostgreSQL store',
        value: one.collectorMs,
        unit: 'ms',
        baseline: {
          name: 'collector CPU per report, SQLite (database work included)',
          value: sqlite.collectorMs,
          unit: 'ms',
        },
        note: `≈ ${Math.round(1000 / one.collectorMs)} reports/s per collector core; one server run, CPU of the serve process over all reports it stored`,
      },
      {
        name: 'database CPU per report, PostgreSQL',
        value: one.databaseMs,
        unit: 'ms',
        note: `≈ ${Math.round(1000 / one.databaseMs)} reports/s per database core (backends only; WAL writer, checkpointer and fsync wait not counted); one server run`,
      },
      {
        name: 'collector CPU per report, PostgreSQL / SQLite',
        value: one.collectorMs / sqlite.collectorMs,
        unit: '×',
        target: '≤ 1.3',
        pass: one.collectorMs / sqlite.collectorMs <= 1.3,
        note: 'same run, one server each',
      },
      {
        name: 'ingest rate, PostgreSQL / SQLite, one server',
        value: one.rate / sqlite.rate,
        unit: '×',
        target: '≥ 0.6',
        pass: one.rate / sqlite.rate >= 0.6,
        note: 'same run',
      },
      {
        name: 'retention of one day of reports, PostgreSQL: drop the day partition',
        value: retention.dropMs,
        unit: 'ms',
        baseline: {
          name: 'delete the same rows in chunks of 2,000 (unpartitioned table, as before)',
          value: retention.deleteMs,
          unit: 'ms',
        },
        note: `${RETENTION_ROWS} reports of ≈ 3 KB on one day, same run; the drop also frees the space at once (no vacuum)`,
      },
      {
        name: `insight evaluation, PostgreSQL, ${DAYS * 10} days of history (10×)`,
        value: evaluation.ten,
        unit: 'ms',
        baseline: { name: `${DAYS} days (1×)`, value: evaluation.one, unit: 'ms' },
        note: evalNote,
      },
      {
        name: 'insight evaluation, PostgreSQL, 10× history / 1× history',
        value: evaluation.ratio,
        unit: '×',
        target: '≤ 1.2',
        pass: evaluation.ratio <= 1.2,
        note: `median of the per-round ratios; ${evalNote}`,
      },
    ];
  } finally {
    await admin(server.url, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    rmSync(sqliteDir, { recursive: true, force: true });
    server.stop();
  }
}
