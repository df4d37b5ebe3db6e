/**
 * @module assessment/window-facts
 * What the score reads of an office's hour rollups over its window: the
 * per-report latency and throughput distributions, the Teams media runs'
 * RTT, jitter and loss distributions with how many runs found UDP blocked,
 * and the devices. Merged exactly (histograms add, sketches union), and
 * only these parts, so a 3-day window costs a few histogram merges per hour
 * bucket rather than whole rollups.
 */
import { type DeviceSketch, mergeSketch } from '../insights/device-sketch.ts';
import { emptyHistogram, type Histogram, mergeHistogram } from '../insights/histogram.ts';
import type { Rollup } from '../insights/rollup.ts';

export interface AssessmentFacts {
  /** Per-report median idle latency to the front door, ms (the latency check runs before any load). */
  latency: Histogram;
  /** Per-report download speed, Mbit/s. */
  throughput: Histogram;
  media: {
    /** Runs that answered on UDP: their RTT, jitter and loss. */
    rtt: Histogram;
    jitter: Histogram;
    loss: Histogram;
    /** Runs that judged the UDP path, and those with no UDP answer at all. */
    runs: number;
    blocked: number;
  };
  devices: DeviceSketch;
}

export function emptyFacts(): AssessmentFacts {
  return {
    latency: emptyHistogram(),
    throughput: emptyHistogram(),
    media: { rtt: emptyHistogram(), jitter: emptyHistogram(), loss: emptyHistogram(), runs: 0, blocked: 0 },
    devices: [],
  };
}

/** Adds one hour bucket's facts into `into` (mutates and returns it). */
export function addBucket(into: AssessmentFacts, r: Rollup): AssessmentFacts {
  mergeHistogram(into.latency, r.latency);
  mergeHistogram(into.throughput, r.throughput);
  const t = r.teamsMedia;
  mergeHistogram(into.media.rtt, t.rtt);
  mergeHistogram(into.media.jitter, t.jitter);
  mergeHistogram(into.media.loss, t.loss);
  into.media.runs += t.tally.attempts;
  into.media.blocked += t.tally.codes['media/udp-blocked'] ?? 0;
  mergeSketch(into.devices, r.devices);
  return into;
}

/** The window's facts from its buckets. */
export function windowFacts(buckets: Iterable<Rollup>): AssessmentFacts {
  const out = emptyFacts();
  for (const b of buckets) addBucket(out, b);
  return out;
}
