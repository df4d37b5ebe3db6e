/**
 * Every SQL statement the PostgreSQL dialect issues, parsed with
 * PostgreSQL's own parser (libpg-query), must keep to one tenant on every
 * table ARCHITECTURE.md lists as distributed by tenant_id — the check behind
 * "distributed by tenant on Citus without schema change" (test/store/tenant-scope.ts).
 *
 * The statements: every SQL literal of store/statements/ and store/postgres/
 * that is a whole statement; every text a `PgDb` sends while the store
 * suites run in this process on PostgreSQL (which covers the statements put
 * together from pieces: each such literal must be part of a sent one, so a
 * composed statement no suite runs fails here); and the bodies of the
 * migrations' SQL functions.
 * The few statements that are cross-tenant by design are listed below with
 * why; they must still avoid what Citus refuses across shards.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { loadModule, parsePlPgSQLSync, parseSync } from 'libpg-query';
import { observeStatements } from '../../src/store/postgres/db.ts';
import { dollar, numberParameters } from '../../src/store/shared/parameters.ts';
import { PG_URL } from './dialects.ts';
import { tenantFindings } from './tenant-scope.ts';

const root = new URL('../../../../', import.meta.url);
const storeDir = new URL('../../src/store/', import.meta.url);

/** ARCHITECTURE.md's "Distributed by `tenant_id`" bullet, as the list of table names. */
function distributedTables(): string[] {
  const doc = readFileSync(new URL('ARCHITECTURE.md', root), 'utf8');
  const bullet = /\*\*Distributed by `tenant_id`[^*]*\*\*([\s\S]*?)(?:\n- \*\*|\n\n)/.exec(doc);
  assert.ok(bullet, 'ARCHITECTURE.md has the "Distributed by `tenant_id`" bullet');
  const upTo = bullet[1]!.split('Colocation')[0]!;
  return [...upTo.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!);
}
const DISTRIBUTED = distributedTables();
/** A partition of reports is the same table to Citus (partitions are distributed with their parent). */
const distributed = (t: string) => DISTRIBUTED.includes(t) || /^reports_(p\d{8}|default)$/.test(t);

/**
 * Cross-tenant by design, by the start of their text: each runs on every
 * shard (Citus allows that for these forms), never per upload.
 */
const MULTI_SHARD: Array<[string, string]> = [
  [
    'SELECT tenant_id FROM deliveries WHERE',
    'the outbox worker finds tenants with due deliveries, then claims per tenant',
  ],
  [
    'SELECT DISTINCT tenant_id FROM insight_rollups WHERE',
    'rollup retention finds tenants with old buckets, then purges per tenant',
  ],
  [
    'SELECT DISTINCT tenant_id FROM reports_default WHERE',
    'report retention finds tenants with old strays, then purges per tenant',
  ],
  [
    'SELECT 1 AS x FROM reports_default WHERE received_at >=',
    'partition upkeep: does the default partition hold rows of a new day',
  ],
  [
    'WITH moved AS (DELETE FROM reports_default',
    'partition upkeep: moves those rows into their day (rare, all tenants)',
  ],
  [
    'SELECT tenant_id, office_key FROM insight_offices WHERE due_at',
    'the engine finds due offices of every tenant',
  ],
  [
    'SELECT f.tenant_id, f.latency_median_ms, f.throughput_mbps FROM insight_offices f',
    'peer comparison: same-city offices of other tenants (only aggregates leave insights/peers.ts), by design',
  ],
  [
    'SELECT a.tenant_id, a.office_key, a.day, a.score FROM assessment_days a',
    'assessment area quintile: same-city or same-country offices of other tenants (only a rank leaves assessment/area-quintile.ts), by design',
  ],
  [
    'SELECT f.tenant_id, f.workload, f.address, f.latency_median_ms, f.samples, f.city, f.country,',
    "best front door nearby: same-city offices of other tenants (only the area's best leaves insights/front-door-area.ts), by design",
  ],
  ['SELECT * FROM insight_events WHERE seq >', 'the notification pump reads the event log in sequence order'],
  ['SELECT status, count(*) AS n FROM deliveries GROUP BY status', 'metrics: deliveries by status'],
  ["SELECT min(CASE WHEN status = 'pending'", 'the outbox worker: when the next delivery falls due'],
];

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
const seen = new Set<string>();

