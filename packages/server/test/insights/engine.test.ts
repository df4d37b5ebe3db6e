/**
 * The engine on a real SQLite store: lifecycle across time (explicit `now`
 * values, no sleeps), resolution when quiet, hysteresis, reopening, events
 * that are never lost or orphaned, tenant isolation of every insights query,
 * peers across tenants, per-tenant settings, and incremental scheduling.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok } from '@netinsights/protocol';
import { SETTINGS_KEY } from '../../src/insights/engine.ts';
import { createInsightsHook } from '../../src/insights/index.ts';
import { emptyRollup, parseRollup } from '../../src/insights/rollup.ts';
import type { Store } from '../../src/store/contract.ts';
import { failure, https, latency, report, throughput } from './helpers/reports.ts';
import { openTestStore, type TestStore } from './helpers/store.ts';

const HOUR = 3_600_000;
const MIN = 60_000;
const T0 = Date.parse('2026-11-23T08:00:00Z');
const KIND = 'critical-domain-https-failure';

/** `n` reports over ten minutes from `start`, `bad` of them failing at the proxy, from 3 devices. */
async function send(
  ts: TestStore,
  tenantId: string,
  officeKey: string,
  start: number,
  n: number,
  bad: number,
  cls: 'forbidden' | 'auth-required' = 'forbidden',
) {
  for (let i = 0; i < n; i++) {
    const outcome = i < bad ? failure('proxy', cls) : ok();
    const r = report(`dev-${i % 3}`, [https('teams.cloud.microsoft', 'cloud.microsoft', outcome)]);
    await ts.ingest(tenantId, officeKey, r, start + Math.floor((i * 10 * MIN) / n));
  }
}

async function eventsOf(store: Store, tenantId: string, id: string) {
  return (await store.insights.events(tenantId, id)).map((e) => e.type);
}

