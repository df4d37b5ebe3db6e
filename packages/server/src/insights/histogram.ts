/**
 * @module insights/histogram
 * A sparse log-scale histogram whose merge is exact (counts add up), so hourly
 * rollups can be combined into any window and still give the same median as
 * if every sample had been kept. Bucket width is 2 % of the value, so a median
 * read from it is within ±1 % of the true one — well inside the 10 % margin
 * the peer-performance comparison works with.
 */

/** Ratio between consecutive bucket bounds. */
const GROWTH = 1.02;
const LOG_GROWTH = Math.log(GROWTH);
/** Key for zero (and anything below the smallest tracked value). */
const ZERO = 'z';
/** Values below this are counted as zero: 1 µs latency or 1 kbit/s throughput carry no signal. */
const MIN_VALUE = 0.001;

/** Counts per bucket index, plus an exact sum and count (for means). */
export interface Histogram {
  /** bucket index (or `z`) → number of samples. */
  b: Record<string, number>;
  n: number;
  sum: number;
}

export function emptyHistogram(): Histogram {
  return { b: {}, n: 0, sum: 0 };
}

function keyOf(value: number): string {
  return value < MIN_VALUE ? ZERO : String(Math.floor(Math.log(value) / LOG_GROWTH));
}

/** Representative value of a bucket: the geometric middle of its bounds. */
function bucketValue(key: string): number {
  return key === ZERO ? 0 : GROWTH ** (Number(key) + 0.5);
}

export function addSample(h: Histogram, value: number): void {
  if (!Number.isFinite(value) || value < 0) return;
  const k = keyOf(value);
  h.b[k] = (h.b[k] ?? 0) + 1;
  h.n += 1;
  h.sum += value;
}

/** Adds `from` into `into` (exact). */
export function mergeHistogram(into: Histogram, from: Histogram): void {
  for (const [k, c] of Object.entries(from.b)) into.b[k] = (into.b[k] ?? 0) + c;
  into.n += from.n;
  into.sum += from.sum;
}

/**
 * The value of the rank-th smallest sample (1-based), or undefined when the
 * histogram has fewer samples. Bucket indices are sorted as numbers once
 * (not compared as strings), as the assessment score reads several
 * quantiles of thousands of offices.
 */
export function valueAtRank(h: Histogram, rank: number): number | undefined {
  if (rank < 1 || rank > h.n) return undefined;
  let seen = h.b[ZERO] ?? 0;
  if (seen >= rank) return 0;
  const indices: number[] = [];
  for (const k in h.b) if (k !== ZERO) indices.push(Number(k));
  indices.sort((a, b) => a - b);
  for (const i of indices) {
    seen += h.b[String(i)] ?? 0;
    if (seen >= rank) return bucketValue(String(i));
  }
  const last = indices[indices.length - 1];
  return last === undefined ? 0 : bucketValue(String(last));
}

/** The q-quantile (0..1), or undefined when the histogram is empty. */
export function quantile(h: Histogram, q: number): number | undefined {
  if (h.n === 0) return undefined;
  return valueAtRank(h, Math.min(h.n, Math.max(1, Math.ceil(q * h.n))));
}

export function median(h: Histogram): number | undefined {
  return quantile(h, 0.5);
}

/**
 * Samples at or above `value`, judged by each bucket's representative value
 * (as `quantile` reads them), so within 2 % of `value` a sample may count on
 * either side.
 */
export function countAtLeast(h: Histogram, value: number): number {
  let n = 0;
  for (const [k, c] of Object.entries(h.b)) if (bucketValue(k) >= value) n += c;
  return n;
}
