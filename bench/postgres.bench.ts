/**
 * @module bench/postgres
 * The PostgreSQL store (issue #6), measured on this machine:
 *
 * - ingest rate of `netinsights serve --db postgres://…` with one server and
 *   with two servers sharing the database, beside the SQLite figure of the
 *   same run. The load is bench/ingest.bench.ts's own load generator (that
 *   file run in its `load` role, closed loop, keep-alive, 25-check reports),
 *   so the figures compare with the ingest bench. Two servers get one load
 *   generator each, with half the connections each.
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
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ok, type ProbeReport } from '@netinsights/protocol';
import pg from 'pg';
import { createInsightsHook } from '../packages/server/src/insights/index.ts';
import { observe } from '../packages/server/src/insights/observation.ts';
import { addObservation, BUCKET_MS, emptyRollup } from '../packages/server/src/insights/rollup.ts';
import type { Store } from '../packages/server/src/store/contract.ts';
import { openPostgresStore } from '../packages/server/src/store/postgres/index.ts';
import { criticalRound, failure, latency, report } from '../packages/server/test/insights/helpers/reports.ts';
import type { BenchFigure } from './bench-figure.ts';

const ROOT = new URL('../', import.meta.url).pathname;
const CLI = join(ROOT, 'packages/cli/bin/netinsights.ts');
const LOAD = join(ROOT, 'bench/ingest.bench.ts');
const CLUSTER = join(ROOT, 'scripts/pg-cluster.sh');
/** Connections of the whole load, as in the ingest bench (split across servers). */
const CONNECTIONS = 48;

interface LoadResult {
  ok: number;
  failed: number;
  seconds: number;
  latenciesMs: number[];
}

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

function startServe(db: string): Promise<{ child: ChildProcess; url: string }> {
  const args = [CLI, 'serve', '--db', db, '--port', '0', '--log-level', 'warn'];
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

/** bench/ingest.bench.ts in its load-generator role against `target`. */
function runLoad(target: string, token: string, connections: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LOAD], {
      env: {
        ...process.env,
        NI_INGEST_BENCH_ROLE: 'load',
        NI_TARGET: target,
        NI_TOKEN: token,
        NI_MODE: 'closed',
        NI_BENCH_CONCURRENCY: String(connections),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
    });
    child.once('exit', (code) => {
      try {
        resolve(JSON.parse(out) as LoadResult);
      } catch {
        reject(new Error(`load generator failed (${code}): ${out.slice(0, 200)}`));
      }
    });
  });
}

/** Ingest rate (reports/s) of `servers` serve processes on `db`, all loaded at once. */
async function ingestRate(
  db: string,
  token: string,
  servers: number,
): Promise<{ rate: number; note: string }> {
  const started = await Promise.all(Array.from({ length: servers }, () => startServe(db)));
  try {
    const results = await Promise.all(
      started.map((s) => runLoad(s.url, token, Math.floor(CONNECTIONS / servers))),
    );
    const rate = results.reduce((sum, r) => sum + r.ok / r.seconds, 0);
    const failed = results.reduce((sum, r) => sum + r.failed, 0);
    const okCount = results.reduce((sum, r) => sum + r.ok, 0);
    return { rate, note: `${okCount} ok, ${failed} failed` };
  } finally {
    await Promise.all(started.map((s) => stop(s.child)));
  }
}

function cli(db: string, ...args: string[]): Record<string, string> {
  const out = execFileSync(process.execPath, [CLI, ...args, '--db', db, '--json'], { encoding: 'utf8' });
  return JSON.parse(out) as Record<string, string>;
}

/** A tenant and an agent token in `db`; returns the token. */
function provision(db: string): string {
  const tenant = cli(db, 'admin', 'create-tenant', '--name', 'Bench');
  return cli(db, 'admin', 'create-agent-token', '--tenant', tenant.id!, '--name', 'bench').token!;
}

// ───────────────────────── insight evaluation ─────────────────────────
const OFFICES = 40;
const DUE = 20;
const DAYS = 3;
const ROUNDS = 7;
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
async function evaluationTimes(url: string): Promise<{ one: number; ten: number }> {
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
    for (let round = 1; round <= ROUNDS; round++) {
      const now = NOW + round * MIN;
      for (const [k, s] of stores.entries()) {
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
        times[k]!.push(performance.now() - t0);
        if (r.offices !== DUE) throw new Error(`expected ${DUE} offices evaluated, got ${r.offices}`);
      }
    }
    return { one: median(times[0]!), ten: median(times[1]!) };
  } finally {
    for (const s of stores) await s.close();
    for (const schema of schemas) await admin(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
  }
}

export default async function postgresBench(): Promise<BenchFigure[]> {
  const server = postgresServer();
  const dbName = `ni_bench_${randomBytes(5).toString('hex')}`;
  const sqliteDir = mkdtempSync(join(tmpdir(), 'ni-bench-pg-'));
  try {
    await admin(server.url, `CREATE DATABASE ${dbName}`);
    const pgDb = withDatabase(server.url, dbName);
    const sqliteDb = join(sqliteDir, 'bench.db');
    const pgToken = provision(pgDb);
    const sqliteToken = provision(sqliteDb);

    const sqlite = await ingestRate(sqliteDb, sqliteToken, 1);
    const one = await ingestRate(pgDb, pgToken, 1);
    const two = await ingestRate(pgDb, pgToken, 2);
    const evaluation = await evaluationTimes(pgDb);

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
        name: 'ingest rate, PostgreSQL, two servers',
        value: two.rate,
        unit: 'reports/s',
        baseline: sqliteBaseline,
        note: `${two.note}; two serve processes, database and load share the machine's cores; ${load}`,
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
        value: evaluation.ten / evaluation.one,
        unit: '×',
        target: '≤ 1.2',
        pass: evaluation.ten / evaluation.one <= 1.2,
        note: evalNote,
      },
    ];
  } finally {
    await admin(server.url, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    rmSync(sqliteDir, { recursive: true, force: true });
    server.stop();
  }
}