describe('insight engine on SQLite: lifecycle across time', () => {
  let ts: TestStore;
  before(async () => {
    ts = await openTestStore();
    await ts.addOffice('t1', 'lis', { name: 'Lisbon HQ' });
  });
  after(() => ts.close());

  let id = '';
  it('opens when a broken office has enough evidence, and says where', async () => {
    await send(ts, 't1', 'lis', T0, 20, 4); // 20 % but below 24 samples
    await ts.hook.evaluateAll(ts.store, new Date(T0 + 15 * MIN));
    assert.deepEqual(await ts.hook.listInsights(ts.store, 't1', {}), []);

    await send(ts, 't1', 'lis', T0 + 20 * MIN, 20, 4); // now 40 samples, 8 failures = 20 %
    await ts.hook.evaluateAll(ts.store, new Date(T0 + 35 * MIN));
    const [insight, ...rest] = await ts.hook.listInsights(ts.store, 't1', { status: 'active' });
    assert.equal(rest.length, 0);
    assert.ok(insight);
    id = insight.id;
    assert.equal(insight.kind, KIND);
    assert.equal(insight.officeId, 'lis');
    assert.equal(insight.officeName, 'Lisbon HQ');
    const ev = insight.evidence as { samples: number; devices: number; share: number };
    assert.deepEqual([ev.samples, ev.devices, ev.share], [40, 3, 0.2]);
    assert.equal(insight.firstDetectedAt, new Date(T0 + 35 * MIN).toISOString());
    assert.deepEqual(await eventsOf(ts.store, 't1', id), ['opened']);
  });

  it('records an update when the failure changes character, not on every refresh', async () => {
    await send(ts, 't1', 'lis', T0 + 40 * MIN, 10, 1);
    await ts.hook.evaluateAll(ts.store, new Date(T0 + 55 * MIN));
    assert.deepEqual(await eventsOf(ts.store, 't1', id), ['opened']);

    await send(ts, 't1', 'lis', T0 + HOUR, 30, 30, 'auth-required'); // 407s now dominate
    await ts.hook.evaluateAll(ts.store, new Date(T0 + HOUR + 15 * MIN));
    assert.deepEqual(await eventsOf(ts.store, 't1', id), ['opened', 'updated']);
    const found = await ts.hook.getInsight(ts.store, 't1', id);
    assert.equal(found?.insight.severity, 'high');
    assert.match(String(found?.insight.action), /407/);
    // The event says what changed, for the notification it becomes.
    assert.match(found?.events[1]?.summary ?? '', /\(was 20 %\).*most failures are now proxy\/auth-required/);
    assert.deepEqual(
      found?.events.map((e) => e.type),
      ['opened', 'updated'],
    );
  });

  it('hysteresis: falling between the close and open thresholds keeps it active without events', async () => {
    // 39 failures so far in 80; 400 healthy reports bring the share to 8.1 %: below 10 %, above 5 %.
    for (let h = 0; h < 4; h++) await send(ts, 't1', 'lis', T0 + (2 + h) * HOUR, 100, 0);
    await ts.hook.evaluateAll(ts.store, new Date(T0 + 5 * HOUR + 20 * MIN));
    const i = (await ts.hook.getInsight(ts.store, 't1', id))!;
    assert.equal(i.insight.status, 'active');
    assert.ok((i.insight.metric as { value: number }).value < 0.1);
    assert.deepEqual(await eventsOf(ts.store, 't1', id), ['opened', 'updated', 'updated']);
  });

  it('resolves once repaired and the share drops below the close threshold', async () => {
    for (let h = 0; h < 4; h++) await send(ts, 't1', 'lis', T0 + (6 + h) * HOUR, 100, 0);
    await ts.hook.evaluateAll(ts.store, new Date(T0 + 9 * HOUR + 20 * MIN));
    const i = (await ts.hook.getInsight(ts.store, 't1', id))!;
    assert.equal(i.insight.status, 'resolved');
    assert.equal(i.insight.resolvedAt, new Date(T0 + 9 * HOUR + 20 * MIN).toISOString());
    assert.equal((await eventsOf(ts.store, 't1', id)).at(-1), 'resolved');
    assert.deepEqual(await ts.hook.listInsights(ts.store, 't1', { status: 'active' }), []);
  });

  it('reopens the same insight when the problem comes back', async () => {
    await send(ts, 't1', 'lis', T0 + 10 * HOUR, 200, 200);
    await ts.hook.evaluateAll(ts.store, new Date(T0 + 10 * HOUR + 15 * MIN));
    const all = await ts.hook.listInsights(ts.store, 't1', {});
    assert.equal(all.length, 1);
    assert.equal(all[0]?.id, id);
    assert.equal(all[0]?.status, 'active');
    assert.equal(all[0]?.resolvedAt, null);
    assert.equal((await eventsOf(ts.store, 't1', id)).at(-1), 'reopened');
  });

  it('resolves when the office goes quiet, at the first evaluation after the window empties', async () => {
    // Within the window the timer keeps it active (due every hour while something is in the window).
    await ts.hook.evaluateAll(ts.store, new Date(T0 + 20 * HOUR));
    assert.equal((await ts.hook.getInsight(ts.store, 't1', id))?.insight.status, 'active');
    // The last report was at 10:xx; 24 h later its bucket has left the window.
    await ts.hook.evaluateAll(ts.store, new Date(T0 + 35 * HOUR));
    const i = (await ts.hook.getInsight(ts.store, 't1', id))!;
    assert.equal(i.insight.status, 'resolved');
    assert.match(i.events.at(-1)?.summary ?? '', /quiet/);
    // Nothing left to age out and nothing active: the office is no longer scheduled.
    assert.equal((await ts.store.insights.getSchedule('t1', 'lis'))?.dueAt, null);
  });

  it('every transition left exactly one event, in order, readable by the outbox feed', async () => {
    const feed = await ts.store.insights.eventsAfter(0, 100);
    assert.deepEqual(
      feed.map((e) => e.type),
      ['opened', 'updated', 'updated', 'resolved', 'reopened', 'resolved'],
    );
    // Each event belongs to the insight and the tenant it describes.
    assert.ok(feed.every((e) => e.tenantId === 't1' && e.insightId === feed[0]!.insightId));
    for (let i = 1; i < feed.length; i++) assert.ok(feed[i]!.seq > feed[i - 1]!.seq);
    assert.deepEqual(await ts.store.insights.eventsAfter(feed[2]!.seq, 2), feed.slice(3, 5));
  });
});

