/**
 * Several servers on one database: what must hold when two `netinsights
 * serve` processes share a store. Each "server" here is its own store (its
 * own connection pool) on the same PostgreSQL schema; on SQLite one process
 * owns the file, so both roles share one store and the same assertions hold.
 *
 * - reports folded into the same office's hour bucket from both servers at
 *   once all count (no lost update of the rollup);
 * - two insight engines evaluating the same office at the same moment open
 *   the insight once, with one `opened` event;
 * - two outbox workers claiming at once never get the same delivery, and
 *   two servers' workers sending to a real webhook receiver send each
 *   delivery once;
 * - an office marked due while it is being evaluated stays due;
 * - the per-tenant lock is held by one transaction at a time, and is freed
 *   when the holder's connection dies;
 * - insight event numbers become visible in order (the outbox's read
 *   position never skips a late commit).
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ok } from '@netinsights/protocol';
import { LoginThrottle } from '../../src/auth/login-throttle.ts';
import { createInsightsHook } from '../../src/insights/index.ts';
import { enqueueNotice, OutboxWorker } from '../../src/notify/outbox.ts';
import type {} from '../../src/notify/store-contract.ts';
import type { Store } from '../../src/store/contract.ts';
import { failure, https, report } from '../insights/helpers/reports.ts';
import { addChannel, LOOPBACK_OK, receiver, sampleNotice } from '../notify/helpers.ts';
import { storeFactory, testDialects } from './dialects.ts';

const MIN = 60_000;
const T0 = Date.parse('2026-11-23T08:00:00Z');
const KIND = 'critical-domain-https-failure';

for (const dialect of testDialects()) {
  describe(`store across servers: ${dialect}`, () => {
    const stores = storeFactory(dialect);
    after(() => stores.cleanup());
    /** Two "servers" on one database (SQLite: one process owns the file, so one store). */
    const twoServers = async (): Promise<[Store, Store]> => {
      const a = await stores.open();
      return [a, dialect === 'sqlite' ? a : await stores.openSibling()];
    };
    const pgOnly = dialect === 'postgres' ? false : 'SQLite runs one writer transaction at a time';

    test('reports ingested through both servers at once all count, and the insight opens once', async () => {
      const [a, b] = await twoServers();
      await a.tenants.create({ id: 't1', name: 'T', createdAt: new Date(T0).toISOString() });
      const hooks = [createInsightsHook(), createInsightsHook()];
      const servers = [a, b];
      // 48 reports, 12 failing at the proxy, from 4 devices, alternating servers, 8 in flight at a time.
      const jobs = Array.from({ length: 48 }, (_, i) => async () => {
        const server = i % 2;
        const r = report(`dev-${i % 4}`, [
          https(
            'teams.cloud.microsoft',
            'cloud.microsoft',
            i % 4 === 0 ? failure('proxy', 'forbidden') : ok(),
          ),
        ]);
        await servers[server]!.transaction((tx) =>
          hooks[server]!.onReportStored(tx, {
            tenantId: 't1',
            officeKey: 'lis',
            office: null,
            discoveredId: null,
            report: r,
            receivedAt: new Date(T0 + i * 10_000).toISOString(),
            egressIp: '192.0.2.10',
            egressGeo: null,
          }),
        );
      });
      const queue = [...jobs];
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let job = queue.shift(); job; job = queue.shift()) await job();
        }),
      );

      const now = new Date(T0 + 30 * MIN);
      await Promise.all([hooks[0]!.evaluateAll(a, now), hooks[1]!.evaluateAll(b, now)]);
      const insights = await a.insights.list('t1', {});
      assert.deepEqual(
        insights.map((i) => [i.kind, i.status]),
        [[KIND, 'active']],
      );
      const ev = insights[0]!.evidence as unknown as { samples: number; devices: number; share: number };
      assert.deepEqual([ev.samples, ev.share], [48, 0.25], 'every report from both servers was counted once');
      assert.deepEqual(
        (await a.insights.events('t1', insights[0]!.id)).map((e) => e.type),
        ['opened'],
      );
      // Both evaluate again at once: nothing changed, so nothing new is said.
      await Promise.all([
        hooks[0]!.evaluateAll(a, new Date(now.getTime() + 1000)),
        hooks[1]!.evaluateAll(b, new Date(now.getTime() + 1000)),
      ]);
      assert.equal((await a.insights.eventsAfter(0, 100)).length, 1);
    });

    test('an office marked due during its evaluation stays due', { skip: pgOnly }, async () => {
      const [a, b] = await twoServers();
      const iso = (m: number) => new Date(T0 + m * MIN).toISOString();
      await a.insights.markDue('t1', 'o1', iso(0));
      let marked: Promise<void> | undefined;
      await a.transaction(async (tx) => {
        await tx.insights.rollups('t1', 'o1', iso(-60), iso(0)); // the evaluation reads its window
        marked = b.insights.markDue('t1', 'o1', iso(5)); // a report the evaluation did not see
        await new Promise((r) => setTimeout(r, 100));
        await tx.insights.setSchedule('t1', 'o1', {
          dueAt: iso(60),
          cityKey: null,
          latencyMedianMs: null,
          throughputMbps: null,
          perfSamples: 0,
          evaluatedAt: iso(1),
        });
      });
      await marked;
      assert.equal((await a.insights.getSchedule('t1', 'o1'))?.dueAt, iso(5));
    });

    test('while one server holds a tenant, another server’s engine leaves that tenant to it', {
      skip: pgOnly,
    }, async () => {
      const [a, b] = await twoServers();
      await a.tenants.create({ id: 't2', name: 'T2', createdAt: new Date(T0).toISOString() });
      const hook = createInsightsHook();
      await a.transaction(async (tx) => {
        for (let i = 0; i < 30; i++)
          await hook.onReportStored(tx, {
            tenantId: 't2',
            officeKey: 'porto',
            office: null,
            discoveredId: null,
            report: report(`dev-${i % 2}`, [
              https('teams.cloud.microsoft', 'cloud.microsoft', failure('proxy', 'forbidden')),
            ]),
            receivedAt: new Date(T0 + i * 10_000).toISOString(),
            egressIp: '192.0.2.20',
            egressGeo: null,
          });
      });
      const now = new Date(T0 + 30 * MIN);
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => {
        locked = r;
      });
      const holder = a.transaction(async (tx) => {
        assert.equal(await tx.locks.tryTenant('t2'), true);
        locked();
        await held;
      });
      await isLocked;
      await createInsightsHook().evaluateAll(b, now);
      assert.deepEqual(await b.insights.list('t2', {}), [], 'the other server did not evaluate t2');
      const due = await b.insights.dueOffices(now.toISOString(), 100);
      assert.ok(
        due.some((d) => d.tenantId === 't2' && d.officeKey === 'porto'),
        'the office stays due',
      );
      release();
      await holder;
      await createInsightsHook().evaluateAll(b, now);
      assert.deepEqual(
        (await b.insights.list('t2', {})).map((i) => [i.kind, i.status]),
        [[KIND, 'active']],
      );
    });

    test('two workers claiming at once never get the same delivery', async () => {
      const [a, b] = await twoServers();
      const now = '2026-11-23T08:00:00.000Z';
      for (let i = 0; i < 60; i++) await a.outbox.enqueueTest('t1', 'c1', `d${i}`, now);
      const claimed: string[] = [];
      const worker = async (s: Store, owner: string) => {
        for (;;) {
          const got = await s.outbox.claim(owner, now, '2026-11-23T09:00:00.000Z', 7);
          if (got.length === 0) return;
          claimed.push(...got.map((d) => d.id));
        }
      };
      await Promise.all([worker(a, 'a1'), worker(b, 'b1'), worker(a, 'a2'), worker(b, 'b2')]);
      assert.equal(claimed.length, 60);
      assert.equal(new Set(claimed).size, 60);
    });

    test('outbox workers on both servers send every delivery to the webhook once', async (t) => {
      const [a, b] = await twoServers();
      const rx = await receiver(t);
      await addChannel(a, { type: 'webhook', config: { url: `${rx.url}/hook`, secret: 's3cret' } });
      const queued: string[] = [];
      for (let i = 0; i < 30; i++)
        for (const q of await enqueueNotice(a, 't1', sampleNotice({ eventId: `e${i}` })))
          queued.push(q.deliveryId);
      assert.equal(queued.length, 30);
      const workers = [
        new OutboxWorker({ store: a, ctx: LOOPBACK_OK, owner: 'server-a', batchSize: 4 }),
        new OutboxWorker({ store: b, ctx: LOOPBACK_OK, owner: 'server-b', batchSize: 4 }),
      ];
      // Both pass at once, repeatedly, until nothing is left (bounded).
      for (let i = 0; i < 100 && rx.accepted().length < 30; i++)
        await Promise.all(workers.map((w) => w.runOnce()));
      assert.deepEqual([...rx.accepted()].sort(), [...queued].sort(), 'each delivery received once');
      assert.equal(rx.got.length, 30, 'no second send of any delivery');
      const byWorker = new Set<string>();
      for (const id of queued) for (const x of await a.outbox.listAttempts('t1', id)) byWorker.add(x.worker);
      if (dialect === 'postgres') assert.equal(byWorker.size, 2, 'both servers took part');
      assert.equal((await b.outbox.countByStatus()).delivered, 30);
    });

    test('a tenant lock is held by one transaction at a time and freed when its holder dies', {
      skip: pgOnly,
    }, async () => {
      const [a, b] = await twoServers();
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      let signalLocked!: () => void;
      const locked = new Promise<void>((r) => {
        signalLocked = r;
      });
      const holder = a.transaction(async (tx) => {
        assert.equal(await tx.locks.tryTenant('t1'), true);
        signalLocked();
        await held;
      });
      await locked;
      assert.equal(await b.transaction((tx) => tx.locks.tryTenant('t1')), false, 'held elsewhere');
      assert.equal(await b.transaction((tx) => tx.locks.tryTenant('t2')), true, 'other tenants are free');
      release();
      await holder;
      assert.equal(await b.transaction((tx) => tx.locks.tryTenant('t1')), true, 'free after commit');

      // A holder whose connection is cut (a killed server) frees the lock with it.
      let signalHolding!: () => void;
      const holding = new Promise<void>((r) => {
        signalHolding = r;
      });
      let finish!: () => void;
      const cut = new Promise<void>((r) => {
        finish = r;
      });
      const doomed = a
        .transaction(async (tx) => {
          assert.equal(await tx.locks.tryTenant('t9'), true);
          signalHolding();
          await cut;
        })
        .then(
          () => 'committed',
          (e: Error) => e.message,
        );
      await holding;
      assert.equal(await b.transaction((tx) => tx.locks.tryTenant('t9')), false);
      const { default: pg } = await import('pg');
      const admin = new pg.Client({ connectionString: process.env.NETINSIGHTS_TEST_PG_URL });
      await admin.connect();
      try {
        // The doomed transaction is the only one of this test holding an advisory lock right now.
        await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted
           AND pid <> pg_backend_pid()
           AND pid IN (SELECT pid FROM pg_stat_activity WHERE state = 'idle in transaction')`,
        );
      } finally {
        await admin.end();
      }
      finish();
      assert.notEqual(await doomed, 'committed', 'the cut transaction does not commit');
      assert.equal(await b.transaction((tx) => tx.locks.tryTenant('t9')), true);
    });

    test('insight events become visible in seq order, even when an earlier writer commits late', {
      skip: pgOnly,
    }, async () => {
      const [a, b] = await twoServers();
      let release!: () => void;
      const slow = new Promise<void>((r) => {
        release = r;
      });
      let appended!: () => void;
      const first = new Promise<void>((r) => {
        appended = r;
      });
      const order: string[] = [];
      const late = a.transaction(async (tx) => {
        await tx.insights.appendEvent('t1', 'i1', { type: 'opened', at: 'x', summary: 'first' });
        appended();
        await slow;
        order.push('first committed');
      });
      await first;
      const second = b.insights
        .appendEvent('t2', 'i2', { type: 'opened', at: 'x', summary: 'second' })
        .then((seq) => {
          order.push('second committed');
          return seq;
        });
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(await b.insights.eventsAfter(0, 10), [], 'nothing visible while the first is open');
      release();
      await late;
      await second;
      assert.deepEqual(order, ['first committed', 'second committed']);
      assert.deepEqual(
        (await b.insights.eventsAfter(0, 10)).map((e) => e.summary),
        ['first', 'second'],
      );
    });

    test('sign-in attempts on either server count together, and every concurrent attempt counts', async () => {
      const [a, b] = await twoServers();
      const throttles = [new LoginThrottle(a), new LoginThrottle(b)];
      const key = LoginThrottle.key('owner@example.test', '198.51.100.7');
      const now = new Date(T0);
      // Eight attempts at once, alternating servers: all eight counted (no lost update), five let through.
      const waits = await Promise.all(
        Array.from({ length: 8 }, (_, i) => throttles[i % 2]!.attempt(key, now)),
      );
      assert.equal((await b.loginFailures.get(key))?.failures, 8);
      assert.equal(waits.filter((w) => w === 0).length, 5, 'five attempts pass, whichever server took them');
      for (const t of throttles) assert.ok((await t.attempt(key, now)) > 800, 'both servers refuse');
      // The window passes: a new run starts at one, and the old one is purged.
      const later = new Date(T0 + 16 * MIN);
      assert.equal(await throttles[1]!.attempt(key, later), 0);
      assert.equal((await a.loginFailures.get(key))?.failures, 1);
      assert.equal(await throttles[0]!.purge(new Date(T0 + 40 * MIN)), 1);
      assert.equal(await a.loginFailures.get(key), undefined);
      await throttles[0]!.attempt(key, later);
      await throttles[1]!.succeed(key);
      assert.equal(await a.loginFailures.get(key), undefined, 'a good sign-in clears the run');
    });
  });
}
