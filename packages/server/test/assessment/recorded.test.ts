/**
 * The assessment as the insight engine records it, on every selected store
 * dialect (test/store/dialects.ts): real reports folded into hour rollups,
 * the engine's evaluation writing one row per office and day, the tenant's
 * device-weighted score and daily history, the window setting, retention,
 * two collectors on one PostgreSQL evaluating at once, and the area quintile
 * across tenants — where another tenant's offices and
 * scores never appear, and deleted offices and discovered locations never
 * count.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ProbeReport } from '@netinsights/protocol';
import { officeAssessment, tenantAssessment } from '../../src/assessment/queries.ts';
import { ASSESSMENT_SETTINGS_KEY } from '../../src/assessment/settings.ts';
import type {} from '../../src/assessment/store-contract.ts';
import { createInsightsHook } from '../../src/insights/index.ts';
import type { OfficeRow, Store } from '../../src/store/contract.ts';
import { latency, report, teamsMedia, throughput } from '../insights/helpers/reports.ts';
import { storeFactory, testDialects } from '../store/dialects.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-11-20T08:00:00Z');
const CREATED = '2026-11-01T00:00:00.000Z';

function office(tenantId: string, id: string, city: string, country = 'PT'): OfficeRow {
  return {
    tenantId,
    id,
    name: `Office ${id}`,
    address: null,
    city,
    country,
    latitude: 38.7,
    longitude: -9.1,
    lanSubnets: [],
    egressRanges: [],
    createdAt: CREATED,
    updatedAt: CREATED,
  };
}

/** A device's report: idle latency, download speed and a Teams media run. */
const round = (device: string, ms: number, mbps: number, media: 'ok' | 'blocked' = 'ok'): ProbeReport =>
  report(device, [latency(ms), throughput(mbps), teamsMedia(media)]);

