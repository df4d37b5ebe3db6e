/**
 * @module insights/rules/latency-under-load
 * Bufferbloat at an office: while the probe's download fills the link, the
 * round trip to Microsoft 365 grows far beyond the idle one, because the
 * office's egress queues packets in a deep buffer instead of pacing the
 * flows. A Teams call next to a large upload or download then waits behind
 * that queue. Microsoft's network assessment treats 100 ms of added latency
 * under load as bufferbloat; that is the default `addedLatencyMs`.
 *
 * A run counts when its report has both the latency check's idle median
 * (taken alone on the path, before any other check) and at least two
 * loaded samples from the throughput check (same host, same method, during
 * the download); it is bloated when loaded − idle median (the report's
 * `bufferbloatMs`) ≥ `addedLatencyMs`. Metric: the share of
 * bloated runs. It opens at half of them — i.e. when the office's median
 * run adds at least the limit — and closes below a quarter. Only this rule
 * reads loaded latency: peer comparison (and the rollup's `latency`
 * histogram) use the idle median alone.
 */
import { estimateDevices } from '../device-sketch.ts';
import { countAtLeast } from '../histogram.ts';
import { loadLatencyEvidence } from '../load-latency-facts.ts';
import { links, metricMeasurement, pct, plural, windowWords } from './common.ts';
import type { InsightRule, Measurement } from './contract.ts';

/** Microsoft's documented bufferbloat figure: 100 ms of added latency under load. */
export const ADDED_LATENCY_MS = 100;

const ms = (v: number | null | undefined) => (v == null ? 'n/a' : `${Math.round(v)} ms`);

export const latencyUnderLoad: InsightRule = {
  kind: 'latency-under-load',
  metricName: 'share of runs whose latency under load exceeds the idle latency by the limit',
  defaults: { enabled: true, openThreshold: 0.5, closeThreshold: 0.25, addedLatencyMs: ADDED_LATENCY_MS },

  bucketShare({ bucket, kind }) {
    const h = bucket.loadLatency.added;
    return h.n ? countAtLeast(h, kind.addedLatencyMs ?? ADDED_LATENCY_MS) / h.n : undefined;
  },

  measure({ window, kind }): Measurement {
    const limit = kind.addedLatencyMs ?? ADDED_LATENCY_MS;
    const f = window.loadLatency;
    const evidence = loadLatencyEvidence(f, limit);
    const samples = evidence.runs;
    const value = samples === 0 ? 0 : evidence.bloated / samples;
    const bloatedRuns = f.recent.filter((r) => r.ms >= limit);
    return metricMeasurement(
      {
        samples,
        devices: estimateDevices(f.devices),
        value,
        severity: (evidence.addedMs.median ?? 0) >= 2 * limit ? 'medium' : 'low',
        lastProblemAt: bloatedRuns.at(-1)?.at ?? null,
        exampleReportIds: bloatedRuns.map((r) => r.id).reverse(),
      },
      { latencyUnderLoad: evidence },
    );
  },

  describe(e, ctx) {
    const l = e.latencyUnderLoad;
    return {
      title: `Latency at ${ctx.officeName} grows by about ${ms(l?.addedMs.median)} while the link is busy`,
      meaning:
        `In the last ${windowWords(ctx.windowHours)}, ${l?.bloated ?? 0} of ${plural(e.samples, 'run')} ` +
        `(${pct(e.share)}) from ${plural(e.devices, 'device')} saw the round trip to Microsoft 365 grow by ` +
        `${l?.limitMs ?? ADDED_LATENCY_MS} ms or more during a download: idle median ${ms(l?.idleMs.median)} ` +
        `(p95 ${ms(l?.idleMs.p95)}), under load ${ms(l?.loadedMs.median)} (p95 ${ms(l?.loadedMs.p95)}), ` +
        `added ${ms(l?.addedMs.median)} at the median (p95 ${ms(l?.addedMs.p95)}). ` +
        'The office link queues packets in a deep buffer when it is full (bufferbloat), so every ' +
        'interactive packet waits behind the bulk transfer in front of it: Teams audio and video stutter, ' +
        'and typing in shared documents lags, whenever someone uploads or downloads something large.',
      action:
        'Turn on smart queue management (active queue management) on the egress of the office link — ' +
        'fq_codel or CAKE on the router or firewall, shaped slightly below the line rate so the queue ' +
        'forms where it is managed, not in the modem. Give Teams media its own class (QoS: mark and ' +
        // Microsoft's Teams QoS guidance marks audio EF (DSCP 46) and video AF41 (DSCP 34).
        'prioritise audio and video, DSCP 46 and 34) so bulk traffic cannot ' +
        'starve it (the linked list has the Teams media ranges and ports to classify). Re-check here after the change: the added latency should fall well under the limit.',
    };
  },

  // The queue is fixed on the office's router; what we can hand over is the Teams media set its QoS class matches.
  actionLinks: (id) => [
    { ...links.firewall(id), label: 'Teams media ranges and ports (UDP 3478–3481), for the QoS class' },
  ],
};
