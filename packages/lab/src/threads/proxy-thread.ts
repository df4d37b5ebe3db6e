/**
 * @module threads/proxy-thread
 * The worker side of `startProxyThread`: one lab proxy (plain, allow-list,
 * inspecting or WebSocket-breaking) on this thread's own event loop, resolving through the
 * lab resolver it is given, reporting its counters to the parent whenever
 * they change.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startBlockingProxy } from '../middleboxes/blocking-proxy.ts';
import type { ConnectProxy } from '../middleboxes/connect-proxy.ts';
import { startConnectProxy } from '../middleboxes/connect-proxy.ts';
import { type InterceptingProxy, startInterceptingProxy } from '../middleboxes/intercepting-proxy.ts';
import {
  startWebSocketBreakingProxy,
  type WebSocketBreakingProxy,
} from '../middleboxes/websocket-breaking-proxy.ts';
import { caFromData } from '../pki.ts';
import { inCatalogSets } from '../scenarios/catalog.ts';
import { lookupThrough } from '../util/lookup.ts';
import type { ProxyCounters, ProxySpec } from './proxy-spec.ts';

const port = parentPort;
if (!port) throw new Error('proxy-thread runs only as a worker thread');
const spec = workerData as ProxySpec;
// Answers are kept, as a proxy's resolver cache keeps them for their TTL (the lab's never change).
// The lab resolver runs on the main thread, the lab's busiest: asking it for every CONNECT would put
// that thread back on the path this one exists to keep it off.
const resolve = lookupThrough(spec.dnsServer);
const cache = new Map<string, Promise<string>>();
const lookup = (host: string): Promise<string> => {
  let answer = cache.get(host);
  if (!answer) {
    answer = resolve(host);
    cache.set(host, answer);
    answer.catch(() => cache.delete(host));
  }
  return answer;
};

async function start(): Promise<ConnectProxy & Partial<InterceptingProxy & WebSocketBreakingProxy>> {
  const { name } = spec;
  switch (spec.kind) {
    case 'plain':
      return startConnectProxy({ name, lookup, ...(spec.auth ? { auth: spec.auth } : {}) });
    case 'blocking':
      return startBlockingProxy({ name, lookup, deniedSuffixes: spec.deniedSuffixes });
    case 'intercepting':
      return startInterceptingProxy({
        name,
        lookup,
        ca: await caFromData(spec.ca),
        originTrust: spec.originTrust,
        ...(spec.alpn ? { alpn: spec.alpn } : {}),
        ...(spec.inspectSets
          ? { inspect: (target) => inCatalogSets(target.host, spec.inspectSets ?? []) }
          : {}),
      });
    case 'ws-reset':
      return startWebSocketBreakingProxy({
        name,
        lookup,
        webSocketHosts: spec.webSocketHosts,
        mode: 'reset-after',
        resetAfterMs: spec.resetAfterMs,
      });
    case 'ws-refuse':
      return startWebSocketBreakingProxy({
        name,
        lookup,
        webSocketHosts: spec.webSocketHosts,
        mode: 'refuse',
        ca: await caFromData(spec.ca),
        originTrust: spec.originTrust,
      });
  }
}

const proxy = await start();
port.postMessage({ type: 'ready', host: proxy.host, port: proxy.port });
let last = '';
// Counters travel as messages; a short poll keeps the parent's copy current without a message per event.
const poll = setInterval(() => {
  const counters: ProxyCounters = {
    stats: proxy.stats,
    openSockets: proxy.openSockets(),
    inspected: proxy.inspected ?? { requests: 0, upgrades: 0, refusedUpgrades: 0 },
    broken: proxy.broken?.() ?? 0,
  };
  const now = JSON.stringify(counters);
  if (now === last) return;
  last = now;
  port.postMessage({ type: 'counters', counters });
}, 20);
port.on('message', async (m: { type: string }) => {
  if (m.type !== 'close') return;
  clearInterval(poll);
  await proxy.close();
  port.postMessage({ type: 'closed' });
  port.close();
});
