/**
 * Two `netinsights serve --db postgres://…` processes against one
 * PostgreSQL database. A client uploads one stream of reports, each report
 * to both servers at once (as retries through a load balancer would), and
 * SIGKILLs one server midway; a fresh server takes its place for the rest of
 * the stream. Then: every acknowledged report is stored, and exactly once;
 * the insight the stream causes is opened exactly once (one row, one
 * `opened` event), although both servers' engines evaluate every second, and
 * its evidence counts each stored report once.
 *
 * Runs when the PostgreSQL dialect is selected (test/store/dialects.ts):
 * once with the servers connected to PostgreSQL directly, and once through
 * a real PgBouncer in transaction mode (test/store/pgbouncer.ts), where any
 * session state a server relied on would be lost between its transactions.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { ok } from '@netinsights/protocol';
import { AGENT_TOKEN_PREFIX, hashSecret, newSecret } from '../../src/auth/secrets.ts';
import type {} from '../../src/insights/store-contract.ts';
import type { Store } from '../../src/store/contract.ts';
import { openStore } from '../../src/store/open-store.ts';
import { failure, https, report } from '../insights/helpers/reports.ts';
import { type TestDatabase, testDatabase, testDialects } from './dialects.ts';
import { type Bouncer, havePgBouncer, startPgBouncer } from './pgbouncer.ts';

const BIN = new URL('../../../cli/bin/netinsights.ts', import.meta.url).pathname;
const KIND = 'critical-domain-https-failure';
const REPORTS = 120;
const KILL_AT = 60;

interface Server {
  child: ChildProcess;
  url: string;
}

/** Starts `netinsights serve` on a free port and resolves once it prints its address. */
async function serve(db: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--db', db, '--port', '0', '--evaluate-interval-seconds', '1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout! });
  const deadline = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    for await (const line of lines) {
      const m = /listening on (\S+)/.exec(line);
      if (m) {
        lines.on('line', () => {}); // keep draining stdout
        return { child, url: m[1]! };
      }
    }
    throw new Error(`serve exited before listening (code ${child.exitCode}): ${stderr}`);
  } finally {
    clearTimeout(deadline);
  }
}

