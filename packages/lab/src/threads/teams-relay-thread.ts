/**
 * @module threads/teams-relay-thread
 * The worker side of `startTeamsRelayThread`: the lab's Teams relay (the STUN
 * responder on its media ports) and the lossy, jittery link in front of it
 * (the UDP shaper), on this thread's own event loop, reporting their counters
 * to the parent whenever asked and at most every 20 ms while they change.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startUdpShaper, type UdpImpairment } from '../middleboxes/udp-shaping.ts';
import { startStunResponder } from '../stun-responder.ts';

const port = parentPort;
if (!port) throw new Error('teams-relay-thread runs only as a worker thread');
const spec = workerData as { ports: number; degradedLink: UdpImpairment };

const relay = await startStunResponder({ ports: spec.ports });
const shaper = await startUdpShaper({
  upstream: { host: relay.host, ports: relay.ports },
  shape: spec.degradedLink,
});
const counters = () => ({ relay: { ...relay.stats }, shaper: { ...shaper.stats } });
let last = JSON.stringify(counters());
const mirror = setInterval(() => {
  const now = JSON.stringify(counters());
  if (now === last) return;
  last = now;
  port.postMessage({ type: 'counters', counters: counters() });
}, 20);
port.on('message', async (m: { type: string }) => {
  if (m.type !== 'close') return;
  clearInterval(mirror);
  await shaper.close();
  await relay.close();
  port.postMessage({ type: 'counters', counters: counters() });
  port.postMessage({ type: 'closed' });
});
port.postMessage({
  type: 'ready',
  relay: { host: relay.host, ports: relay.ports },
  shaper: { host: shaper.host, ports: shaper.ports },
});
