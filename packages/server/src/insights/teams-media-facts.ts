/**
 * @module insights/teams-media-facts
 * What the rollup keeps of Teams media runs: a tally (attempt = a run that
 * judged the UDP path, failure = UDP blocked or over the targets), exact-
 * merge histograms of per-run loss, RTT, jitter and MOS over the runs that
 * got answers, per-port answered counts and the TCP fallback's record. The
 * `teams-media` rule reads its metric from the tally and quotes the rest as
 * evidence.
 */
import type { TeamsMediaEvidence } from '@netinsights/protocol';
import { addSample, emptyHistogram, type Histogram, mergeHistogram, quantile } from './histogram.ts';
import type { TeamsMediaRun } from './observation.ts';
import { emptyTally, mergeTally, recordAttempt, type Tally } from './tally.ts';

/** Ports tracked per rollup (Teams uses four). */
const MAX_PORTS = 16;

export interface TeamsMediaFacts {
  tally: Tally;
  loss: Histogram;
  rtt: Histogram;
  jitter: Histogram;
  mos: Histogram;
  /** UDP port → runs that sent to it (`r`) and runs it answered (`a`). */
  ports: Record<string, { r: number; a: number }>;
  tcp: { runs: number; ok: number };
}

export function emptyTeamsMedia(): TeamsMediaFacts {
  return {
    tally: emptyTally(),
    loss: emptyHistogram(),
    rtt: emptyHistogram(),
    jitter: emptyHistogram(),
    mos: emptyHistogram(),
    ports: {},
    tcp: { runs: 0, ok: 0 },
  };
}

function addPort(into: TeamsMediaFacts['ports'], port: string, r: number, a: number): void {
  const slot = into[port];
  if (slot) {
    slot.r += r;
    slot.a += a;
  } else if (Object.keys(into).length < MAX_PORTS) into[port] = { r, a };
}

/** Folds one run in (mutates `into`). */
export function addTeamsMediaRun(
  into: TeamsMediaFacts,
  run: TeamsMediaRun,
  from: { device: number; at: number; reportId: string },
): void {
  recordAttempt(into.tally, {
    ...from,
    host: run.host,
    ...(run.failureCode ? { failureCode: run.failureCode } : {}),
  });
  if (run.lossPercent !== undefined) addSample(into.loss, run.lossPercent);
  if (run.rttMs !== undefined) addSample(into.rtt, run.rttMs);
  if (run.jitterMs !== undefined) addSample(into.jitter, run.jitterMs);
  if (run.mos !== undefined) addSample(into.mos, run.mos);
  for (const p of run.ports) addPort(into.ports, String(p.port), 1, p.answered ? 1 : 0);
  if (run.tcpOk !== undefined) {
    into.tcp.runs += 1;
    if (run.tcpOk) into.tcp.ok += 1;
  }
}

/** Adds `from` into `into` (exact). */
export function mergeTeamsMedia(into: TeamsMediaFacts, from: TeamsMediaFacts): void {
  mergeTally(into.tally, from.tally);
  mergeHistogram(into.loss, from.loss);
  mergeHistogram(into.rtt, from.rtt);
  mergeHistogram(into.jitter, from.jitter);
  mergeHistogram(into.mos, from.mos);
  for (const [port, c] of Object.entries(from.ports)) addPort(into.ports, port, c.r, c.a);
  into.tcp.runs += from.tcp.runs;
  into.tcp.ok += from.tcp.ok;
}

const spread = (h: Histogram) => {
  const round = (v: number | undefined) => (v === undefined ? null : Math.round(v * 10) / 10);
  return { median: round(quantile(h, 0.5)), p95: round(quantile(h, 0.95)) };
};

/** The evidence the insight quotes. */
export function teamsMediaEvidence(f: TeamsMediaFacts): TeamsMediaEvidence {
  return {
    runs: f.tally.attempts,
    udpBlocked: f.tally.codes['media/udp-blocked'] ?? 0,
    degraded: f.tally.codes['media/degraded'] ?? 0,
    lossPercent: spread(f.loss),
    rttMs: spread(f.rtt),
    jitterMs: spread(f.jitter),
    mos: spread(f.mos),
    ports: Object.entries(f.ports)
      .map(([port, c]) => ({ port: Number(port), runs: c.r, answered: c.a }))
      .sort((a, b) => a.port - b.port),
    tcpFallback: { ...f.tcp },
  };
}