for (const dialect of testDialects()) {
  describe(`assessment recorded by the insight engine: ${dialect}`, () => {
    const stores = storeFactory(dialect);
    const hook = createInsightsHook();
    let store: Store;

    async function ingest(tenantId: string, officeKey: string, r: ProbeReport, at: number) {
      await store.transaction((tx) =>
        hook.onReportStored(tx, {
          tenantId,
          officeKey,
          office: null,
          discoveredId: null,
          report: r,
          receivedAt: new Date(at).toISOString(),
          egressIp: '192.0.2.10',
          egressGeo: null,
        }),
      );
    }
    /** `devices` devices each sending one round at `at`. */
    async function rounds(
      tenantId: string,
      officeKey: string,
      devices: number,
      at: number,
      ms: number,
      mbps: number,
    ) {
      for (let d = 0; d < devices; d++)
        await ingest(tenantId, officeKey, round(`${officeKey}-d${d}`, ms, mbps), at + d);
    }
    const evaluate = (at: number) => hook.evaluateAll(store, new Date(at));

    before(async () => {
      store = await stores.open();
      for (const id of ['me', 'p1', 'p2', 'p3'])
        await store.tenants.create({ id, name: `Tenant ${id}`, createdAt: CREATED });
      await store.offices.create(office('me', 'lis', 'Lisbon'));
      await store.offices.create(office('me', 'opo', 'Porto'));
      await store.offices.create(office('me', 'quiet', 'Faro'));
    });
    after(() => stores.cleanup());

    it('records the office score on the day it is evaluated, from all three components', async () => {
      await rounds('me', 'lis', 9, T0, 10, 200); // 10 ms, 25 MB/s, Teams fine: 100
      await rounds('me', 'opo', 1, T0, 200, 32); // 200 ms → 40, 4 MB/s → 40, Teams fine → 100 − a little
      await evaluate(T0 + 60_000);
      const rows = await store.assessment.latest('me');
      assert.deepEqual(
        rows.map((r) => r.officeKey).sort(),
        ['lis', 'opo'],
        'an office without reports has no row',
      );
      const lis = rows.find((r) => r.officeKey === 'lis')!;
      assert.equal(lis.day, '2026-11-20');
      assert.equal(lis.score, 100);
      assert.equal(lis.devices, 9);
      assert.equal(lis.cityKey, 'lisbon|pt');
      const detail = JSON.parse(lis.detail);
      assert.deepEqual(detail.missing, []);
      assert.deepEqual(Object.keys(detail.components).sort(), ['download', 'latency', 'media']);
      assert.equal(detail.window.days, 3);
      const opo = rows.find((r) => r.officeKey === 'opo')!;
      const parts = JSON.parse(opo.detail).components;
      assert.equal(parts.latency.score, 40);
      assert.ok(Math.abs(parts.download.score - 40) <= 1);
      assert.equal(
        opo.score,
        Math.round((parts.latency.score + parts.download.score + parts.media.score) / 3),
      );
    });

    it('the tenant score is the device-weighted mean, with one history entry per day', async () => {
      const offices = await store.offices.list('me');
      const t = await tenantAssessment(store, 'me', offices, new Date(T0 + HOUR), 30);
      const opo = (await store.assessment.latest('me')).find((r) => r.officeKey === 'opo')!.score!;
      assert.equal(t.score, Math.round((100 * 9 + opo * 1) / 10));
      assert.deepEqual(t.offices, { scored: 2, total: 3, devices: 10 });
      assert.deepEqual(
        t.history.map((h) => [h.day, h.score, h.offices]),
        [['2026-11-20', t.score, 2]],
      );
    });

    it('a later evaluation the same day replaces that day; the next day adds one; the window follows the setting', async () => {
      await rounds('me', 'opo', 1, T0 + 2 * HOUR, 10, 200);
      await evaluate(T0 + 2 * HOUR + 60_000);
      let days = await store.assessment.officeDays('me', 'opo', '2026-11-01');
      assert.equal(days.length, 1, 'still one row for the day');
      const sameDay = days[0]!.score!;

      // Day 2, nothing new: the 3-day window still holds day 1's reports.
      await evaluate(T0 + DAY);
      days = await store.assessment.officeDays('me', 'opo', '2026-11-01');
      assert.deepEqual(
        days.map((d) => [d.day, d.score]),
        [
          ['2026-11-20', sameDay],
          ['2026-11-21', sameDay],
        ],
      );

      // A one-day window: on day 3 the office has nothing in it.
      await store.settings.put('me', ASSESSMENT_SETTINGS_KEY, { windowDays: 1 }, new Date(T0).toISOString());
      await store.insights.markDue('me', 'opo', new Date(T0 + 2 * DAY).toISOString());
      await evaluate(T0 + 2 * DAY);
      const latest = (await store.assessment.latest('me')).find((r) => r.officeKey === 'opo')!;
      assert.equal(latest.day, '2026-11-22');
      assert.equal(latest.score, null);
      assert.deepEqual(JSON.parse(latest.detail).missing, ['latency', 'download', 'media']);
      const answer = await officeAssessment(
        store,
        'me',
        { id: 'opo', name: 'Porto' },
        new Date(T0 + 2 * DAY),
        30,
      );
      assert.equal(answer.score, null);
      assert.equal(answer.window.days, 1);
      assert.deepEqual(
        answer.history.map((h) => h.day),
        ['2026-11-20', '2026-11-21'],
        'days without a score are not plotted',
      );
      await store.settings.put('me', ASSESSMENT_SETTINGS_KEY, { windowDays: 3 }, new Date(T0).toISOString());
    });

    it('retention drops rows older than the setting', async () => {
      await store.settings.put(
        'me',
        ASSESSMENT_SETTINGS_KEY,
        { retentionDays: 30 },
        new Date(T0).toISOString(),
      );
      await store.assessment.putDay({
        tenantId: 'me',
        officeKey: 'lis',
        day: '2026-09-01',
        score: 50,
        devices: 1,
        cityKey: 'lisbon|pt',
        countryKey: 'pt',
        detail: '{}',
        evaluatedAt: '2026-09-01T12:00:00.000Z',
      });
      await rounds('me', 'lis', 2, T0 + 3 * DAY, 10, 200);
      await evaluate(T0 + 3 * DAY + 60_000);
      const days = (await store.assessment.officeDays('me', 'lis', '2000-01-01')).map((d) => d.day);
      assert.ok(!days.includes('2026-09-01'), `kept ${days.join(', ')}`);
      assert.ok(days.includes('2026-11-23'));
      await store.settings.put('me', ASSESSMENT_SETTINGS_KEY, {}, new Date(T0).toISOString());
    });

    it("places the office among other tenants' offices of its city, never showing one of them", async () => {
      const now = T0 + 4 * DAY;
      // Four peers in Lisbon from three tenants: below the floor of five.
      const peers: [string, string, number][] = [
        ['p1', 'p1-a', 300],
        ['p1', 'p1-b', 250],
        ['p2', 'p2-a', 200],
        ['p3', 'p3-a', 150],
      ];
      for (const [t, id, ms] of peers) {
        await store.offices.create(office(t, id, 'Lisbon'));
        await rounds(t, id, 2, now, ms, 40);
      }
      // A discovered location of p3 and a p2 office deleted afterwards never count.
      await rounds('p3', 'discovered:x', 2, now, 20, 200);
      await store.offices.create(office('p2', 'p2-gone', 'Lisbon'));
      await rounds('p2', 'p2-gone', 2, now, 20, 200);
      await rounds('me', 'lis', 2, now, 10, 200);
      await evaluate(now + 60_000);
      await store.offices.delete('p2', 'p2-gone');
      await rounds('me', 'lis', 1, now + HOUR, 10, 200);
      await evaluate(now + HOUR + 60_000);
      let lis = JSON.parse((await store.assessment.latest('me')).find((r) => r.officeKey === 'lis')!.detail);
      assert.equal(lis.area, null, 'four other offices are too few in the city and the country');
      assert.equal((await store.assessment.latest('p3')).length, 1, 'the discovered location has no row');

      // A fifth office (in the same country, another city) makes the country comparison possible.
      await store.offices.create(office('p3', 'p3-b', 'Coimbra'));
      await rounds('p3', 'p3-b', 2, now + HOUR, 100, 40);
      await rounds('me', 'lis', 1, now + 2 * HOUR, 10, 200);
      await evaluate(now + 2 * HOUR + 60_000);
      lis = JSON.parse((await store.assessment.latest('me')).find((r) => r.officeKey === 'lis')!.detail);
      assert.deepEqual(lis.area, { level: 'country', area: 'PT', quintile: 5, offices: 5, tenants: 3 });

      // The peers' rows exist, but nothing of them is in what "me" can read.
      const mine = JSON.stringify([
        await store.assessment.latest('me'),
        await store.assessment.tenantDays('me', '2000-01-01'),
        await tenantAssessment(store, 'me', await store.offices.list('me'), new Date(now + 3 * HOUR), 30),
      ]);
      for (const [t, id] of peers) {
        assert.ok(!mine.includes(id), `${id} of ${t} is visible to another tenant`);
        assert.ok((await store.assessment.latest(t)).length > 0);
      }
      assert.equal((await store.assessment.officeDays('me', 'p1-a', '2000-01-01')).length, 0);
      assert.equal(
        (await store.assessment.areaScores('city', 'lisbon|pt', '2000-01-01', 'p1')).some(
          (r) => r.tenantId === 'p1',
        ),
        false,
      );
    });
    // Several collectors share only PostgreSQL (one SQLite file has one writer).
    it('two collectors on one database evaluating at once keep one row per office and day', {
      skip: dialect === 'sqlite' && 'several collectors share PostgreSQL only',
    }, async () => {
      const other = await stores.openSibling();
      const otherHook = createInsightsHook();
      const now = T0 + 5 * DAY;
      for (let d = 0; d < 3; d++) {
        await ingest('me', 'opo', round(`two-${d}`, 25, 160), now + d);
        await other.transaction((tx) =>
          otherHook.onReportStored(tx, {
            tenantId: 'me',
            officeKey: 'opo',
            office: null,
            discoveredId: null,
            report: round(`two-b-${d}`, 25, 160),
            receivedAt: new Date(now + 10 + d).toISOString(),
            egressIp: '192.0.2.10',
            egressGeo: null,
          }),
        );
      }
      await Promise.all([evaluate(now + 60_000), otherHook.evaluateAll(other, new Date(now + 60_000))]);
      const days = await store.assessment.officeDays('me', 'opo', '2026-11-25');
      assert.deepEqual(
        days.map((d) => d.day),
        ['2026-11-25'],
      );
      assert.equal(days[0]!.devices, 6, "both collectors' reports are in the one row");
    });
  });
}
