/**
 * @module checks/latency
 * Round-trip time to the service's front door, sampled as TCP connect times
 * (a SYN / SYN-ACK exchange; through a proxy, the time to an open tunnel).
 * Median for the level, jitter as the mean difference between consecutive
 * samples (the RFC 3550 §6.4.1 idea, without its smoothing). These are the
 * idle samples: the task runs in the run's idle phase, before any other
 * check; the throughput check takes the loaded ones (checks/loaded-latency.ts).
 */
import type { CheckResult, LatencyDetail, Outcome, ServiceProfile } from '@netinsights/protocol';
import { fail, ok } from '@netinsights/protocol';
import type { ProbeContext } from '../context.ts';
import { dial } from '../transport/dial.ts';
import { begin, type Slot } from './check-result.ts';
import { type Check, type Endpoint, singleResult } from './contract.ts';

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function jitter(values: number[]): number | undefined {
  if (values.length < 2) return undefined;
  let sum = 0;
  for (let i = 1; i < values.length; i++) sum += Math.abs((values[i] ?? 0) - (values[i - 1] ?? 0));
  return sum / (values.length - 1);
}

const round = (n: number) => Math.round(n * 10) / 10;

const latencyEndpoint = (profile: ServiceProfile): Endpoint => ({
  host: profile.latency.host.toLowerCase(),
  port: profile.latency.port,
});

export const latencyCheck: Check = {
  name: 'latency',
  endpoints: (profile) => [latencyEndpoint(profile)],
  plan(profile, planner) {
    const { host, port } = latencyEndpoint(profile);
    // Idle latency: sampled before any other check starts (see CheckTask.phase).
    return [{ ...singleResult(planner.slot('latency', host, port), runLatency), phase: 'idle' }];
  },
};

export async function runLatency(ctx: ProbeContext, slot: Slot): Promise<CheckResult> {
  const finish = begin(slot);
  const { host, port } = slot.target;
  const { samples, slowAboveMs } = ctx.profile.latency;
  const samplesMs: number[] = [];
  let firstFailure: Outcome | undefined;
  // Sequential on purpose: parallel connects would queue behind each other and measure the queue.
  for (let i = 0; i < samples && !ctx.runSignal.aborted; i++) {
    const d = await dial(ctx, host, port);
    if (!d.ok) {
      // A failed connect is not a sample, and the next ones would wait out the same timeout.
      firstFailure = d.outcome;
      break;
    }
    d.socket.destroy();
    samplesMs.push(round((d.timings.connectMs ?? 0) + (d.timings.proxyConnectMs ?? 0)));
  }
  const med = median(samplesMs);
  const jit = jitter(samplesMs);
  const detail: LatencyDetail = {
    method: 'tcp-connect',
    samplesMs,
    ...(med !== undefined ? { medianMs: round(med) } : {}),
    ...(jit !== undefined ? { jitterMs: round(jit) } : {}),
    ...(slowAboveMs !== undefined ? { thresholdMs: slowAboveMs } : {}),
  };
  if (med === undefined)
    return finish(
      firstFailure ?? fail('probe', 'deadline', `no latency sample to ${host} before the run deadline`),
      { latency: detail },
    );
  if (slowAboveMs !== undefined && med > slowAboveMs)
    return finish(
      fail(
        'perf',
        'slow-latency',
        `median round trip to ${host} is ${round(med)} ms, above the ${slowAboveMs} ms the profile allows`,
      ),
      { latency: detail },
    );
  return finish(ok(), { latency: detail });
}
