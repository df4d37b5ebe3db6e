/**
 * Tests for insights/rollup and its parts (histogram, device sketch): hourly
 * buckets merged over a window give exactly what folding every report into
 * one summary gives, so evaluation over buckets loses nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ok } from '@netinsights/protocol';
import {
  addHash,
  estimateDevices,
  hashDevice,
  mergeSketch,
  SKETCH_K,
} from '../../src/insights/device-sketch.ts';
import { addSample, emptyHistogram, median, mergeHistogram, quantile } from '../../src/insights/histogram.ts';
import { type Observation, observe } from '../../src/insights/observation.ts';
import {
  addObservation,
  BUCKET_MS,
  bucketStart,
  emptyRollup,
  mergeAll,
  parseRollup,
  type Rollup,
} from '../../src/insights/rollup.ts';
import { MAX_HOSTS, OTHER_HOST } from '../../src/insights/tally.ts';
import {
  criticalRound,
  failure,
  https,
  interceptedTls,
  latency,
  quic,
  report,
  throughput,
} from './helpers/reports.ts';

const t0 = Date.parse('2026-11-23T08:00:00Z');

/** A varied stream of observations over three hours from five devices. */
function stream(n: number): Observation[] {
  const out: Observation[] = [];
  for (let i = 0; i < n; i++) {
    const dev = `dev-${i % 5}`;
    const r =
      i % 3 === 0
        ? criticalRound(dev, (h) => (h.startsWith('teams') ? failure('proxy', 'forbidden') : ok()))
        : report(dev, [
            https('m365.cloud.microsoft', 'cloud.microsoft', i % 4 === 0 ? failure('tcp', 'timeout') : ok(), {
              ...(i % 5 === 0 ? { tls: interceptedTls('Zscaler', 'CN=Zscaler Root CA') } : {}),
            }),
            quic('m365.cloud.microsoft', i % 2),
            latency(40 + (i % 17)),
            throughput(20 + (i % 7)),
          ]);
    out.push(
      observe({
        report: r,
        receivedAt: t0 + Math.floor((i * 3 * BUCKET_MS) / n),
        egressGeo: { latitude: 48.85 + (i % 2), longitude: 2.35, city: 'Paris', country: 'FR' },
      }),
    );
  }
  return out;
}

describe('rollup', () => {
  it('merging hourly buckets equals folding every observation into one rollup', () => {
    const obs = stream(120);
    const whole = emptyRollup();
    for (const o of obs) addObservation(whole, o);

    const buckets = new Map<number, Rollup>();
    for (const o of obs) {
      const b = bucketStart(o.at);
      if (!buckets.has(b)) buckets.set(b, emptyRollup());
      addObservation(buckets.get(b)!, o);
    }
    assert.equal(buckets.size, 3);
    // Buckets survive a JSON round trip (that is how they are stored).
    const stored = [...buckets.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([, r]) => parseRollup(JSON.stringify(r)));
    assert.deepEqual(mergeAll(stored), whole);
    assert.equal(whole.reports, 120);
    assert.equal(estimateDevices(whole.devices), 5);
    assert.ok(whole.https.failures > 0 && whole.tls.tally.failures > 0 && whole.quic.failures > 0);
  });

  it('bucketStart aligns to the UTC hour', () => {
    assert.equal(bucketStart(Date.parse('2026-11-23T08:59:59.999Z')), Date.parse('2026-11-23T08:00:00Z'));
    assert.equal(bucketStart(Date.parse('2026-11-23T09:00:00Z')), Date.parse('2026-11-23T09:00:00Z'));
  });

  it('keeps the newest example reports and a bounded number of hosts', () => {
    const r = emptyRollup();
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const rep = report('d', [https(`h${i}.cloud.microsoft`, 'cloud.microsoft', failure('tcp', 'refused'))]);
      ids.push(rep.reportId);
      addObservation(r, observe({ report: rep, receivedAt: t0 + i }));
    }
    assert.deepEqual(r.https.examples, ids.slice(-5));
    assert.equal(Object.keys(r.https.hosts).length, MAX_HOSTS + 1);
    assert.equal(r.https.hosts[OTHER_HOST]?.a, 60 - MAX_HOSTS);
    assert.equal(r.https.attempts, 60);
  });

  it('latency under load: hourly buckets merged give the whole window; rollups stored before it read as empty', () => {
    const hours = new Map<number, Rollup>();
    const whole = emptyRollup();
    for (let i = 0; i < 40; i++) {
      const at = t0 + i * 7 * 60_000;
      const o = observe({
        report: report(`d${i % 4}`, [latency(20 + i), throughput(40, 30 + i * 9)]),
        receivedAt: at,
      });
      addObservation(whole, o);
      const h = hours.get(bucketStart(at)) ?? emptyRollup();
      hours.set(bucketStart(at), addObservation(h, o));
    }
    const merged = mergeAll([...hours.values()].map((r) => parseRollup(JSON.stringify(r))));
    assert.deepEqual(merged.loadLatency, whole.loadLatency);
    assert.equal(whole.loadLatency.added.n, 40);
    const old = JSON.parse(JSON.stringify(emptyRollup())) as Partial<Rollup>;
    delete old.loadLatency;
    assert.equal(parseRollup(JSON.stringify(old)).loadLatency.added.n, 0);
  });

  it('rejects a stored rollup of another version', () => {
    assert.throws(() => parseRollup('{"v":99}'), /rollup version 99/);
  });
});

describe('histogram', () => {
  it('gives the median within 1 % and merges exactly', () => {
    const a = emptyHistogram();
    const b = emptyHistogram();
    const all: number[] = [];
    for (let i = 1; i <= 1001; i++) {
      const v = 5 + ((i * 7919) % 1000) / 3;
      all.push(v);
      addSample(i % 2 ? a : b, v);
    }
    all.sort((x, y) => x - y);
    const trueMedian = all[500]!;
    const merged = emptyHistogram();
    mergeHistogram(merged, a);
    mergeHistogram(merged, b);
    assert.equal(merged.n, 1001);
    const m = median(merged)!;
    assert.ok(Math.abs(m - trueMedian) / trueMedian < 0.01, `median ${m} vs ${trueMedian}`);
    const p90 = quantile(merged, 0.9)!;
    assert.ok(Math.abs(p90 - all[900]!) / all[900]! < 0.01);
    assert.equal(median(emptyHistogram()), undefined);
  });

  it('counts zero and ignores negative or non-finite values', () => {
    const h = emptyHistogram();
    addSample(h, 0);
    addSample(h, -1);
    addSample(h, Number.NaN);
    assert.equal(h.n, 1);
    assert.equal(median(h), 0);
  });
});

describe('device sketch', () => {
  it('is exact below K and within 30 % far above it; merges like a union', () => {
    const small: number[] = [];
    for (let i = 0; i < SKETCH_K - 1; i++) addHash(small, hashDevice(`d${i}`));
    for (let i = 0; i < 10; i++) addHash(small, hashDevice(`d${i}`));
    assert.equal(estimateDevices(small), SKETCH_K - 1);

    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 5000; i++) addHash(i < 3000 ? a : b, hashDevice(`laptop-${i}`));
    for (let i = 2000; i < 3000; i++) addHash(b, hashDevice(`laptop-${i}`)); // overlap
    const u = mergeSketch([...a], b);
    const est = estimateDevices(u);
    assert.ok(Math.abs(est - 5000) / 5000 < 0.3, `estimate ${est}`);
    assert.ok(u.length === SKETCH_K);
  });
});
