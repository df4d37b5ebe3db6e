/**
 * @module insights/rules/peer-performance
 * The office's median latency to the service is clearly above, or its
 * throughput clearly below, what other tenants' offices in the same city
 * see. The comparison needs enough peers (at least 5 offices of at least 3
 * other tenants; a tenant may ask for more) and shows only their rounded
 * aggregate (insights/peers.ts). Metric: the larger of the latency excess
 * and the throughput shortfall, relative to the peers (0.1 = 10 % worse);
 * it opens at 10 % worse.
 */
import { peerRatioWords } from '@netinsights/protocol';
import { estimateDevices } from '../device-sketch.ts';
import { median } from '../histogram.ts';
import { PEER_MIN_OFFICES, peerFloor } from '../peers.ts';
import { links, metricMeasurement, plural, windowWords } from './common.ts';
import type { InsightRule, Measurement } from './contract.ts';

const round1 = (x: number) => Math.round(x * 10) / 10;
/** Differences smaller than this are histogram resolution and noise, not worth a sentence. */
const NOTABLE = 0.05;
/**
 * Absolute floors under the relative comparison. A few milliseconds more
 * round trip is jitter, not a worse path, however large in percent (13 vs
 * 18 ms is "38 % worse"). And the probe's download is short (a few MB within
 * seconds), so above about 100 Mbit/s it measures TCP slow start more than
 * the link; differences up there are not evidence.
 */
const MIN_LATENCY_GAP_MS = 10;
const MIN_THROUGHPUT_GAP_MBPS = 5;
const THROUGHPUT_ENOUGH_MBPS = 100;

export const peerPerformance: InsightRule = {
  kind: 'peer-performance',
  metricName: 'how much worse than offices nearby (relative)',
  defaults: { enabled: true, openThreshold: 0.1, closeThreshold: 0.05, minPeerOffices: PEER_MIN_OFFICES },
  // The metric compares the whole window with other offices; a bucket alone says nothing.
  bucketShare: null,

  measure({ window, peers, kind, office }): Measurement | null {
    // The floor holds whatever the tenant set (insights/peers.ts); peerStats already applied it.
    if (!peers || peers.offices < peerFloor(kind.minPeerOffices) || !office.city) return null;
    const lat = median(window.latency) ?? null;
    const tput = median(window.throughput) ?? null;
    const latencyGap =
      lat !== null &&
      peers.latencyMedianMs !== null &&
      peers.latencyMedianMs > 0 &&
      lat - peers.latencyMedianMs >= MIN_LATENCY_GAP_MS
        ? (lat - peers.latencyMedianMs) / peers.latencyMedianMs
        : 0;
    // Peers faster than "enough" count as "enough": being slower than them up there is not a problem.
    const reference =
      peers.throughputMbps === null ? null : Math.min(peers.throughputMbps, THROUGHPUT_ENOUGH_MBPS);
    const throughputGap =
      tput !== null && reference !== null && reference > 0 && reference - tput >= MIN_THROUGHPUT_GAP_MBPS
        ? (reference - tput) / reference
        : 0;
    const value = Math.max(0, latencyGap, throughputGap);
    const samples = Math.max(window.latency.n, window.throughput.n);
    const devices = estimateDevices(window.perfDevices);
    const severity = value >= 0.5 ? 'medium' : 'low';
    const lastProblemAt = value > 0 ? window.lastAt : null;
    return metricMeasurement(
      { samples, devices, value, severity, lastProblemAt, exampleReportIds: [] },
      {
        peers: {
          sampleOffices: peers.offices,
          latencyMedianMs: peers.latencyMedianMs === null ? null : round1(peers.latencyMedianMs),
          throughputMbps: peers.throughputMbps === null ? null : round1(peers.throughputMbps),
          officeLatencyMedianMs: lat === null ? null : round1(lat),
          officeThroughputMbps: tput === null ? null : round1(tput),
        },
      },
    );
  },

  describe(e, ctx) {
    const p = e.peers;
    const parts: string[] = [];
    if (
      p?.officeLatencyMedianMs != null &&
      p.latencyMedianMs != null &&
      p.officeLatencyMedianMs > p.latencyMedianMs * (1 + NOTABLE)
    )
      parts.push(
        `the median round trip to Microsoft 365 is about ${Math.round(p.officeLatencyMedianMs)} ms here against ` +
          `${Math.round(p.latencyMedianMs)} ms nearby`,
      );
    if (
      p?.officeThroughputMbps != null &&
      p.throughputMbps != null &&
      p.officeThroughputMbps < p.throughputMbps * (1 - NOTABLE)
    )
      parts.push(
        `downloads run at ${p.officeThroughputMbps} Mbit/s here against ${p.throughputMbps} Mbit/s nearby`,
      );
    return {
      title: `${ctx.officeName} reaches Microsoft 365 more slowly than other offices nearby`,
      meaning:
        `Over the last ${windowWords(ctx.windowHours)} (${plural(e.samples, 'measurement')} from ` +
        `${plural(e.devices, 'device')}), ${parts.join(', and ') || 'performance is worse than nearby'}: ` +
        `${peerRatioWords(ctx.value, p)}, the median of ${p?.sampleOffices ?? 0} other organisations' offices in the same city. ` +
        'Offices in the same city share the same Microsoft entry points, so the difference is most likely on ' +
        "this office's own path: a proxy or inspection device, a congested link, or traffic that leaves the " +
        'network far away. Which offices were compared is not shown.',
      action:
        'Send Microsoft 365 traffic straight to the internet from this office: route the Optimize and Allow ' +
        'endpoints around proxies and TLS inspection (PAC file and bypass list below), use a local internet ' +
        'breakout and a DNS resolver near the office, and check the link for congestion at busy hours.',
    };
  },

  actionLinks: (id) => [links.pac(id), links.bypass(id)],
};
