/**
 * @module insights/load-latency-facts
 * What the rollup keeps of latency under load: per run (a report with both
 * an idle median from the latency check and at least two loaded samples
 * from the throughput check), exact-merge histograms of the idle median,
 * the loaded median and their difference, the devices behind them, and the
 * newest runs with their difference (for example reports). The added-latency
 * limit is a tenant setting, so runs are judged against it when the rule
 * measures, from the histogram, not when they arrive.
 */
import type { LatencyUnderLoadEvidence } from '@netinsights/protocol';
import { addHash, type DeviceSketch, mergeSketch } from './device-sketch.ts';
import {
  addSample,
  countAtLeast,
  emptyHistogram,
  type Histogram,
  mergeHistogram,
  quantile,
} from './histogram.ts';

/** Newest runs kept for example report ids. */
const MAX_RECENT = 10;
/** Runs that added less than this are not kept as examples (no limit may be set below it). */
export const MIN_NOTABLE_ADDED_MS = 20;

export interface LoadLatencyFacts {
  idle: Histogram;
  loaded: Histogram;
  /** Loaded minus idle median, floored at 0. */
  added: Histogram;
  devices: DeviceSketch;
  /** Newest notable runs, oldest first. */
  recent: { id: string; at: number; ms: number }[];
}

export function emptyLoadLatency(): LoadLatencyFacts {
  return {
    idle: emptyHistogram(),
    loaded: emptyHistogram(),
    added: emptyHistogram(),
    devices: [],
    recent: [],
  };
}

function pushRecent(into: LoadLatencyFacts['recent'], run: LoadLatencyFacts['recent'][number]): void {
  if (run.ms < MIN_NOTABLE_ADDED_MS || into.some((r) => r.id === run.id)) return;
  into.push(run);
  into.sort((a, b) => a.at - b.at);
  if (into.length > MAX_RECENT) into.splice(0, into.length - MAX_RECENT);
}

/** Folds one run in (mutates `into`). */
export function addLoadLatencyRun(
  into: LoadLatencyFacts,
  run: { idleMs: number; loadedMs: number },
  from: { device: number; at: number; reportId: string },
): void {
  const added = Math.max(0, run.loadedMs - run.idleMs);
  addSample(into.idle, run.idleMs);
  addSample(into.loaded, run.loadedMs);
  addSample(into.added, added);
  addHash(into.devices, from.device);
  pushRecent(into.recent, { id: from.reportId, at: from.at, ms: added });
}

/** Adds `from` into `into` (exact, but for the bounded example list). */
export function mergeLoadLatency(into: LoadLatencyFacts, from: LoadLatencyFacts): void {
  mergeHistogram(into.idle, from.idle);
  mergeHistogram(into.loaded, from.loaded);
  mergeHistogram(into.added, from.added);
  mergeSketch(into.devices, from.devices);
  for (const r of from.recent) pushRecent(into.recent, r);
}

const spread = (h: Histogram) => {
  const round = (v: number | undefined) => (v === undefined ? null : Math.round(v * 10) / 10);
  return { median: round(quantile(h, 0.5)), p95: round(quantile(h, 0.95)) };
};

/** The evidence the insight quotes. */
export function loadLatencyEvidence(f: LoadLatencyFacts, limitMs: number): LatencyUnderLoadEvidence {
  return {
    runs: f.added.n,
    bloated: countAtLeast(f.added, limitMs),
    limitMs,
    idleMs: spread(f.idle),
    loadedMs: spread(f.loaded),
    addedMs: spread(f.added),
  };
}