describe('insight engine on SQLite: atomicity and scheduling', () => {
  let ts: TestStore;
  before(async () => {
    ts = await openTestStore();
    await ts.addOffice('t1', 'porto', { city: 'Porto' });
  });
  after(() => ts.close());

  it('a report whose transaction fails leaves no trace in the rollups', async () => {
    const r = report('dev-1', [https('teams.cloud.microsoft', 'cloud.microsoft', failure('tcp', 'refused'))]);
    await assert.rejects(
      ts.store.transaction(async (tx) => {
        await ts.hook.onReportStored(tx, {
          tenantId: 't1',
          officeKey: 'porto',
          office: null,
          discoveredId: null,
          report: r,
          receivedAt: new Date(T0).toISOString(),
          egressIp: '192.0.2.1',
          egressGeo: null,
        });
        throw new Error('disk full (simulated)');
      }),
      /disk full/,
    );
    assert.deepEqual(await ts.store.insights.rollups('t1', 'porto', '2000-01-01', '2100-01-01'), []);
    assert.deepEqual(await ts.store.insights.dueOffices(new Date(T0 + HOUR).toISOString(), 10), []);
  });

  it('a rolled-back report is not carried into the bucket by the next one (the parsed-bucket cache re-reads)', async () => {
    const at = T0 + 3 * HOUR;
    const bucket = new Date(at).toISOString();
    const one = () => report('dev-9', [https('m365.cloud.microsoft', 'cloud.microsoft', ok())]);
    const event = (r: ReturnType<typeof one>) => ({
      tenantId: 't1',
      officeKey: 'porto',
      office: null,
      discoveredId: null,
      report: r,
      receivedAt: new Date(at).toISOString(),
      egressIp: '192.0.2.1',
      egressGeo: null,
    });
    await ts.ingest('t1', 'porto', one(), at);
    await assert.rejects(
      ts.store.transaction(async (tx) => {
        await ts.hook.onReportStored(tx, event(one()));
        throw new Error('rolled back (simulated)');
      }),
    );
    await ts.ingest('t1', 'porto', one(), at);
    // A second engine (another collector process) writing the same bucket is seen by the first.
    const other = createInsightsHook();
    await ts.store.transaction((tx) => other.onReportStored(tx, event(one())));
    await ts.ingest('t1', 'porto', one(), at);
    const stored = await ts.store.insights.getRollup('t1', 'porto', bucket);
    assert.equal(parseRollup(stored!.data).reports, 4);
    // Clean up for the next tests: this bucket is not part of their story.
    await ts.store.transaction(async (tx) => {
      await tx.insights.putRollup('t1', 'porto', bucket, JSON.stringify(emptyRollup()), 'reset');
    });
  });

  it('an evaluation that fails half-way stores neither the state nor its event; the next run does both', async () => {
    await send(ts, 't1', 'porto', T0, 30, 30);
    const result = await ts.hook.engine.evaluateDue(
      wrapInsights(ts.store, () => ({
        appendEvent: () => Promise.reject(new Error('event write failed (simulated)')),
      })),
      T0 + 20 * MIN,
    );
    assert.equal(result.failures.length, 1);
    assert.equal(result.offices, 0);
    assert.deepEqual(await ts.store.insights.list('t1', {}), []);
    assert.deepEqual(await ts.store.insights.eventsAfter(0, 10), []);
    // Still due, so the next run picks it up.
    const retry = await ts.hook.engine.evaluateDue(ts.store, T0 + 21 * MIN);
    assert.equal(retry.offices, 1);
    assert.equal(retry.events, 1);
    const [saved] = await ts.store.insights.list('t1', {});
    assert.deepEqual(await eventsOf(ts.store, 't1', saved!.id), ['opened']);
  });

  it('evaluates only due offices: a second run at the same time touches nothing', async () => {
    const again = await ts.hook.engine.evaluateDue(ts.store, T0 + 21 * MIN);
    assert.equal(again.offices, 0);
    // At the next hour the window slides: the office is due again.
    const slid = await ts.hook.engine.evaluateDue(ts.store, T0 + HOUR + MIN);
    assert.equal(slid.offices, 1);
    assert.equal(slid.events, 0);
  });

  it('the timer hook reports a failed office (the server logs it) after evaluating the others', async () => {
    await send(ts, 't1', 'porto', T0 + 2 * HOUR, 1, 0);
    await ts.addOffice('t1', 'braga', { city: 'Braga' });
    await send(ts, 't1', 'braga', T0 + 2 * HOUR, 30, 30);
    // Inside the evaluation's transaction only the transaction's own repository may be used.
    const flaky = wrapInsights(ts.store, (original) => ({
      forOffice: (tenantId, officeKey) =>
        officeKey === 'porto'
          ? Promise.reject(new Error('read failed (simulated)'))
          : original.forOffice(tenantId, officeKey),
    }));
    await assert.rejects(
      ts.hook.evaluateAll(flaky, new Date(T0 + 2 * HOUR + 20 * MIN)),
      /insight evaluation failed for 1 office\(s\) \(t1\/porto: read failed \(simulated\)\)/,
    );
    assert.equal((await ts.hook.listInsights(ts.store, 't1', { officeId: 'braga' })).length, 1);
    // porto stayed due and is evaluated by the next healthy run.
    assert.equal((await ts.hook.engine.evaluateDue(ts.store, T0 + 2 * HOUR + 21 * MIN)).offices, 1);
  });
});

