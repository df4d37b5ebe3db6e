/**
 * The measurement plan as agents meet it: `GET /api/v1/agent/config` names,
 * per run, the heavy checks the agent may run (throughput, Teams media, the
 * endpoint sweep) and the organisation's daily cap; offices and tenants
 * count apart; an agent whose own cap cannot afford a check is not granted
 * it; the policy's budget is bounded, and a bad one is refused with its JSON
 * path while the settings in force stay as they were.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadProfile, SWEEP_HOST_ALLOWANCE } from '@netinsights/protocol';
import { SNAPSHOT_DOCUMENT } from '@netinsights/protocol/catalog/snapshot.ts';
import { planSweep } from '@netinsights/protocol/catalog/sweep-catalog.ts';
import { deviceOffsetSeconds } from '../src/agents/measurement-planner.ts';
import { type Fixture, type SeededTenant, seedTenant, startFixture } from './helpers/server-fixture.ts';

let f: Fixture;
let A: SeededTenant;
let B: SeededTenant;
// Ten minutes into the UTC day: the plan allows each office one sample of each so far.
const NOW = new Date('2026-12-04T00:10:00Z');
let clock = () => new Date();

before(async () => {
  f = await startFixture({}, { now: () => clock() });
  A = await seedTenant(f, 'Alpha');
  B = await seedTenant(f, 'Beta');
  // Sign-ins were made at the real time; the plan is asked at NOW.
  clock = () => NOW;
});
after(() => f.close());

interface Answer {
  plan: { day: string; maxDailyBytes: number; heavyChecks: Record<string, { run: boolean; why?: string }> };
}

async function ask(
  t: SeededTenant,
  headers: Record<string, string>,
  remoteAddress = '192.0.2.10',
): Promise<Answer> {
  const res = await f.app.inject({
    method: 'GET',
    url: '/api/v1/agent/config',
    remoteAddress,
    headers: { authorization: `Bearer ${t.agentToken}`, 'x-netinsights-agent-version': '0.1.0', ...headers },
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as Answer;
}

test('each run is told its heavy checks; an office gets the samples planned by now, once', async () => {
  const first = await ask(A, { 'x-netinsights-device-id': 'laptop-1', 'x-netinsights-office-id': 'lis' });
  assert.equal(first.plan.day, '2026-12-04');
  assert.equal(first.plan.maxDailyBytes, 25_000_000);
  assert.deepEqual(Object.keys(first.plan.heavyChecks), ['throughput', 'teams-media', 'sweep']);
  assert.equal(first.plan.heavyChecks.throughput?.run, true);
  assert.equal(first.plan.heavyChecks['teams-media']?.run, true);
  const second = await ask(A, { 'x-netinsights-device-id': 'laptop-2', 'x-netinsights-office-id': 'lis' });
  assert.equal(second.plan.heavyChecks.throughput?.run, false);
  assert.match(
    second.plan.heavyChecks.throughput?.why ?? '',
    /the office has its samples for now: 1 planned by now today \(24 a day\)/,
  );
  // Another office of the same tenant, and the same office id in another tenant, count apart.
  const mad = await ask(A, { 'x-netinsights-device-id': 'laptop-3', 'x-netinsights-office-id': 'mad' });
  assert.equal(mad.plan.heavyChecks.throughput?.run, true);
  const beta = await ask(B, { 'x-netinsights-device-id': 'laptop-1', 'x-netinsights-office-id': 'lis' });
  assert.equal(beta.plan.heavyChecks.throughput?.run, true);
});

test('agents that name no office share the quota of their network', async () => {
  const one = await ask(A, { 'x-netinsights-device-id': 'd-1' }, '198.51.100.7');
  const two = await ask(A, { 'x-netinsights-device-id': 'd-2' }, '198.51.100.99');
  const elsewhere = await ask(A, { 'x-netinsights-device-id': 'd-3' }, '203.0.113.5');
  assert.equal(one.plan.heavyChecks.throughput?.run, true);
  assert.equal(two.plan.heavyChecks.throughput?.run, false, 'the same /24');
  assert.equal(elsewhere.plan.heavyChecks.throughput?.run, true);
});

test('an agent whose own cap has too little left is not granted the download', async () => {
  const poor = await ask(A, {
    'x-netinsights-device-id': 'thin-client',
    'x-netinsights-office-id': 'opo',
    'x-netinsights-traffic-left': '2000000',
  });
  assert.equal(poor.plan.heavyChecks.throughput?.run, false);
  assert.match(
    poor.plan.heavyChecks.throughput?.why ?? '',
    /daily traffic cap has 2 MB left, and one run may take 8\.\d MB/,
  );
  assert.equal(poor.plan.heavyChecks['teams-media']?.run, true);
  // The office's sample is still there for an agent that can afford it.
  const rich = await ask(A, { 'x-netinsights-device-id': 'desktop', 'x-netinsights-office-id': 'opo' });
  assert.equal(rich.plan.heavyChecks.throughput?.run, true);
});

test("the sweep is priced by the catalog the tenant's agents sweep, not by a guess", async () => {
  // Two devices whose sweep is due from 00:00:00 UTC (hash offset 0); the tenant imported no catalog,
  // so its agents sweep the shipped snapshot with the shipped profile's representative hosts.
  for (const d of ['sweep-laptop-4894', 'sweep-laptop-44009'])
    assert.equal(deviceOffsetSeconds(`device:${d}`, 'sweep'), 0);
  const hosts = planSweep(SNAPSHOT_DOCUMENT, loadProfile('m365').sweep?.representativeHosts ?? {}).targets
    .length;
  const cost = hosts * SWEEP_HOST_ALLOWANCE;
  const short = await ask(A, {
    'x-netinsights-device-id': 'sweep-laptop-44009',
    'x-netinsights-office-id': 'osw',
    'x-netinsights-traffic-left': String(cost - 1),
  });
  assert.equal(short.plan.heavyChecks.sweep?.run, false);
  assert.match(
    short.plan.heavyChecks.sweep?.why ?? '',
    new RegExp(`one run may take ${Math.round(cost / 1e5) / 10} MB`),
  );
  const enough = await ask(A, {
    'x-netinsights-device-id': 'sweep-laptop-4894',
    'x-netinsights-office-id': 'osw',
    'x-netinsights-traffic-left': String(cost),
  });
  assert.equal(enough.plan.heavyChecks.sweep?.run, true, enough.plan.heavyChecks.sweep?.why);
});

const put = (body: unknown) =>
  f.app.inject({
    method: 'PUT',
    url: '/api/v1/settings/agents',
    headers: { cookie: A.ownerCookie },
    payload: body as object,
  });
const base = { intervalSeconds: 900, wsHoldSeconds: null, profile: null };

test('the organisation sets the budget; a negative or absurd one is refused with its JSON path', async () => {
  const ok = await put({
    ...base,
    trafficBudget: { maxDailyMegabytes: 10, samplesPerDay: 48, minDevices: 3 },
  });
  assert.equal(ok.statusCode, 200, ok.body);
  const answer = await ask(A, { 'x-netinsights-device-id': 'laptop-9', 'x-netinsights-office-id': 'faro' });
  assert.equal(answer.plan.maxDailyBytes, 10_000_000);
  const cases: Array<[unknown, RegExp]> = [
    [{ maxDailyMegabytes: -5, samplesPerDay: 24, minDevices: 2 }, /\/trafficBudget\/maxDailyMegabytes/],
    [{ maxDailyMegabytes: 1e9, samplesPerDay: 24, minDevices: 2 }, /\/trafficBudget\/maxDailyMegabytes/],
    [{ maxDailyMegabytes: 2.5, samplesPerDay: 24, minDevices: 2 }, /\/trafficBudget\/maxDailyMegabytes/],
    [{ maxDailyMegabytes: 25, samplesPerDay: 0, minDevices: 2 }, /\/trafficBudget\/samplesPerDay/],
    [{ maxDailyMegabytes: 25, samplesPerDay: 1000, minDevices: 2 }, /\/trafficBudget\/samplesPerDay/],
    [{ maxDailyMegabytes: 25, samplesPerDay: 24, minDevices: -1 }, /\/trafficBudget\/minDevices/],
    [{ maxDailyMegabytes: 25, samplesPerDay: 24, minDevices: 2, extra: 1 }, /\/trafficBudget/],
  ];
  for (const [trafficBudget, path] of cases) {
    const res = await put({ ...base, trafficBudget });
    assert.ok(
      res.statusCode >= 400 && res.statusCode < 500,
      `${JSON.stringify(trafficBudget)}: ${res.statusCode}`,
    );
    assert.match(res.body, path, JSON.stringify(trafficBudget));
  }
  const still = await ask(A, { 'x-netinsights-device-id': 'laptop-9', 'x-netinsights-office-id': 'faro' });
  assert.equal(still.plan.maxDailyBytes, 10_000_000, 'the budget in force stayed as it was');
});
