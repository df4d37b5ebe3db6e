/**
 * @module threads/threaded-connect-proxy
 * A plain CONNECT proxy on a worker thread of its own. In the lab the front
 * door, every middlebox and the probes share one event loop; while a few
 * downloads stream through it, a proxy on that loop answers CONNECT tens to
 * hundreds of ms late — a delay no real proxy on its own machine has, and
 * exactly what the probe's latency-under-load samples would read as
 * bufferbloat. On its own thread it answers as promptly as a separate box.
 */
import { Worker } from 'node:worker_threads';
import type { ConnectProxy, ConnectProxyStats } from '../middleboxes/connect-proxy.ts';

export interface ThreadedConnectProxyOptions {
  name: string;
  /** The lab resolver the proxy resolves destinations through (`host:port`). */
  dnsServer: string;
  log?: (line: string) => void;
}

type FromThread =
  | { type: 'ready'; host: string; port: number }
  | { type: 'stats'; stats: ConnectProxyStats; openSockets: number }
  | { type: 'closed' };

export async function startThreadedConnectProxy(options: ThreadedConnectProxyOptions): Promise<ConnectProxy> {
  const worker = new Worker(new URL('./connect-proxy-thread.ts', import.meta.url), {
    workerData: { name: options.name, dnsServer: options.dnsServer },
  });
  const stats: ConnectProxyStats = { connects: 0, tunnels: 0, refused: 0, intercepted: 0, badRequests: 0 };
  let open = 0;
  const ready = await new Promise<{ host: string; port: number }>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: FromThread) => {
      if (m.type === 'ready') resolve(m);
      else if (m.type === 'stats') {
        Object.assign(stats, m.stats);
        open = m.openSockets;
      }
    });
  });
  options.log?.(`${options.name} (CONNECT proxy, own thread) on ${ready.host}:${ready.port}`);
  return {
    host: ready.host,
    port: ready.port,
    url: `http://${ready.host}:${ready.port}`,
    stats,
    openSockets: () => open,
    async close() {
      const closed = new Promise<void>((resolve) => {
        worker.on('message', (m: FromThread) => m.type === 'closed' && resolve());
        worker.once('exit', () => resolve());
      });
      worker.postMessage({ type: 'close' });
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000))]);
      await worker.terminate();
    },
  };
}