describe('insight engine on SQLite: retention', () => {
  let ts: TestStore;
  before(async () => {
    ts = await openTestStore();
  });
  after(() => ts.close());

  it('drops rollup buckets older than the longest possible window, keeps the rest', async () => {
    const old = report('d1', [https('m365.cloud.microsoft', 'cloud.microsoft', ok())]);
    await ts.ingest('t1', 'x', old, T0 - 40 * 24 * HOUR);
    await ts.ingest('t1', 'x', report('d1', []), T0 - 20 * 24 * HOUR);
    await ts.ingest('t1', 'x', report('d1', []), T0);
    await ts.hook.evaluateAll(ts.store, new Date(T0 + MIN));
    const left = await ts.store.insights.rollups('t1', 'x', '2000-01-01', '2100-01-01');
    assert.deepEqual(
      left.map((r) => r.bucketStart),
      [new Date(T0 - 20 * 24 * HOUR).toISOString(), new Date(T0).toISOString()],
    );
  });
});

describe('insight engine on SQLite: adopting a discovered location', () => {
  let ts: TestStore;
  before(async () => {
    ts = await openTestStore();
  });
  after(() => ts.close());

  it('moves the measured history to the new office; the office raises the insight, the location resolves', async () => {
    const geo = { city: 'Coimbra', country: 'PT', latitude: 40.2, longitude: -8.4 };
    const d = await ts.store.discovered.recordSeen(
      't1',
      '198.51.100.0/24',
      geo,
      new Date(T0).toISOString(),
      'loc1',
    );
    await send(ts, 't1', `discovered:${d.id}`, T0, 30, 30);
    await ts.hook.evaluateAll(ts.store, new Date(T0 + 20 * MIN));
    const [before] = await ts.hook.listInsights(ts.store, 't1', {});
    assert.equal(before?.officeId, 'discovered:loc1');
    assert.match(String(before?.officeName), /Coimbra/);

    await ts.addOffice('t1', 'coimbra', { name: 'Coimbra office', city: 'Coimbra' });
    await ts.store.transaction((tx) =>
      ts.hook.engine.adoptLocation(tx, 't1', 'discovered:loc1', 'coimbra', T0 + 25 * MIN),
    );
    await ts.hook.evaluateAll(ts.store, new Date(T0 + 26 * MIN));
    const office = await ts.hook.listInsights(ts.store, 't1', { officeId: 'coimbra' });
    assert.equal(office.length, 1);
    assert.equal(office[0]?.status, 'active');
    assert.equal((office[0]!.evidence as { samples: number }).samples, 30);
    const location = await ts.hook.listInsights(ts.store, 't1', { officeId: 'discovered:loc1' });
    assert.equal(location[0]?.status, 'resolved');
  });
});

/** A store whose insights repository (outside and inside transactions) has some methods replaced. */
function wrapInsights(
  store: Store,
  replace: (original: Store['insights']) => Partial<Store['insights']>,
): Store {
  const patch = (s: Store): Store => {
    const out = Object.create(s) as Store;
    Object.defineProperty(out, 'insights', { value: { ...s.insights, ...replace(s.insights) } });
    Object.defineProperty(out, 'transaction', {
      value: <T>(fn: (tx: Store) => Promise<T>) => s.transaction((tx) => fn(patch(tx))),
    });
    return out;
  };
  return patch(store);
}

