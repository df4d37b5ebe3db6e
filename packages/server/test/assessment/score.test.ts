/**
 * The score computation without a store: components from the window's
 * distributions (latency median, download 25th percentile in MB/s, Teams
 * media MOS), missing components named and left out of the mean, a UDP-
 * blocked Teams path, the tenant's device-weighted mean, and the area
 * quintile's floors and tenant weighting (which never hands back a score).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateMos } from '@netinsights/protocol';
import { areaQuintile } from '../../src/assessment/area-quintile.ts';
import { scoreOffice } from '../../src/assessment/office-score.ts';
import type { AreaScore } from '../../src/assessment/store-contract.ts';
import { tenantScore } from '../../src/assessment/tenant-score.ts';
import { emptyFacts } from '../../src/assessment/window-facts.ts';
import { addHash } from '../../src/insights/device-sketch.ts';
import { addSample } from '../../src/insights/histogram.ts';

function facts(opts: {
  latencyMs?: number[];
  mbps?: number[];
  media?: { rttMs: number; jitterMs: number; lossPercent: number }[];
  blocked?: number;
  devices?: number;
}) {
  const f = emptyFacts();
  for (const v of opts.latencyMs ?? []) addSample(f.latency, v);
  for (const v of opts.mbps ?? []) addSample(f.throughput, v);
  for (const m of opts.media ?? []) {
    addSample(f.media.rtt, m.rttMs);
    addSample(f.media.jitter, m.jitterMs);
    addSample(f.media.loss, m.lossPercent);
  }
  f.media.runs = (opts.media?.length ?? 0) + (opts.blocked ?? 0);
  f.media.blocked = opts.blocked ?? 0;
  for (let d = 1; d <= (opts.devices ?? 1); d++) addHash(f.devices, d * 1_000_003);
  return f;
}

describe('office score', () => {
  it('latency is the window median, download the 25th percentile in MB/s', () => {
    // Median 25 ms → 80 (the histogram keeps values within ±1 %).
    const s = scoreOffice(
      facts({ latencyMs: [5, 25, 25, 26, 300], mbps: [32, 64, 64, 160, 160, 160, 160, 160] }),
    );
    assert.ok(Math.abs(s.components.latency!.value - 25) < 0.5, `median ${s.components.latency!.value}`);
    assert.ok(Math.abs(s.components.latency!.score - 80) <= 1);
    // 25th percentile of 8 samples is the 2nd: 64 Mbit/s = 8 MB/s → 60, not the median (20 MB/s → 100).
    assert.ok(Math.abs(s.components.download!.value - 8) < 0.2, `p25 ${s.components.download!.value}`);
    assert.ok(Math.abs(s.components.download!.score - 60) <= 1);
    assert.equal(s.components.download!.unit, 'MB/s');
    assert.equal(s.components.latency!.samples, 5);
  });

  it('the office score is the mean of the components that have data, and names the missing ones', () => {
    const all = scoreOffice(
      facts({ latencyMs: [10], mbps: [160], media: [{ rttMs: 20, jitterMs: 2, lossPercent: 0 }] }),
    );
    assert.deepEqual(all.missing, []);
    assert.equal(all.score, 100);

    const noMedia = scoreOffice(facts({ latencyMs: [100], mbps: [160] }));
    assert.deepEqual(noMedia.missing, ['media']);
    assert.equal(noMedia.components.media, undefined);
    assert.equal(noMedia.score, Math.round((noMedia.components.latency!.score + 100) / 2));

    const onlyDownload = scoreOffice(facts({ mbps: [16] }));
    assert.deepEqual(onlyDownload.missing, ['latency', 'media']);
    assert.equal(onlyDownload.score, onlyDownload.components.download!.score);

    const none = scoreOffice(facts({ devices: 0 }));
    assert.equal(none.score, null);
    assert.deepEqual(none.missing, ['latency', 'download', 'media']);
  });

  it('Teams media: the MOS from the medians, mapped to 0–100', () => {
    const runs = [
      { rttMs: 30, jitterMs: 4, lossPercent: 0 },
      { rttMs: 40, jitterMs: 5, lossPercent: 2 },
      { rttMs: 200, jitterMs: 50, lossPercent: 8 },
    ];
    const m = scoreOffice(facts({ media: runs })).components.media!;
    assert.equal(m.unit, 'MOS');
    assert.equal(m.samples, 3);
    assert.ok(Math.abs(m.inputs!.rttMs - 40) < 0.5 && Math.abs(m.inputs!.lossPercent - 2) < 0.05);
    assert.equal(m.value, estimateMos(m.inputs!.rttMs, m.inputs!.jitterMs, m.inputs!.lossPercent));
    assert.ok(m.score > 80 && m.score < 100, `score ${m.score} for MOS ${m.value}`);
  });

  it('Teams media: runs without a UDP answer count as total loss; all blocked scores 0 and says so', () => {
    const good = { rttMs: 20, jitterMs: 2, lossPercent: 0 };
    const some = scoreOffice(facts({ media: [good, good, good], blocked: 1 })).components.media!;
    assert.equal(some.inputs!.lossPercent, 0, 'a minority of blocked runs leaves the median loss');
    const most = scoreOffice(facts({ media: [good], blocked: 2 })).components.media!;
    assert.ok(Math.abs(most.inputs!.lossPercent - 100) < 1.5, `median loss ${most.inputs!.lossPercent}`);
    assert.ok(most.score < 20, `score ${most.score}`);
    const all = scoreOffice(facts({ blocked: 4, latencyMs: [10] }));
    assert.deepEqual(all.components.media, { score: 0, value: 1, unit: 'MOS', samples: 4, udpBlocked: true });
    assert.deepEqual(all.missing, ['download']);
    assert.equal(all.score, 50);
  });

  it('counts the devices of the window', () => {
    assert.equal(scoreOffice(facts({ latencyMs: [10], devices: 7 })).devices, 7);
  });
});

describe('tenant score', () => {
  it('is the device-weighted mean of the scored offices', () => {
    const t = tenantScore([
      { score: 90, devices: 90 },
      { score: 30, devices: 10 },
      { score: null, devices: 500 },
    ]);
    assert.equal(t.score, 84); // (90·90 + 30·10) / 100, the unscored office left out
    assert.equal(t.scored, 2);
    assert.equal(t.devices, 100);
    assert.equal(
      tenantScore([
        { score: 90, devices: 1 },
        { score: 30, devices: 1 },
      ]).score,
      60,
    );
    assert.equal(tenantScore([]).score, null);
    assert.equal(tenantScore([{ score: null, devices: 3 }]).score, null);
  });
});

const peer = (tenantId: string, officeKey: string, score: number, day = '2026-11-23'): AreaScore => ({
  tenantId,
  officeKey,
  day,
  score,
});
const city = { level: 'city' as const, area: 'Lisbon' };

describe('area quintile', () => {
  const five = [
    peer('a', 'a1', 20),
    peer('a', 'a2', 40),
    peer('b', 'b1', 60),
    peer('c', 'c1', 80),
    peer('c', 'c2', 90),
  ];

  it('needs 5 other offices from 3 other tenants (and a tenant can raise the 5, not lower it)', () => {
    assert.equal(areaQuintile(50, five.slice(0, 4), city), null, 'four offices');
    assert.equal(
      areaQuintile(
        50,
        [peer('a', 'a1', 1), peer('a', 'a2', 2), peer('a', 'a3', 3), peer('b', 'b1', 4), peer('b', 'b2', 5)],
        city,
      ),
      null,
      'five offices of two tenants',
    );
    assert.notEqual(areaQuintile(50, five, city), null);
    assert.notEqual(areaQuintile(50, five, { ...city, minPeerOffices: 1 }), null);
    assert.equal(areaQuintile(50, five, { ...city, minPeerOffices: 6 }), null);
  });

  it('an office seen on two days counts once, with its newest score', () => {
    const twice = [...five.slice(0, 4), peer('c', 'c1', 10, '2026-11-22')];
    assert.equal(areaQuintile(50, twice, city), null, 'still four offices');
  });

  it('says where the score stands, and only that: a quintile and counts', () => {
    const q = areaQuintile(100, five, city)!;
    assert.deepEqual(q, { level: 'city', area: 'Lisbon', quintile: 5, offices: 5, tenants: 3 });
    assert.equal(areaQuintile(0, five, city)!.quintile, 1);
    // a: 2/2 below, b: 0/1, c: 0/2 → rank 1/3 → the second fifth; 65 adds b's office → 2/3 → the fourth.
    assert.equal(areaQuintile(55, five, city)!.quintile, 2);
    assert.equal(areaQuintile(65, five, city)!.quintile, 4);
    for (const v of Object.values(q)) if (typeof v === 'number') assert.ok(![20, 40, 60, 80, 90].includes(v));
  });

  it("one tenant's many offices move the rank by at most its share of tenants", () => {
    const fakes = Array.from({ length: 200 }, (_, i) => peer('attacker', `f${i}`, 100));
    // Against three honest tenants all below 50, the attacker's 200 offices at 100 weigh one tenant in four.
    const q = areaQuintile(
      50,
      [peer('a', 'a1', 10), peer('b', 'b1', 20), peer('c', 'c1', 30), ...fakes],
      city,
    )!;
    assert.equal(q.quintile, 4); // rank 3/4 → fourth fifth, not the bottom one
    assert.equal(q.tenants, 4);
  });
});
