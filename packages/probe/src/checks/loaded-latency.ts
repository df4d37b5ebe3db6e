/**
 * @module checks/loaded-latency
 * The loaded side of bufferbloat: latency samples to the latency check's
 * host, by its method (the TCP connect time; through a proxy, the time until
 * the CONNECT tunnel is open), taken while the throughput download runs.
 *
 * They are taken on a worker thread with its own event loop. On the probe's
 * main loop a sample's 'connect' event waits behind the download's TLS
 * decryption (and every other check running then), so a busy probe would
 * measure itself: with four probes at once in the lab, healthy paths showed
 * up to 82 ms of "bufferbloat" that way. The worker is started from source
 * text (`eval`) so that the bundled probe and the single executables need no
 * extra file.
 */
import { Worker } from 'node:worker_threads';
import type { ProbeContext } from '../context.ts';
import { phaseSignal, routeOf } from '../context.ts';
import { pinFor } from '../transport/pins.ts';

/** Gap between loaded samples, and their bound per download. */
export const LOADED_GAP_MS = 100;
export const MAX_LOADED_SAMPLES = 30;

/** What the worker dials: the destination itself, or the proxy and the tunnel it asks for. */
export interface SamplerTarget {
  address: string;
  port: number;
  /** Through an HTTP proxy: the CONNECT authority and its Proxy-Authorization, if any. */
  connect?: { authority: string; authorization?: string };
  timeoutMs: number;
  gapMs: number;
  maxSamples: number;
}

/**
 * The worker: waits for `go`, then takes one sample after another until told
 * to `stop`, posting each with the time it started; a sample in flight when
 * `stop` arrives is finished and posted. A failed connect ends the series (it
 * is not a sample, and the next ones would wait out the same timeout).
 */
const WORKER = `
const net = require('node:net');
const { parentPort, workerData: t } = require('node:worker_threads');
let stopped = false;
let go;
const started = new Promise((resolve) => { go = resolve; });
parentPort.on('message', (m) => { if (m === 'go') go(); else { stopped = true; go(); } });
function once() {
  return new Promise((resolve) => {
    const start = performance.now();
    const socket = net.connect({ host: t.address, port: t.port, noDelay: true });
    let head = '';
    const end = (ok) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok ? { ms: performance.now() - start, startedAt: performance.timeOrigin + start } : null);
    };
    const timer = setTimeout(() => end(false), t.timeoutMs);
    socket.on('error', () => end(false));
    socket.on('close', () => end(false));
    socket.on('connect', () => {
      if (!t.connect) return end(true);
      const lines = ['CONNECT ' + t.connect.authority + ' HTTP/1.1', 'Host: ' + t.connect.authority, 'User-Agent: netinsights-probe'];
      if (t.connect.authorization) lines.push('Proxy-Authorization: ' + t.connect.authorization);
      socket.write(lines.join('\\r\\n') + '\\r\\n\\r\\n');
    });
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      if (!head.includes('\\r\\n\\r\\n')) return;
      end(/^HTTP\\/1\\.[01] 2\\d\\d/.test(head));
    });
  });
}
(async () => {
  await started;
  for (let n = 0; !stopped && n < t.maxSamples; n++) {
    const sample = await once();
    parentPort.postMessage(sample);
    if (sample === null) break;
    if (!stopped) await new Promise((r) => setTimeout(r, t.gapMs));
  }
  parentPort.close();
})();
`;

const round = (n: number) => Math.round(n * 10) / 10;

/** Prefer IPv4, as `dial` does, so idle and loaded samples take the same address. */
function pickAddress(addresses: readonly string[]): string | undefined {
  return addresses.find((a) => !a.includes(':')) ?? addresses[0];
}

/** Where the worker dials for the latency host along its route; undefined when it cannot be resolved. */
async function samplerTarget(ctx: ProbeContext): Promise<SamplerTarget | undefined> {
  const host = ctx.profile.latency.host.toLowerCase();
  const { port } = ctx.profile.latency;
  const common = { timeoutMs: ctx.checkTimeoutMs, gapMs: LOADED_GAP_MS, maxSamples: MAX_LOADED_SAMPLES };
  const route = routeOf(ctx, host, port);
  if (route.type === 'direct') {
    const answer = await ctx.dns.resolve(host, port, phaseSignal(ctx));
    const address = answer.ok ? pickAddress(answer.addresses) : undefined;
    return address ? { address, port, ...common } : undefined;
  }
  const proxyHost = route.proxy.hostname.replace(/^\[(.*)\]$/, '$1');
  const proxyPort = Number(route.proxy.port || 8080);
  const address = pickAddress(pinFor(ctx.pins, proxyHost, proxyPort) ?? []) ?? proxyHost;
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const authorization = route.proxy.username
    ? `Basic ${Buffer.from(`${decodeURIComponent(route.proxy.username)}:${decodeURIComponent(route.proxy.password)}`).toString('base64')}`
    : undefined;
  return {
    address,
    port: proxyPort,
    connect: { authority, ...(authorization ? { authorization } : {}) },
    ...common,
  };
}

/** The loaded sampler of one download. */
export interface LoadedSampler {
  /** The download has started: sample from now on. */
  begin(): void;
  /** The download is over: the samples that started while it ran, in ms. */
  finish(): Promise<number[]>;
}

/**
 * Starts the worker ahead of the download (a thread takes tens of ms to
 * start on a busy machine, and a short download would be over before the
 * first sample). Samples are taken one after another, 100 ms apart, from
 * `begin` to `finish`; one that started after the download ended is not a
 * loaded one and is dropped.
 */
export function startLoadedSampler(ctx: ProbeContext): LoadedSampler {
  const samples: { ms: number; startedAt: number }[] = [];
  let began = false;
  const worker = samplerTarget(ctx).then((target) => {
    if (!target || ctx.runSignal.aborted) return undefined;
    const w = new Worker(WORKER, { eval: true, workerData: target });
    // Watched from the start: a series that ended early (a failed connect) has exited before `finish`.
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    w.on('message', (m: { ms: number; startedAt: number } | null) => {
      if (m) samples.push(m);
    });
    w.on('error', () => {});
    if (began) w.postMessage('go');
    return { w, exited };
  });
  return {
    begin() {
      began = true;
      void worker.then((started) => started?.w.postMessage('go'));
    },
    async finish() {
      const endedAt = performance.timeOrigin + performance.now();
      const started = await worker;
      if (!started) return [];
      const { w, exited } = started;
      w.postMessage('stop');
      // The sample in flight is finished (its connect is bounded by the check timeout), unless the run ends.
      let timer: NodeJS.Timeout | undefined;
      let onAbort = () => {};
      await Promise.race([
        exited,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, ctx.checkTimeoutMs);
          onAbort = resolve;
          ctx.runSignal.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
      clearTimeout(timer);
      ctx.runSignal.removeEventListener('abort', onAbort);
      await w.terminate();
      return samples.filter((s) => s.startedAt <= endedAt).map((s) => round(s.ms));
    },
  };
}
