/**
 * @module threads/start-proxy-thread
 * A lab proxy on a worker thread of its own. In the lab the front door, the
 * other middleboxes and the probes share one event loop; while a few
 * downloads stream through it, a proxy on that loop answers CONNECT tens to
 * hundreds of ms late — a delay no real proxy on its own machine has, and
 * exactly what the probe's latency-under-load samples would read as
 * bufferbloat. On its own thread it answers as promptly as a separate box.
 * Its counters are mirrored here (at most 20 ms late).
 */
import { Worker } from 'node:worker_threads';
import type { InterceptingProxy } from '../middleboxes/intercepting-proxy.ts';
import type { WebSocketBreakingProxy } from '../middleboxes/websocket-breaking-proxy.ts';
import type { ProxyCounters, ProxySpec } from './proxy-spec.ts';

type FromThread =
  | { type: 'ready'; host: string; port: number }
  | { type: 'counters'; counters: ProxyCounters }
  | { type: 'closed' };

/** Every proxy kind's surface at once: a thread of any kind answers all of it. */
export type ThreadedProxy = InterceptingProxy & WebSocketBreakingProxy;

export async function startProxyThread(
  spec: ProxySpec,
  log?: (line: string) => void,
): Promise<ThreadedProxy> {
  const worker = new Worker(new URL('./proxy-thread.ts', import.meta.url), { workerData: spec });
  const counters: ProxyCounters = {
    stats: { connects: 0, tunnels: 0, refused: 0, intercepted: 0, badRequests: 0 },
    openSockets: 0,
    inspected: { requests: 0, upgrades: 0, refusedUpgrades: 0 },
    broken: 0,
  };
  const ready = await new Promise<{ host: string; port: number }>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: FromThread) => {
      if (m.type === 'ready') resolve(m);
      else if (m.type === 'counters') {
        Object.assign(counters.stats, m.counters.stats);
        Object.assign(counters.inspected, m.counters.inspected);
        counters.openSockets = m.counters.openSockets;
        counters.broken = m.counters.broken;
      }
    });
  });
  log?.(`${spec.name} (${spec.kind} proxy, own thread) on ${ready.host}:${ready.port}`);
  return {
    host: ready.host,
    port: ready.port,
    url: `http://${ready.host}:${ready.port}`,
    stats: counters.stats,
    inspected: counters.inspected,
    openSockets: () => counters.openSockets,
    broken: () => counters.broken,
    async close() {
      const closed = new Promise<void>((resolve) => {
        worker.on('message', (m: FromThread) => m.type === 'closed' && resolve());
        worker.once('exit', () => resolve());
      });
      worker.postMessage({ type: 'close' });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise((r) => (timer = setTimeout(r, 2_000)))]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
