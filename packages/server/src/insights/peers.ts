/**
 * @module insights/peers
 * "Other users in your area": the median of the window medians of other
 * offices in the same city, across the whole instance. Each office counts
 * once, whatever its size, and only the aggregate leaves this function.
 */
import type { PeerStats } from './rules/contract.ts';
import type { PeerFigure } from './store-contract.ts';

function medianOf(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? null) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

export function peerStats(figures: PeerFigure[]): PeerStats | null {
  if (figures.length === 0) return null;
  return {
    offices: figures.length,
    latencyMedianMs: medianOf(
      figures.flatMap((f) => (f.latencyMedianMs === null ? [] : [f.latencyMedianMs])),
    ),
    throughputMbps: medianOf(figures.flatMap((f) => (f.throughputMbps === null ? [] : [f.throughputMbps]))),
  };
}