if (PG_URL) {
  process.env.NETINSIGHTS_TEST_DIALECTS = 'postgres';
  observeStatements((sql) => seen.add(norm(sql)));
  // The suites that drive the PostgreSQL store in this process.
  await import('./core.test.ts');
  await import('./insights-outbox.test.ts');
  await import('./across-servers.test.ts');
  await import('./before-commit.test.ts');
  await import('./postgres-partitions.test.ts');
}
after(() => observeStatements(undefined));

/**
 * SQL-looking literals of the dialect's sources that name a distributed
 * table: `head` is the text before the first `${…}`, `whole` whether there is none.
 */
function literals(): Array<{ file: string; head: string; whole: boolean }> {
  const out: Array<{ file: string; head: string; whole: boolean }> = [];
  for (const sub of ['statements/', 'postgres/'])
    for (const f of readdirSync(new URL(sub, storeDir)).filter((x) => x.endsWith('.ts'))) {
      const src = readFileSync(new URL(`${sub}${f}`, storeDir), 'utf8');
      for (const m of src.matchAll(
        /`((?:SELECT|INSERT|UPDATE|DELETE|WITH)\b[^`]*)`|'((?:SELECT|INSERT|UPDATE|DELETE|WITH)\b[^']*)'/g,
      )) {
        const text = m[1] ?? m[2]!;
        const head = norm(text.split('${')[0]!);
        if (head.split(/\W+/).some(distributed))
          out.push({ file: `${sub}${f}`, head, whole: !text.includes('${') });
      }
    }
  return out;
}

/** The calls of the function `name` anywhere in a parse tree. */
function functionCalls(node: unknown, name: string): Array<{ args?: Array<Record<string, unknown>> }> {
  const out: Array<{ args?: Array<Record<string, unknown>> }> = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const call = (n as { FuncCall?: { funcname?: unknown; args?: Array<Record<string, unknown>> } })
        .FuncCall;
      if (call && JSON.stringify(call.funcname).includes(`"sval":"${name}"`)) out.push(call);
      Object.values(n).forEach(walk);
    }
  };
  walk(node);
  return out;
}

test('the check finds a statement that is not held to one tenant', async () => {
  await loadModule();
  const check = (sql: string) =>
    tenantFindings(parseSync(sql).stmts![0]!.stmt as Record<string, unknown>, distributed).map(
      (f) => f.problem,
    );
  assert.deepEqual(check('SELECT * FROM reports WHERE tenant_id = $1 AND id = $2'), []);
  assert.deepEqual(check('SELECT * FROM reports WHERE id = $1'), ['no tenant_id = … on it']);
  assert.deepEqual(check('SELECT * FROM reports WHERE tenant_id = $1 OR id = $2'), [
    'no tenant_id = … on it',
  ]);
  assert.deepEqual(check('SELECT * FROM reports r JOIN deliveries d ON d.id = r.id WHERE r.tenant_id = $1'), [
    'no tenant_id = … on it',
  ]);
  assert.deepEqual(
    check('SELECT * FROM reports r JOIN deliveries d ON d.tenant_id = r.tenant_id WHERE r.tenant_id = $1'),
    [],
  );
  assert.deepEqual(check("INSERT INTO reports (id) VALUES ('x')"), ['INSERT without tenant_id']);
  const tenantArg = (sql: string) =>
    functionCalls(parseSync(sql).stmts![0]!.stmt, 'report_insert').map((c) => Object.keys(c.args![0]!)[0]);
  assert.deepEqual(tenantArg('SELECT report_insert($1, u.id) FROM unnest($2::text[]) AS u(id)'), [
    'ParamRef',
  ]);
  assert.deepEqual(
    tenantArg('SELECT report_insert(u.t, u.id) FROM unnest($1::text[], $2::text[]) AS u(t, id)'),
    ['ColumnRef'],
  );
  assert.ok(
    check(
      'UPDATE deliveries SET status = $1 WHERE id IN (SELECT id FROM deliveries LIMIT 2 FOR UPDATE SKIP LOCKED)',
    ).includes('row lock (FOR UPDATE …) across tenants'),
  );
});

test('every statement the PostgreSQL dialect sends keeps to one tenant on distributed tables', {
  skip: !PG_URL && 'PostgreSQL not selected',
}, async () => {
  await loadModule();
  assert.ok(DISTRIBUTED.includes('reports') && DISTRIBUTED.includes('deliveries'), DISTRIBUTED.join(', '));
  // Every literal that is a whole statement, sent or not (e.g. SQLite's report insert, shared text).
  const statements = [
    ...new Set([
      ...seen,
      ...literals()
        .filter((l) => l.whole)
        .map((l) => l.head),
    ]),
  ];
  // The bodies of the dialect's SQL functions run too (report_insert).
  for (const f of readdirSync(new URL('postgres/migrations/', storeDir))) {
    const sql = readFileSync(new URL(`postgres/migrations/${f}`, storeDir), 'utf8');
    for (const fn of sql.matchAll(/CREATE FUNCTION[\s\S]*?\$\$;/g)) {
      const tree = JSON.stringify(parsePlPgSQLSync(fn[0]));
      for (const q of tree.matchAll(/"query":"((?:[^"\\]|\\.)*)"/g)) {
        const text = JSON.parse(`"${q[1]}"`) as string;
        // A PL/pgSQL expression (`EXISTS (SELECT …)`) is checked as the SELECT it runs as.
        if (/^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i.test(text)) statements.push(norm(text));
        else if (text.split(/\W+/).some(distributed)) statements.push(norm(`SELECT ${text}`));
      }
    }
  }
  // The dialect's own writing functions take the tenant as a parameter: a statement that calls
  // one for rows of several tenants (`report_insert(u.tenant_id, …)` over an unnest) would
  // reach several shards on Citus even though each call inside keeps to one tenant.
  const perRowTenant: string[] = [];
  for (const sql of statements)
    for (const { stmt } of parseSync(numberParameters(sql, dollar).text).stmts ?? [])
      for (const call of functionCalls(stmt, 'report_insert'))
        if (!('ParamRef' in (call.args?.[0] ?? {}))) perRowTenant.push(sql.slice(0, 200));
  assert.deepEqual(perRowTenant, [], 'report_insert called with a tenant that is not one parameter');
  assert.ok(
    statements.some((s) => s.includes('report_insert($tenantId, u.id')),
    'the batched ingest statement is among them',
  );
  const problems: string[] = [];
  let onDistributed = 0;
  for (const sql of statements) {
    const text = numberParameters(sql, dollar).text;
    const parsed = parseSync(text);
    for (const { stmt } of parsed.stmts ?? []) {
      const findings = tenantFindings(stmt as Record<string, unknown>, distributed);
      const names = JSON.stringify(stmt).match(/"relname":"([a-z_0-9]+)"/g) ?? [];
      if (names.some((n) => distributed(n.slice(11, -1)))) onDistributed++;
      const exempt = MULTI_SHARD.find(([start]) => sql.startsWith(start));
      for (const f of findings) {
        // A listed cross-tenant statement may read every shard, but not lock rows or LIMIT a modification there.
        if (exempt && f.problem === 'no tenant_id = … on it') continue;
        if (exempt && f.problem === 'INSERT without tenant_id') continue;
        problems.push(`${f.table}: ${f.problem}\n    ${sql.slice(0, 200)}`);
      }
    }
  }
  assert.deepEqual(problems, [], `statements not held to one tenant:\n${problems.join('\n')}`);
  assert.ok(
    statements.some((s) => s.startsWith('SELECT EXISTS (SELECT 1 FROM reports')),
    "report_insert's duplicate check is among them",
  );
  assert.ok(onDistributed >= 40, `parsed ${onDistributed} statements on distributed tables`);
  for (const [start] of MULTI_SHARD)
    assert.ok(
      statements.some((s) => s.startsWith(start)),
      `the listed cross-tenant statement "${start}" is still sent`,
    );

  // A statement put together from pieces is checked in the form it was sent: each such literal
  // must be part of a recorded statement, so none escapes the check by not being run.
  const sent = [...seen];
  const missing = literals().filter((l) => !l.whole && !sent.some((s) => s.includes(l.head)));
  assert.deepEqual(missing, [], 'composed SQL no suite sent (add it to a suite run here)');
});
