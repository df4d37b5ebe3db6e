/**
 * @module checks/throughput
 * Download speed from the profile's object along its route, bounded by both
 * bytes and seconds so it costs the same on a fast and a slow path. While
 * it runs, latency to the latency check's host is sampled the same way as
 * the idle samples, on a worker thread (checks/loaded-latency.ts): the
 * loaded side of bufferbloat.
 */
import type { CheckResult, ThroughputDetail } from '@netinsights/protocol';
import { fail, ok } from '@netinsights/protocol';
import { type ProbeContext, phaseSignal } from '../context.ts';
import { dial } from '../transport/dial.ts';
import { httpGet } from '../transport/http-request.ts';
import { startTls } from '../transport/tls-handshake.ts';
import { begin, type Slot } from './check-result.ts';
import { urlCheck } from './contract.ts';
import { median } from './latency.ts';
import { startLoadedSampler } from './loaded-latency.ts';

/**
 * An object that ends before this much data is not timed: over a few
 * hundred kB a download is mostly TCP slow start and round trips, not the
 * link's speed. (Microsoft's own connectivity test downloads 15 MB from the
 * tenant's SharePoint front door.)
 */
export const MIN_MEASURED_BYTES = 256 * 1024;

export const throughputCheck = urlCheck('throughput', (profile) => profile.throughput.url, runThroughput);

export async function runThroughput(ctx: ProbeContext, slot: Slot): Promise<CheckResult> {
  const finish = begin(slot);
  const { url, maxBytes, maxSeconds, slowBelowMbps } = ctx.profile.throughput;
  const target = new URL(url);
  const { host, port } = slot.target;
  const sampler = startLoadedSampler(ctx);
  const dialled = await dial(ctx, host, port);
  if (!dialled.ok) {
    await sampler.finish();
    return finish(dialled.outcome, {
      timings: dialled.timings ?? {},
      ...(dialled.http ? { http: dialled.http } : {}),
    });
  }
  const secured = await startTls(ctx, dialled.socket, host, ['http/1.1']);
  if (!secured.ok) {
    await sampler.finish();
    return finish(secured.outcome, { timings: { ...dialled.timings, ...secured.timings } });
  }
  const download = httpGet(ctx, secured.socket, {
    host,
    path: `${target.pathname}${target.search}`,
    maxBytes,
    maxBodyMs: maxSeconds * 1000,
    keepBytes: 0,
    signal: phaseSignal(ctx, ctx.checkTimeoutMs + maxSeconds * 1000),
    timeoutMs: ctx.checkTimeoutMs + maxSeconds * 1000,
  });
  sampler.begin();
  const response = await download;
  const loadedMs = await sampler.finish();
  secured.socket.destroy();
  const loadedMedian = median(loadedMs);
  const loadedLatency = {
    method: 'tcp-connect' as const,
    samplesMs: loadedMs,
    ...(loadedMedian !== undefined ? { medianMs: Math.round(loadedMedian * 10) / 10 } : {}),
  };
  const timings = { ...dialled.timings, tlsMs: secured.ms };
  if (!response.ok)
    return finish(response.outcome, { timings: { ...timings, ...response.timings }, tls: secured.detail });
  const seconds = Math.max(response.totalMs, 1) / 1000;
  const tooSmall = response.limitedBy === 'eof' && response.bodyBytes < MIN_MEASURED_BYTES;
  const mbps = Math.round(((response.bodyBytes * 8) / seconds / 1e6) * 100) / 100;
  const detail: ThroughputDetail = {
    bytes: response.bodyBytes,
    durationMs: Math.round(response.totalMs),
    ...(tooSmall ? { tooSmall: { minBytes: MIN_MEASURED_BYTES } } : { mbps }),
    limitedBy: response.limitedBy,
    ...(slowBelowMbps !== undefined ? { thresholdMbps: slowBelowMbps } : {}),
    loadedLatency,
  };
  const extra = {
    timings: { ...timings, firstByteMs: response.firstByteMs, totalMs: response.totalMs },
    throughput: detail,
    tls: secured.detail,
  };
  if (response.status >= 400)
    return finish(
      fail('http', 'status', `the download from ${host} answered HTTP ${response.status}`),
      extra,
    );
  if (tooSmall)
    return finish(
      fail(
        'probe',
        'not-measured',
        `object too small (${response.bodyBytes} bytes${response.status >= 300 ? `, an HTTP ${response.status} answer` : ''}): ` +
          `a speed needs at least ${MIN_MEASURED_BYTES / 1024} KiB; set throughput.url in the profile, or the download URL in the agent settings, to a large file (a few MB or more) that answers without sign-in`,
      ),
      extra,
    );
  if (slowBelowMbps !== undefined && mbps < slowBelowMbps)
    return finish(
      fail(
        'perf',
        'slow-throughput',
        `downloading from ${host} ran at ${mbps} Mbit/s, below the ${slowBelowMbps} Mbit/s the profile expects`,
      ),
      extra,
    );
  return finish(ok(), extra);
}