describe('insight engine on SQLite: tenant isolation', () => {
  let ts: TestStore;
  let id = '';
  before(async () => {
    ts = await openTestStore();
    // Both tenants use the same office key on purpose: only the tenant separates them.
    await ts.addOffice('t1', 'hq', { name: 'T1 HQ' });
    await ts.addOffice('t2', 'hq', { name: 'T2 HQ' });
    await send(ts, 't1', 'hq', T0, 30, 30);
    await send(ts, 't2', 'hq', T0, 30, 0);
    await ts.hook.evaluateAll(ts.store, new Date(T0 + 20 * MIN));
    id = (await ts.hook.listInsights(ts.store, 't1', {}))[0]!.id;
  });
  after(() => ts.close());

  it('lists, filters and fetches only the tenant’s own insights', async () => {
    assert.equal((await ts.hook.listInsights(ts.store, 't1', { officeId: 'hq' })).length, 1);
    assert.deepEqual(await ts.hook.listInsights(ts.store, 't2', {}), []);
    assert.deepEqual(await ts.hook.listInsights(ts.store, 't2', { officeId: 'hq', status: 'active' }), []);
    assert.deepEqual(await ts.hook.listInsights(ts.store, 't2', { kind: KIND }), []);
    assert.equal(await ts.hook.getInsight(ts.store, 't2', id), undefined);
    assert.equal(await ts.store.insights.get('t2', id), undefined);
    assert.deepEqual(await ts.store.insights.events('t2', id), []);
    assert.deepEqual(await ts.store.insights.activeList('t2'), []);
    assert.deepEqual(await ts.store.insights.forOffice('t2', 'hq'), []);
    assert.equal((await ts.store.insights.activeList('t1')).length, 1);
  });

  it('keeps rollups and metrics apart', async () => {
    const m1 = await ts.hook.officeMetrics(ts.store, 't1', 'hq', '24h', new Date(T0 + 20 * MIN));
    const m2 = await ts.hook.officeMetrics(ts.store, 't2', 'hq', '24h', new Date(T0 + 20 * MIN));
    assert.equal(m1.buckets.length, 1);
    // t1's checks failed at the proxy before TLS; t2's passed with a genuine chain, hence its interception share of 0.
    assert.deepEqual((m1.buckets[0] as { failureShare: object }).failureShare, { [KIND]: 1 });
    assert.deepEqual((m2.buckets[0] as { failureShare: object }).failureShare, {
      [KIND]: 0,
      'tls-interception': 0,
    });
    const m3 = await ts.hook.officeMetrics(ts.store, 't3', 'hq', '24h', new Date(T0 + 20 * MIN));
    assert.deepEqual(m3.buckets, []);
  });

  it('an unknown kind filter matches nothing', async () => {
    assert.deepEqual(await ts.hook.listInsights(ts.store, 't1', { kind: 'nope' }), []);
  });
});