async function upload(server: Server, token: string, body: string): Promise<boolean> {
  try {
    const res = await fetch(`${server.url}/api/v1/reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer();
    return res.status === 202;
  } catch {
    return false; // refused, reset (killed) or timed out: not acknowledged
  }
}

const selected = testDialects().includes('postgres');

for (const route of ['directly', 'through PgBouncer (transaction mode)'] as const) {
  const bounced = route !== 'directly';
  const skip = !selected
    ? 'PostgreSQL not selected'
    : bounced && !havePgBouncer()
      ? 'pgbouncer not installed (apt-get install pgbouncer)'
      : false;
  describe(`two servers on one PostgreSQL, ${route}`, { skip }, () => {
    let database: TestDatabase;
    let bouncer: Bouncer | undefined;
    let dbUrl = '';
    let store: Store;
    const servers: Server[] = [];
    let token = '';
    const tenantId = randomUUID();
    let passed = false;

    before(async () => {
      database = await testDatabase('postgres');
      // The servers' --db; this test's own checks read the database directly.
      if (bounced) bouncer = await startPgBouncer(database.url);
      dbUrl = bouncer ? bouncer.via(database.url) : database.url;
      store = await openStore({ url: database.url, poolSize: 2 });
      const now = new Date().toISOString();
      await store.tenants.create({ id: tenantId, name: 'Two servers', createdAt: now });
      await store.offices.create({
        tenantId,
        id: 'lis',
        name: 'Lisbon',
        address: null,
        city: 'Lisbon',
        country: 'PT',
        latitude: 38.72,
        longitude: -9.14,
        lanSubnets: [],
        egressRanges: [],
        createdAt: now,
        updatedAt: now,
      });
      token = newSecret(AGENT_TOKEN_PREFIX);
      await store.agentTokens.create({
        tenantId,
        id: randomUUID(),
        name: 'probes',
        officeId: 'lis',
        tokenHash: hashSecret(token),
        createdAt: now,
        lastUsedAt: null,
        revokedAt: null,
      });
    });

    after(async () => {
      // Through PgBouncer a failed run keeps PgBouncer's log (its view of the cut connections).
      if (bouncer && !passed) console.error(bouncer.keepLog());
      for (const s of servers)
        if (s.child.exitCode === null && s.child.signalCode === null) {
          s.child.kill('SIGTERM');
          await once(s.child, 'exit');
        }
      await store?.close();
      await bouncer?.stop();
      await database?.drop();
    });

    test('every acknowledged report is stored once and the insight is opened once, across a SIGKILL', async () => {
      // Both start at once; each one that did start is stopped by after() even if the other failed,
      // so a failed start fails this test instead of leaving a server that holds the run open.
      const started = await Promise.allSettled([serve(dbUrl), serve(dbUrl)]);
      for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
      for (const s of started)
        if (s.status === 'rejected') {
          // A start that failed through PgBouncer (seen once in CI, cause unknown): keep its side of the story.
          if (bouncer)
            throw new Error(`${(s.reason as Error).message}\n${bouncer.keepLog()}`, { cause: s.reason });
          throw s.reason;
        }
      const [a, b] = servers.slice(-2);
      const bodies = Array.from({ length: REPORTS }, (_, i) =>
        report(`dev-${i % 5}`, [
          https(
            'teams.cloud.microsoft',
            'cloud.microsoft',
            i % 4 === 0 ? failure('proxy', 'forbidden') : ok(),
          ),
        ]),
      );
      const acked = new Set<string>();
      let pair: [Server, Server] = [a!, b!];
      let killed: Promise<unknown> | undefined;
      // Four reports in flight at a time, each to both servers of the current pair.
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < REPORTS; i = next++) {
          if (i === KILL_AT) {
            // SIGKILL while uploads to it are in flight; a fresh server replaces it.
            a!.child.kill('SIGKILL');
            killed = once(a!.child, 'exit');
            const fresh = await serve(dbUrl);
            servers.push(fresh);
            pair = [fresh, b!];
          }
          const r = bodies[i]!;
          const text = JSON.stringify(r);
          const answers = await Promise.all(pair.map((s) => upload(s, token, text)));
          if (answers.some(Boolean)) acked.add(r.reportId);
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      await killed;

      // Stored exactly once: every acknowledged id is there, and there is one row per id.
      const ids = bodies.map((r) => r.reportId);
      const rows = await store.reports.list(tenantId, { limit: 1000 });
      const storedIds = rows.items.map((r) => r.id);
      assert.equal(new Set(storedIds).size, storedIds.length, 'no report id stored twice');
      for (const id of acked) assert.ok(storedIds.includes(id), `acknowledged report ${id} is stored`);
      assert.ok(
        storedIds.every((id) => ids.includes(id)),
        'nothing stored that was not sent',
      );
      assert.ok(acked.size >= REPORTS - 8, `most reports acknowledged (${acked.size}/${REPORTS})`);

      // The insight: wait for it, then let both engines run a few more times.
      const deadline = Date.now() + 60_000;
      let active = await store.insights.list(tenantId, { kind: KIND as never });
      while (active.length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        active = await store.insights.list(tenantId, { kind: KIND as never });
      }
      await new Promise((r) => setTimeout(r, 3_000));
      const insights = await store.insights.list(tenantId, {});
      assert.deepEqual(
        insights.map((i) => [i.officeKey, i.kind, i.status]),
        [['lis', KIND, 'active']],
      );
      const events = await store.insights.events(tenantId, insights[0]!.id);
      assert.deepEqual(
        events.filter((e) => e.type === 'opened' || e.type === 'reopened').map((e) => e.type),
        ['opened'],
        'opened exactly once',
      );
      // Counted once too: a report that reached both servers feeds the insight's evidence once.
      const evidence = insights[0]!.evidence as unknown as { samples: number };
      assert.equal(evidence.samples, storedIds.length, 'each stored report counted once by the engine');
      passed = true;
    });
  });
}
