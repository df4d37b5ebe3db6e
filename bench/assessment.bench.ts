/**
 * The network assessment score for 10,000 offices: from each office's window
 * facts (latency, download and Teams media distributions and devices, as the
 * engine holds them after reading the window) to every office's score, its
 * area quintile among other tenants' offices of its city, and the tenant
 * scores. Target (issue 14): ≤ 1 s. Baseline, same run, same rows: a plain
 * loop that reads every office's distributions (the mean of each histogram)
 * without scoring — the floor of touching that data at all.
 * Also reported: merging one office's 72 hour buckets into its window facts
 * (the engine's per-evaluation step, no target).
 */
import { loadavg } from 'node:os';
import { areaQuintile } from '../packages/server/src/assessment/area-quintile.ts';
import { scoreOffice } from '../packages/server/src/assessment/office-score.ts';
import type { AreaScore } from '../packages/server/src/assessment/store-contract.ts';
import { tenantScore } from '../packages/server/src/assessment/tenant-score.ts';
import {
  type AssessmentFacts,
  emptyFacts,
  windowFacts,
} from '../packages/server/src/assessment/window-facts.ts';
import { addHash } from '../packages/server/src/insights/device-sketch.ts';
import { addSample } from '../packages/server/src/insights/histogram.ts';
import { emptyRollup, type Rollup } from '../packages/server/src/insights/rollup.ts';
import type { BenchFigure } from './bench-figure.ts';

const OFFICES = 10_000;
const TENANTS = 20;
const CITIES = 200;
/** A 3-day window at 4 reports per office-hour. */
const SAMPLES = 288;
const ROUNDS = 7;

/** A small deterministic generator, so every run scores the same offices. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface OfficeRow {
  tenantId: string;
  officeKey: string;
  city: number;
  facts: AssessmentFacts;
}

function makeOffices(): OfficeRow[] {
  const r = rng(14);
  const out: OfficeRow[] = [];
  for (let i = 0; i < OFFICES; i++) {
    const f = emptyFacts();
    const base = 5 + r() * 200;
    const speed = 8 + r() * 300;
    for (let s = 0; s < SAMPLES; s++) {
      addSample(f.latency, base * (0.8 + r() * 0.6));
      addSample(f.throughput, speed * (0.5 + r()));
      if (s % 3 === 0) {
        addSample(f.media.rtt, base * (0.9 + r() * 0.4));
        addSample(f.media.jitter, r() * 20);
        addSample(f.media.loss, r() < 0.8 ? 0 : r() * 5);
        f.media.runs += 1;
      }
    }
    for (let d = 0; d < 2 + (i % 40); d++) addHash(f.devices, Math.floor(r() * 2 ** 52));
    out.push({ tenantId: `t${i % TENANTS}`, officeKey: `o${i}`, city: i % CITIES, facts: f });
  }
  return out;
}

/** Everything the engine and the API compute from the facts: scores, quintiles, tenant scores. */
function scoreAll(rows: OfficeRow[]): number {
  const scored = rows.map((o) => ({ ...o, ...scoreOffice(o.facts) }));
  const byCity = new Map<number, AreaScore[]>();
  for (const o of scored)
    if (o.score !== null) {
      const list = byCity.get(o.city) ?? [];
      list.push({ tenantId: o.tenantId, officeKey: o.officeKey, day: '2026-11-23', score: o.score });
      byCity.set(o.city, list);
    }
  let placed = 0;
  for (const o of scored) {
    if (o.score === null) continue;
    const peers = (byCity.get(o.city) ?? []).filter((p) => p.tenantId !== o.tenantId);
    if (areaQuintile(o.score, peers, { level: 'city', area: String(o.city) })) placed += 1;
  }
  const byTenant = new Map<string, { score: number | null; devices: number }[]>();
  for (const o of scored) {
    const list = byTenant.get(o.tenantId);
    if (list) list.push(o);
    else byTenant.set(o.tenantId, [o]);
  }
  let tenants = 0;
  for (const list of byTenant.values()) tenants += tenantScore(list).score ?? 0;
  return placed + tenants;
}

/** The baseline: one pass over the same histograms, reading each one's mean. */
function plainLoop(rows: OfficeRow[]): number {
  let acc = 0;
  for (const o of rows) {
    const f = o.facts;
    acc += f.latency.sum / f.latency.n + f.throughput.sum / f.throughput.n;
    acc += f.media.rtt.sum / Math.max(1, f.media.rtt.n) + f.media.loss.sum / Math.max(1, f.media.loss.n);
    acc += f.devices.length;
  }
  return acc;
}

function timeIt(fn: () => number): number {
  const t0 = process.hrtime.bigint();
  const sink = fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!Number.isFinite(sink)) throw new Error('nothing computed');
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;

/** 72 hour buckets of one office, 4 reports each. */
function hourBuckets(): Rollup[] {
  const r = rng(7);
  return Array.from({ length: 72 }, () => {
    const b = emptyRollup();
    for (let i = 0; i < 4; i++) {
      addSample(b.latency, 20 + r() * 10);
      addSample(b.throughput, 100 + r() * 50);
      addHash(b.devices, Math.floor(r() * 2 ** 52));
    }
    addSample(b.teamsMedia.rtt, 25 + r() * 5);
    addSample(b.teamsMedia.jitter, r() * 4);
    addSample(b.teamsMedia.loss, 0);
    b.teamsMedia.tally.attempts = 1;
    return b;
  });
}

export default async function run(): Promise<BenchFigure[]> {
  const rows = makeOffices();
  const score: number[] = [];
  const base: number[] = [];
  scoreAll(rows);
  plainLoop(rows);
  for (let i = 0; i < ROUNDS; i++) {
    score.push(timeIt(() => scoreAll(rows)));
    base.push(timeIt(() => plainLoop(rows)));
  }
  const buckets = hourBuckets();
  const merges: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = process.hrtime.bigint();
    for (let j = 0; j < 200; j++) windowFacts(buckets);
    merges.push(Number(process.hrtime.bigint() - t0) / 1e6 / 200);
  }
  const s = median(score);
  return [
    {
      name: `score computation, ${OFFICES.toLocaleString('en')} offices (scores, city quintiles, ${TENANTS} tenant scores)`,
      value: s,
      unit: 'ms',
      target: '≤ 1000',
      pass: s <= 1000,
      baseline: { name: 'plain loop over the same rows', value: median(base), unit: 'ms' },
      note: `median of ${ROUNDS} rounds; ${SAMPLES} latency/download samples and ${SAMPLES / 3} Teams runs per office; load average ${loadavg()[0]!.toFixed(1)}`,
    },
    {
      name: 'window facts from 72 hour buckets (one office, per evaluation)',
      value: median(merges),
      unit: 'ms',
      note: 'the engine merges these before scoring; 4 reports per bucket',
    },
  ];
}
