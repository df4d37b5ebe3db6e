/**
 * @module peer-ratio
 * How a "Slower than peers" insight reads its gap: as a ratio of the
 * office's figure to the area median ("3.2 × the area median round trip"),
 * never as a percentage. The rule's metric is the relative gap (0.1 = 10 %
 * worse), which is right for thresholds but unreadable once an office is
 * far off: 260 was shown as "26000 %". Server texts and the dashboard both
 * format through here, so they say the same. No imports: the dashboard
 * bundles this file.
 */

/** The peer comparison an insight carries (InsightEvidence `peers`). */
export interface PeerFigures {
  latencyMedianMs: number | null;
  throughputMbps: number | null;
  officeLatencyMedianMs: number | null;
  officeThroughputMbps: number | null;
}

/** Which figure is worse, and the office's value as a multiple of the area median. */
export interface PeerRatio {
  metric: 'latency' | 'throughput' | 'unknown';
  /** Office / area median: above 1 for a longer round trip, below 1 for slower downloads. */
  ratio: number;
}

const usable = (x: number | null | undefined): x is number =>
  typeof x === 'number' && Number.isFinite(x) && x > 0;

/**
 * The worse of the office's two figures against the area: the longer round
 * trip or the slower download, whichever is further off in relative terms.
 * Without the figures, the ratio the metric implies (`1 + gap`).
 */
export function peerRatio(gap: number, peers?: PeerFigures | null): PeerRatio {
  const lat =
    peers && usable(peers.latencyMedianMs) && usable(peers.officeLatencyMedianMs)
      ? peers.officeLatencyMedianMs / peers.latencyMedianMs
      : null;
  const tput =
    peers && usable(peers.throughputMbps) && usable(peers.officeThroughputMbps)
      ? peers.officeThroughputMbps / peers.throughputMbps
      : null;
  const latGap = lat === null ? -1 : lat - 1;
  const tputGap = tput === null ? -1 : 1 - tput;
  if (lat !== null && latGap >= tputGap && latGap > 0) return { metric: 'latency', ratio: lat };
  if (tput !== null && tputGap > 0) return { metric: 'throughput', ratio: tput };
  return { metric: 'unknown', ratio: 1 + Math.max(0, gap) };
}

/** "3.2 ×", "0.45 ×", "26 ×": two significant figures, never "1.0 ×" for a real gap. */
export function times(ratio: number): string {
  if (!Number.isFinite(ratio)) return '— ×';
  const digits = ratio >= 10 ? 0 : ratio >= 1 ? 1 : 2;
  let text = ratio.toFixed(digits);
  if (ratio > 1 && text === '1.0') text = ratio.toFixed(2);
  return `${text} ×`;
}

/** "3.2 × the area median round trip", "0.45 × the area median download speed", "1.3 × the area median". */
export function peerRatioWords(gap: number, peers?: PeerFigures | null): string {
  const r = peerRatio(gap, peers);
  const what = r.metric === 'latency' ? ' round trip' : r.metric === 'throughput' ? ' download speed' : '';
  return `${times(r.ratio)} the area median${what}`;
}
