/**
 * @module pages/office-series
 * The series the office charts draw from its metric buckets: the failure
 * share of each insight kind that failed at all, and median latency and
 * throughput with the area's peers as a flat dashed line.
 */
import type { MetricsBucket, OfficeMetrics } from '../api/types.ts';
import type { ChartSeries } from '../components/time-chart.tsx';
import { INSIGHT_KINDS, KIND_COLOR, KIND_LABEL } from '../lib/insight-kinds.ts';

export type Span = '24h' | '7d';

export interface OfficeSeries {
  /** Seconds since the epoch: the window's start, each bucket, the window's end. */
  times: number[];
  xRange: [number, number];
  share: ChartSeries[];
  latency: ChartSeries[];
  throughput: ChartSeries[];
}

export function officeSeries(data: OfficeMetrics, span: Span): OfficeSeries {
  const end = Math.floor(Date.now() / 1000);
  const xRange: [number, number] = [end - (span === '7d' ? 7 * 86_400 : 86_400), end];
  // The window's two ends are added as points without office data, so the
  // area-peer line spans the whole window even when the office has one bucket.
  const times = [
    xRange[0],
    ...data.buckets.map((b) => Math.floor(new Date(b.start).getTime() / 1000)),
    xRange[1],
  ];
  const office = (pick: (b: MetricsBucket) => number | null) => [null, ...data.buckets.map(pick), null];
  const withPeers = (pick: (b: MetricsBucket) => number | null, peer: number | null | undefined) => {
    const lines: ChartSeries[] = [{ label: 'This office', color: '#1d4ed8', values: office(pick) }];
    if (peer !== null && peer !== undefined)
      lines.push({ label: 'Area peers', color: '#94a3b8', dash: [6, 4], values: times.map(() => peer) });
    return lines;
  };
  const kinds = INSIGHT_KINDS.filter((k) => data.buckets.some((b) => (b.failureShare[k] ?? 0) > 0));
  return {
    times,
    xRange,
    share: kinds.map((k) => ({
      label: KIND_LABEL[k],
      color: KIND_COLOR[k],
      values: office((b) => b.failureShare[k] ?? 0),
    })),
    latency: withPeers((b) => b.latencyMedianMs, data.peers?.latencyMedianMs),
    throughput: withPeers((b) => b.throughputMbps, data.peers?.throughputMbps),
  };
}
