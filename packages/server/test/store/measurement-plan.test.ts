/**
 * The measurement plan (agents/measurement-planner.ts) on both dialects:
 * office quotas paced over the UTC day, the share of one device, the day
 * rolling over, device-planned checks once a day per device, an agent whose
 * cap cannot afford a check, tenants apart — and two collectors on one
 * PostgreSQL (two stores, two pools) claiming at the same moment, which
 * together never grant past the quota.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import {
  DEFAULT_TRAFFIC_BUDGET,
  heavyCheck,
  loadProfile,
  type TrafficBudgetPolicy,
} from '@netinsights/protocol';
import {
  allowedByNow,
  deviceOffsetSeconds,
  type PlanRequest,
  planHeavyChecks,
  planningUnit,
} from '../../src/agents/measurement-planner.ts';
import type { Store } from '../../src/store/contract.ts';
import { storeFactory, testDialects } from './dialects.ts';

const profile = loadProfile('m365');
const DAY = '2026-12-04';
const at = (hh: number, mm = 0) =>
  new Date(`${DAY}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00Z`);

const ask = (store: Store, deviceId: string, now: Date, extra: Partial<PlanRequest> = {}) =>
  planHeavyChecks(store, {
    tenantId: 't1',
    unit: 'office:lis',
    deviceId,
    now,
    profile,
    budget: DEFAULT_TRAFFIC_BUDGET,
    intervalSeconds: 900,
    ...extra,
  });

test('pace: by a fraction f of the day, ⌊f·N⌋ + 1 of N samples, never more than N', () => {
  assert.equal(allowedByNow(24, 0), 1);
  assert.equal(allowedByNow(24, 3599), 1);
  assert.equal(allowedByNow(24, 3600), 2);
  assert.equal(allowedByNow(24, 86_399), 24);
  assert.equal(allowedByNow(24, 86_400), 24);
});

test('planning unit: the token office, else the office said, else the /24 or /48 seen', () => {
  assert.equal(planningUnit('lis', 'mad', '192.0.2.7'), 'office:lis');
  assert.equal(planningUnit(null, 'mad', '192.0.2.7'), 'office:mad');
  assert.equal(planningUnit(null, undefined, '192.0.2.7'), 'net:192.0.2.0/24');
  assert.equal(planningUnit(null, undefined, '::ffff:192.0.2.7'), 'net:192.0.2.0/24');
  assert.equal(planningUnit(null, undefined, '2001:db8:5:1::9'), 'net:2001:db8:5::/48');
});

for (const dialect of testDialects()) {
  describe(`measurement plan: ${dialect}`, () => {
    const stores = storeFactory(dialect);
    after(() => stores.cleanup());
    const fresh = async () => {
      const s = await stores.open();
      await s.tenants.create({ id: 't1', name: 'T1', createdAt: at(0).toISOString() });
      await s.tenants.create({ id: 't2', name: 'T2', createdAt: at(0).toISOString() });
      return s;
    };

    test('an office gets one throughput sample per hour from many devices, 24 a day, spread over the day', async () => {
      const s = await fresh();
      // 10 devices every 15 minutes: 960 asks in the day (the bench runs the 50-device office).
      const perHour: number[] = Array(24).fill(0);
      const perDevice = new Map<string, number>();
      for (let minute = 0; minute < 24 * 60; minute += 15)
        for (let d = 0; d < 10; d++) {
          const now = new Date(at(0).getTime() + (minute * 60 + d * 83) * 1000);
          const plan = await ask(s, `dev-${d}`, now);
          if (plan.heavyChecks.throughput?.run) {
            perHour[now.getUTCHours()]!++;
            perDevice.set(`dev-${d}`, (perDevice.get(`dev-${d}`) ?? 0) + 1);
          }
          assert.equal(plan.day, DAY);
        }
      assert.deepEqual(perHour, Array(24).fill(1), 'one sample each hour');
      assert.ok(perDevice.size >= 2, `from ${perDevice.size} devices`);
    });

    test('a sample no agent asked for is made up later the same day; the quota is never passed', async () => {
      const s = await fresh();
      // Nobody asks until 12:00; then one device asks every 15 minutes.
      let granted = 0;
      let grantedByOne = 0;
      for (let m = 12 * 60; m < 24 * 60; m += 15) {
        const a = await ask(s, 'dev-a', new Date(at(0).getTime() + m * 60_000));
        const b = await ask(s, 'dev-b', new Date(at(0).getTime() + m * 60_000 + 5_000));
        granted += Number(a.heavyChecks.throughput?.run) + Number(b.heavyChecks.throughput?.run);
        grantedByOne += Number(a.heavyChecks.throughput?.run);
      }
      assert.equal(granted, 24);
      assert.equal(grantedByOne, 12, 'each of the two devices gives half');
    });

    test('one device alone gives every sample; with another present it stops at its share', async () => {
      const s = await fresh();
      let alone = 0;
      for (let m = 0; m < 24 * 60; m += 15) {
        const plan = await ask(s, 'solo', new Date(at(0).getTime() + m * 60_000));
        alone += Number(plan.heavyChecks['teams-media']?.run);
      }
      assert.equal(alone, 24, 'a one-device office still gets its samples');
      const refused = await ask(s, 'solo', at(23, 59));
      assert.match(
        refused.heavyChecks['teams-media']?.why ?? '',
        /the office has its samples for now: 24 planned by now today \(24 a day\), at most one every 15 min/,
      );
    });

    test('the day rolls over at 00:00 UTC, and the first grant of a day clears the older days', async () => {
      const s = await fresh();
      for (let m = 0; m < 24 * 60; m += 15) await ask(s, 'solo', new Date(at(0).getTime() + m * 60_000));
      const next = await ask(s, 'solo', new Date(Date.parse(`${DAY}T00:00:30Z`) + 86_400_000));
      assert.equal(next.day, '2026-12-05');
      assert.equal(next.heavyChecks.throughput?.run, true);
      const third = await ask(s, 'solo', new Date(Date.parse(`${DAY}T00:00:30Z`) + 2 * 86_400_000));
      assert.equal(third.heavyChecks.throughput?.run, true);
      // Day 1 is gone, day 2 (yesterday) kept: its quota is still spent.
      const back = await ask(s, 'solo', new Date(Date.parse(`${DAY}T00:00:40Z`)));
      assert.equal(back.heavyChecks.throughput?.run, true, 'the pruned day starts from nothing');
    });

    test('the sweep runs once a day per device, from its own time of day on', async () => {
      const s = await fresh();
      const offset = deviceOffsetSeconds('device:x', 'sweep');
      const before = await ask(s, 'device:x', new Date(at(0).getTime() + Math.max(0, offset - 60) * 1000));
      if (offset >= 60) assert.equal(before.heavyChecks.sweep?.run, false);
      const first = await ask(s, 'device:x', new Date(at(0).getTime() + offset * 1000));
      assert.equal(first.heavyChecks.sweep?.run, true);
      const again = await ask(s, 'device:x', new Date(at(0).getTime() + offset * 1000 + 900_000));
      assert.equal(again.heavyChecks.sweep?.run, false);
      assert.match(again.heavyChecks.sweep?.why ?? '', /1 time\(s\) today/);
      // Offsets differ between devices, so a fleet does not sweep at one moment.
      const offsets = new Set(
        Array.from({ length: 20 }, (_, i) => deviceOffsetSeconds(`device:${i}`, 'sweep')),
      );
      assert.ok(offsets.size >= 19);
    });

    test('an agent whose cap cannot afford a check is not granted it, and the office keeps the sample', async () => {
      const s = await fresh();
      const worst = heavyCheck('throughput')?.worstCaseBytes(profile) ?? 0;
      const poor = await ask(s, 'poor', at(1), { trafficLeftBytes: worst - 1 });
      assert.equal(poor.heavyChecks.throughput?.run, false);
      assert.match(poor.heavyChecks.throughput?.why ?? '', /daily traffic cap has 8\.\d MB left/);
      assert.equal(poor.heavyChecks['teams-media']?.run, true, 'Teams media costs far less and fits');
      const rich = await ask(s, 'rich', at(1, 1), { trafficLeftBytes: worst });
      assert.equal(rich.heavyChecks.throughput?.run, true);
    });

    test('quotas follow the policy, and tenants and offices count apart', async () => {
      const s = await fresh();
      const budget: TrafficBudgetPolicy = { maxDailyMegabytes: 50, samplesPerDay: 48, minDevices: 3 };
      const plan = await ask(s, 'a', at(0, 10), { budget });
      assert.equal(plan.maxDailyBytes, 50_000_000);
      assert.equal(
        (await ask(s, 'b', at(0, 31), { budget })).heavyChecks.throughput?.run,
        true,
        '2 by 00:30 at 48 a day',
      );
      assert.equal((await ask(s, 'c', at(0, 35), { budget })).heavyChecks.throughput?.run, false);
      assert.equal((await ask(s, 'c', at(0, 25), { tenantId: 't2' })).heavyChecks.throughput?.run, true);
      assert.equal((await ask(s, 'c', at(0, 25), { unit: 'office:mad' })).heavyChecks.throughput?.run, true);
    });

    test('an office that starts late catches up one sample per 15 minutes, not in a burst', async () => {
      const s = await fresh();
      // 20:00: 21 samples are allowed by the pace; 30 devices ask within the same minute.
      let burst = 0;
      for (let d = 0; d < 30; d++)
        burst += Number((await ask(s, `dev-${d}`, at(20, 0))).heavyChecks.throughput?.run);
      assert.equal(burst, 1);
      let rest = 0;
      for (let m = 1; m < 4 * 60; m++)
        rest += Number(
          (await ask(s, `dev-${m % 30}`, new Date(at(20).getTime() + m * 60_000))).heavyChecks.throughput
            ?.run,
        );
      assert.equal(burst + rest, 16, 'one per 15 minutes from 20:00 to 23:59');
    });

    test('two collectors claiming at the same moment grant once; 15 minutes later once more', async () => {
      const a = await fresh();
      const b = dialect === 'sqlite' ? a : await stores.openSibling();
      // 23:30: the pace allows all 24; 60 devices ask through both servers at once, twice.
      const round = (now: Date) =>
        Promise.all(Array.from({ length: 60 }, (_, i) => ask(i % 2 ? a : b, `dev-${i}`, now)));
      for (const now of [at(23, 30), at(23, 45)]) {
        const results = await round(now);
        assert.equal(results.filter((r) => r.heavyChecks.throughput?.run).length, 1, now.toISOString());
        assert.equal(results.filter((r) => r.heavyChecks['teams-media']?.run).length, 1);
      }
    });
  });
}
