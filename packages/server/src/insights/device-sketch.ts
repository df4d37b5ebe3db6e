/**
 * @module insights/device-sketch
 * Counts distinct devices without keeping a list of them: a K-minimum-values
 * sketch (Bar-Yossef et al., "Counting distinct elements in a data stream",
 * 2002). It keeps the K smallest 52-bit hashes of the device ids it has seen.
 * Below K devices the count is exact; above, the estimate's relative error is
 * about 1/sqrt(K) (≈ 18 % for K = 32). Two sketches merge exactly (union, keep
 * the K smallest), so hourly buckets combine into any window. Only hashes are
 * stored, never the identifiers themselves.
 */
import { createHash } from 'node:crypto';

/**
 * 32: the evidence base needs exact counts only for small numbers (the
 * default minimum is 2 devices), and a rollup carries one sketch per insight
 * kind, so a larger K would mostly grow every stored bucket.
 */
export const SKETCH_K = 32;
/** 2^52: hashes are taken from 13 hex digits so they stay exact JSON numbers. */
const SPACE = 2 ** 52;

/** Sorted ascending, unique, at most SKETCH_K entries. */
export type DeviceSketch = number[];

/** Hashes of recently seen device ids: an agent reports every few minutes, so ingest sees the same ids again. */
const recent = new Map<string, number>();
const RECENT_MAX = 4096;

export function hashDevice(id: string): number {
  let h = recent.get(id);
  if (h === undefined) {
    h = Number.parseInt(createHash('sha256').update(id).digest('hex').slice(0, 13), 16);
    if (recent.size >= RECENT_MAX) recent.clear();
    recent.set(id, h);
  }
  return h;
}

/** Inserts a hash, keeping the K smallest. Returns the same array for chaining. */
export function addHash(sketch: DeviceSketch, h: number): DeviceSketch {
  if (sketch.length >= SKETCH_K && h >= (sketch[sketch.length - 1] ?? 0)) return sketch;
  let lo = 0;
  let hi = sketch.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sketch[mid] ?? 0) < h) lo = mid + 1;
    else hi = mid;
  }
  if (sketch[lo] === h) return sketch;
  sketch.splice(lo, 0, h);
  if (sketch.length > SKETCH_K) sketch.pop();
  return sketch;
}

export function mergeSketch(into: DeviceSketch, from: DeviceSketch): DeviceSketch {
  for (const h of from) addHash(into, h);
  return into;
}

/** Estimated number of distinct devices (exact below K). */
export function estimateDevices(sketch: DeviceSketch): number {
  if (sketch.length < SKETCH_K) return sketch.length;
  const kth = sketch[SKETCH_K - 1] ?? SPACE;
  return Math.round(((SKETCH_K - 1) * SPACE) / (kth + 1));
}
