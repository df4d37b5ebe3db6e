/**
 * @module threads/start-teams-relay-thread
 * The lab's Teams relay and its impaired link on a worker thread of their
 * own. On the lab's main loop (shared with the front door, the middleboxes,
 * the probes and, in the end-to-end tests, the collector) the relay answered
 * STUN tens to hundreds of ms late whenever downloads or handshakes kept that
 * loop busy, and healthy offices read as degraded Teams media — a delay no
 * real relay has. On its own thread it answers as promptly as a separate box,
 * and the impaired link delays and drops only by its own seeded schedule.
 * Counters are mirrored here (at most 20 ms late).
 */
import { Worker } from 'node:worker_threads';
import type { UdpImpairment, UdpShaper } from '../middleboxes/udp-shaping.ts';
import type { StunResponder } from '../stun-responder.ts';

type Counters = { relay: StunResponder['stats']; shaper: UdpShaper['stats'] };
type FromThread =
  | { type: 'ready'; relay: { host: string; ports: number[] }; shaper: { host: string; ports: number[] } }
  | { type: 'counters'; counters: Counters }
  | { type: 'closed' };

export async function startTeamsRelayThread(options: {
  ports: number;
  degradedLink: UdpImpairment;
  log?: (line: string) => void;
}): Promise<{ relay: StunResponder; shaper: UdpShaper }> {
  const worker = new Worker(new URL('./teams-relay-thread.ts', import.meta.url), {
    workerData: { ports: options.ports, degradedLink: options.degradedLink },
  });
  const relayStats = { requests: 0, answered: 0, ignored: 0 };
  const shaperStats = { forwarded: 0, dropped: 0, returned: 0 };
  const ready = await new Promise<Extract<FromThread, { type: 'ready' }>>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: FromThread) => {
      if (m.type === 'ready') resolve(m);
      else if (m.type === 'counters') {
        Object.assign(relayStats, m.counters.relay);
        Object.assign(shaperStats, m.counters.shaper);
      }
    });
  });
  const { degradedLink: d } = options;
  options.log?.(
    `STUN responder (Teams relay, own thread) on ${ready.relay.host} UDP ${ready.relay.ports.join(', ')}; ` +
      `its lossy link on ${ready.shaper.ports.join(', ')} (${d.latencyMs} ms each way, jitter ≤ ${d.jitterMs} ms, loss ${d.lossPercent} %)`,
  );
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const closed = new Promise<void>((resolve) => {
        worker.on('message', (m: FromThread) => m.type === 'closed' && resolve());
        worker.once('exit', () => resolve());
      });
      worker.postMessage({ type: 'close' });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise((r) => (timer = setTimeout(r, 2_000)))]);
      clearTimeout(timer);
      await worker.terminate();
    })();
    return closing;
  };
  return {
    relay: { host: ready.relay.host, ports: ready.relay.ports, stats: relayStats, close },
    shaper: { host: ready.shaper.host, ports: ready.shaper.ports, stats: shaperStats, close },
  };
}
