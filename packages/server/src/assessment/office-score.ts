/**
 * @module assessment/office-score
 * One office's network assessment from its window's facts: each component
 * scored on its band (protocol assessment.ts), the office score the mean of
 * the components that have data, and the ones without data named rather
 * than guessed.
 *
 * - Latency: the median over the window of each report's idle latency to the
 *   front door, on LATENCY_BAND.
 * - Download: the 25th percentile over the window of each report's download
 *   speed, in MB/s (Mbit/s ÷ 8), on DOWNLOAD_BAND — a slow quarter of the
 *   samples pulls it down, as in Microsoft's assessment.
 * - Teams media: the MOS estimate (protocol media-quality.ts) from the
 *   medians of RTT and jitter over the runs that got UDP answers and of loss
 *   over all runs, a run with no UDP answer counting as 100 % loss; on
 *   MOS_BAND. When no run got a UDP answer the component is 0 and says
 *   `udpBlocked` (calls then relay over TCP).
 */
import {
  ASSESSMENT_COMPONENTS,
  type AssessmentComponent,
  type AssessmentComponentName,
  bandScore,
  DOWNLOAD_BAND,
  estimateMos,
  LATENCY_BAND,
  MOS_BAND,
} from '@netinsights/protocol';
import { estimateDevices } from '../insights/device-sketch.ts';
import { type Histogram, quantile, valueAtRank } from '../insights/histogram.ts';
import type { AssessmentFacts } from './window-facts.ts';

/** A run without any UDP answer lost every packet. */
const BLOCKED_LOSS_PERCENT = 100;

export interface OfficeScore {
  score: number | null;
  components: Partial<Record<AssessmentComponentName, AssessmentComponent>>;
  missing: AssessmentComponentName[];
  devices: number;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

function latencyComponent(h: Histogram): AssessmentComponent | undefined {
  const median = quantile(h, 0.5);
  if (median === undefined) return undefined;
  return {
    score: Math.round(bandScore(LATENCY_BAND, median)),
    value: round1(median),
    unit: 'ms',
    samples: h.n,
  };
}

function downloadComponent(h: Histogram): AssessmentComponent | undefined {
  const p25 = quantile(h, 0.25);
  if (p25 === undefined) return undefined;
  const mbPerSecond = p25 / 8;
  return {
    score: Math.round(bandScore(DOWNLOAD_BAND, mbPerSecond)),
    value: round1(mbPerSecond),
    unit: 'MB/s',
    samples: h.n,
  };
}

function mediaComponent(m: AssessmentFacts['media']): AssessmentComponent | undefined {
  if (m.runs === 0) return undefined;
  const rtt = quantile(m.rtt, 0.5);
  if (rtt === undefined)
    return m.blocked > 0 ? { score: 0, value: 1, unit: 'MOS', samples: m.runs, udpBlocked: true } : undefined;
  // Blocked runs sit at the top of the loss distribution (100 % is the most a run can lose).
  const runs = m.loss.n + m.blocked;
  const rank = Math.max(1, Math.ceil(runs / 2));
  const lossMedian = rank > m.loss.n ? BLOCKED_LOSS_PERCENT : (valueAtRank(m.loss, rank) ?? 0);
  const inputs = {
    rttMs: round1(rtt),
    jitterMs: round1(quantile(m.jitter, 0.5) ?? 0),
    lossPercent: round1(lossMedian),
  };
  const mos = estimateMos(inputs.rttMs, inputs.jitterMs, inputs.lossPercent);
  return { score: Math.round(bandScore(MOS_BAND, mos)), value: mos, unit: 'MOS', samples: m.runs, inputs };
}

/** The office's score and its parts. */
export function scoreOffice(f: AssessmentFacts): OfficeScore {
  const found: Record<AssessmentComponentName, AssessmentComponent | undefined> = {
    latency: latencyComponent(f.latency),
    download: downloadComponent(f.throughput),
    media: mediaComponent(f.media),
  };
  const components: OfficeScore['components'] = {};
  const missing: AssessmentComponentName[] = [];
  let sum = 0;
  for (const name of ASSESSMENT_COMPONENTS) {
    const c = found[name];
    if (c) {
      components[name] = c;
      sum += c.score;
    } else missing.push(name);
  }
  const scored = ASSESSMENT_COMPONENTS.length - missing.length;
  return {
    score: scored > 0 ? Math.round(sum / scored) : null,
    components,
    missing,
    devices: estimateDevices(f.devices),
  };
}