describe('insight engine on SQLite: peers, egress and settings', () => {
  let ts: TestStore;
  before(async () => {
    ts = await openTestStore();
  });
  after(() => ts.close());

  async function perf(tenantId: string, officeKey: string, ms: number, mbps: number, start: number) {
    for (let i = 0; i < 30; i++)
      await ts.ingest(
        tenantId,
        officeKey,
        report(`${officeKey}-d${i % 3}`, [latency(ms), throughput(mbps)]),
        start + i * MIN,
      );
  }

  it("compares an office with other tenants' offices of its city, never its own, showing only a rounded aggregate", async () => {
    await ts.addOffice('t1', 'slow', { name: 'Slow Lisbon' });
    await ts.addOffice('t1', 'fast', {}); // the tenant's own office: never a peer
    await ts.addOffice('t2', 'a', {});
    await ts.addOffice('t2', 'a2', {});
    await ts.addOffice('t3', 'b', { city: ' lisbon ' }); // same city, written differently
    await ts.addOffice('t3', 'b2', {});
    await ts.addOffice('t4', 'c', {});
    await ts.addOffice('t3', 'madrid', { city: 'Madrid', country: 'ES' });
    await perf('t1', 'fast', 10, 500, T0);
    await perf('t2', 'a', 95, 55, T0);
    await perf('t2', 'a2', 100, 50, T0);
    await perf('t3', 'b', 105, 45, T0);
    await perf('t3', 'b2', 100, 50, T0);
    await perf('t4', 'c', 98, 52, T0);
    await perf('t3', 'madrid', 10, 500, T0);
    await perf('t1', 'slow', 160, 50, T0);
    // First pass: each office publishes its own medians; second pass compares (peers now known).
    await ts.hook.evaluateAll(ts.store, new Date(T0 + 40 * MIN));
    await ts.store.transaction((tx) => ts.hook.engine.evaluateOffice(tx, 't1', 'slow', T0 + 41 * MIN));

    const [insight, ...rest] = await ts.hook.listInsights(ts.store, 't1', { kind: 'peer-performance' });
    assert.equal(rest.length, 0);
    assert.equal(insight?.officeId, 'slow');
    const peers = (insight!.evidence as { peers: { sampleOffices: number; latencyMedianMs: number } }).peers;
    assert.equal(peers.sampleOffices, 5);
    assert.equal(peers.latencyMedianMs, 100, 'the median of per-tenant medians, rounded to 5 ms');
    const json = JSON.stringify(insight);
    for (const secret of ['t2', 't3', 't4', '"a"', '"b"', 'fast', 'madrid'])
      assert.ok(!json.includes(secret), secret);
    assert.deepEqual(await ts.hook.listInsights(ts.store, 't2', {}), []);

    const metrics = await ts.hook.officeMetrics(ts.store, 't1', 'slow', '24h', new Date(T0 + 41 * MIN));
    assert.equal((metrics.peers as { sampleOffices: number }).sampleOffices, 5);
  });

  it('no comparison with fewer than 3 other offices in the city', async () => {
    await ts.addOffice('t2', 'faro-1', { city: 'Faro' });
    await ts.addOffice('t3', 'faro-2', { city: 'Faro' });
    await ts.addOffice('t1', 'faro-slow', { city: 'Faro' });
    await perf('t2', 'faro-1', 50, 50, T0);
    await perf('t3', 'faro-2', 50, 50, T0);
    await perf('t1', 'faro-slow', 200, 5, T0);
    await ts.hook.evaluateAll(ts.store, new Date(T0 + 42 * MIN));
    await ts.store.transaction((tx) => ts.hook.engine.evaluateOffice(tx, 't1', 'faro-slow', T0 + 43 * MIN));
    assert.deepEqual(await ts.hook.listInsights(ts.store, 't1', { officeId: 'faro-slow' }), []);
    const metrics = await ts.hook.officeMetrics(ts.store, 't1', 'faro-slow', '24h', new Date(T0 + 43 * MIN));
    assert.equal(metrics.peers, null);
  });

  it('raises backhauled egress from the collector’s GeoIP and the office coordinates', async () => {
    await ts.addOffice('t2', 'lis-branch', { name: 'Lisbon branch' });
    const frankfurt = { city: 'Frankfurt am Main', country: 'DE', latitude: 50.11, longitude: 8.68 };
    for (let i = 0; i < 30; i++)
      await ts.ingest('t2', 'lis-branch', report(`d${i % 2}`, []), T0 + i * MIN, frankfurt);
    await ts.hook.evaluateAll(ts.store, new Date(T0 + 50 * MIN));
    const [i] = await ts.hook.listInsights(ts.store, 't2', { kind: 'backhauled-egress' });
    assert.equal(i?.officeName, 'Lisbon branch');
    assert.match(String(i?.title), /Lisbon branch reaches the internet 18\d\d km away/);
  });

  it("reads the tenant's settings: a disabled kind resolves, a lower minimum opens sooner", async () => {
    await ts.addOffice('t3', 'small', { city: 'Braga' });
    await send(ts, 't3', 'small', T0 + 2 * HOUR, 10, 5);
    await ts.hook.evaluateAll(ts.store, new Date(T0 + 2 * HOUR + 15 * MIN));
    assert.deepEqual(await ts.hook.listInsights(ts.store, 't3', { officeId: 'small' }), []);

    await ts.store.settings.put('t3', SETTINGS_KEY, { minSamples: 10 }, new Date().toISOString());
    await ts.store.insights.markDue('t3', 'small', new Date(T0 + 2 * HOUR).toISOString());
    await ts.hook.evaluateAll(ts.store, new Date(T0 + 2 * HOUR + 16 * MIN));
    const [opened] = await ts.hook.listInsights(ts.store, 't3', { officeId: 'small' });
    assert.equal(opened?.status, 'active');

    await ts.store.settings.put(
      't3',
      SETTINGS_KEY,
      { minSamples: 10, kinds: { [KIND]: { enabled: false } } },
      new Date().toISOString(),
    );
    await ts.hook.evaluateAll(ts.store, new Date(T0 + 3 * HOUR + 1 * MIN)); // due at the next hour
    const [off] = await ts.hook.listInsights(ts.store, 't3', { officeId: 'small' });
    assert.equal(off?.status, 'resolved');
  });
});
