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
 * The worker: one sample after another until told to stop; posts each
 * sample's ms, then `null` when a connect fails (a failed connect is not a
 * sample, and the next ones would wait out the same timeout).
 */
const WORKER = `
const net = require('node:net');
const { parentPort, workerData: t } = require('node:worker_threads');
let stopped = false;
parentPort.on('message', () => { stopped = true; });
function once() {
  return new Promise((resolve) => {
    const start = performance.now();
    const socket = net.connect({ host: t.address, port: t.port, noDelay: true });
    let head = '';
    const end = (ms) => { clearTimeout(timer); socket.destroy(); resolve(ms); };
    const timer = setTimeout(() => end(null), t.timeoutMs);
    socket.on('error', () => end(null));
    socket.on('close', () => end(null));
    socket.on('connect', () => {
      if (!t.connect) return end(performance.now() - start);
      const lines = ['CONNECT ' + t.connect.authority + ' HTTP/1.1', 'Host: ' + t.connect.authority, 'User-Agent: netinsights-probe'];
      if (t.connect.authorization) lines.push('Proxy-Authorization: ' + t.connect.authorization);
      socket.write(lines.join('\\r\\n') + '\\r\\n\\r\\n');
    });
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      if (!head.includes('\\r\\n\\r\\n')) return;
      end(/^HTTP\\/1\\.[01] 2\\d\\d/.test(head) ? performance.now() - start : null);
    });
  });
}
(async () => {
  for (let n = 0; !stopped && n < t.maxSamples; n++) {
    const ms = await once();
    if (stopped) break;
    parentPort.postMessage(ms);
    if (ms === null) break;
    await new Promise((r) => setTimeout(r, t.gapMs));
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

/**
 * Latency samples taken one after another, 100 ms apart, while `busy` (the
 * download) is pending. A sample that arrives after the download ended is
 * not a loaded one and is dropped.
 */
export async function sampleLatencyWhile(ctx: ProbeContext, busy: Promise<unknown>): Promise<number[]> {
  let done = false;
  const settled = busy.then(
    () => {},
    () => {},
  );
  void settled.then(() => {
    done = true;
  });
  const target = await samplerTarget(ctx);
  if (!target || done || ctx.runSignal.aborted) return [];
  const samplesMs: number[] = [];
  const worker = new Worker(WORKER, { eval: true, workerData: target });
  const finished = new Promise<void>((resolve) => {
    worker.on('message', (ms: number | null) => {
      if (ms === null || done) return resolve();
      samplesMs.push(round(ms));
      if (samplesMs.length >= MAX_LOADED_SAMPLES) resolve();
    });
    worker.once('error', () => resolve());
    worker.once('exit', () => resolve());
  });
  let onAbort = () => {};
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    ctx.runSignal.addEventListener('abort', onAbort, { once: true });
  });
  await Promise.race([settled, finished, aborted]);
  done = true;
  ctx.runSignal.removeEventListener('abort', onAbort);
  worker.postMessage('stop');
  await worker.terminate();
  return samplesMs;
}
