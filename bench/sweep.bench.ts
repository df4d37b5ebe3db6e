/**
 * The endpoint sweep's wall time on the lab (issue #15): every required
 * Optimize and Allow host of the shipped catalog (wildcards through the
 * profile's representative hosts), each resolved by the lab's DNS and
 * answered by the lab's front door, dialled 16 at a time — DNS, TCP, TLS
 * with the verdict, GET /. Target ≤ 5 s (the figure for ~100
 * hosts). The sweep's own clock (`ProbeReport.sweep.durationMs`) is
 * measured, median of RUNS runs after a warm-up; baseline, in the same run:
 * the healthy suite without the sweep (its fixed-length phases trimmed as in
 * probe.bench.ts). A second figure sweeps one host at a time, which shows
 * what the bounded concurrency buys.
 */
import { performance } from 'node:perf_hooks';
import { type Lab, startLab } from '@netinsights/lab';
import { runProbe } from '@netinsights/probe';
import type { BenchFigure } from './bench-figure.ts';

const RUNS = 3;
const TARGET_MS = 5_000;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The lab profile without its fixed-length phases (Teams media, a long download). */
function quickProfile(lab: Lab) {
  const { slowBelowMbps: _unjudged, ...throughput } = lab.profile.throughput;
  const { teamsMedia: _fixedLength, ...rest } = lab.profile;
  return { ...rest, throughput: { ...throughput, maxBytes: 64 * 1024 } };
}

async function runs(
  lab: Lab,
  sweep: { concurrency?: number } | undefined,
): Promise<{ suiteMs: number; sweepMs: number; hosts: number }> {
  const suite: number[] = [];
  const swept: number[] = [];
  let hosts = 0;
  for (let i = 0; i < RUNS + 1; i++) {
    const t0 = performance.now();
    const report = await runProbe(
      lab.probeOptionsFor('healthy-direct', {
        profile: quickProfile(lab),
        wsHoldSeconds: 0,
        deadlineMs: 60_000,
        ...(sweep ? { sweep } : {}),
      }),
    );
    const ms = performance.now() - t0;
    const failed = [
      ...report.results.filter((r) => r.outcome.status !== 'ok').map((r) => r.id),
      ...(report.sweep?.hosts ?? []).filter((h) => h.code !== 'ok').map((h) => `sweep ${h.host}: ${h.code}`),
    ];
    if (failed.length > 0) throw new Error(`the healthy lab run found problems: ${failed.join(', ')}`);
    hosts = report.sweep?.hosts.length ?? 0;
    // The first run warms module and TLS caches; it is not counted.
    if (i === 0) continue;
    suite.push(ms);
    if (report.sweep) swept.push(report.sweep.durationMs);
  }
  return { suiteMs: median(suite), sweepMs: swept.length ? median(swept) : 0, hosts };
}

export default async function bench(): Promise<BenchFigure[]> {
  const lab = await startLab();
  try {
    const baseline = await runs(lab, undefined);
    const swept = await runs(lab, { concurrency: 16 });
    const serial = await runs(lab, { concurrency: 1 });
    const base = { name: 'healthy suite without the sweep', value: Math.round(baseline.suiteMs), unit: 'ms' };
    return [
      {
        name: `sweep wall time, ${swept.hosts} required Optimize+Allow hosts of the shipped catalog, 16 at a time`,
        value: Math.round(swept.sweepMs),
        unit: 'ms',
        target: `≤ ${TARGET_MS}`,
        pass: swept.sweepMs <= TARGET_MS,
        baseline: base,
        note: `median of ${RUNS}; the whole run with the sweep took ${Math.round(swept.suiteMs)} ms`,
      },
      {
        name: `sweep wall time, the same ${serial.hosts} hosts one at a time`,
        value: Math.round(serial.sweepMs),
        unit: 'ms',
        baseline: { name: 'the same sweep 16 at a time', value: Math.round(swept.sweepMs), unit: 'ms' },
        note: `median of ${RUNS}`,
      },
    ];
  } finally {
    await lab.close();
  }
}
