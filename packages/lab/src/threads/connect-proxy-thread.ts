/**
 * @module threads/connect-proxy-thread
 * The worker side of `startThreadedConnectProxy`: a plain CONNECT proxy on
 * this thread's own event loop, resolving through the lab resolver it is
 * given, reporting its counters to the parent whenever they change.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startConnectProxy } from '../middleboxes/connect-proxy.ts';
import { lookupThrough } from '../util/lookup.ts';

const port = parentPort;
if (!port) throw new Error('connect-proxy-thread runs only as a worker thread');
const { name, dnsServer } = workerData as { name: string; dnsServer: string };
const proxy = await startConnectProxy({ name, lookup: lookupThrough(dnsServer) });
port.postMessage({ type: 'ready', host: proxy.host, port: proxy.port });
let last = '';
// Counters travel as messages; a short poll keeps the parent's copy current without a message per event.
const poll = setInterval(() => {
  const now = JSON.stringify({ stats: proxy.stats, openSockets: proxy.openSockets() });
  if (now === last) return;
  last = now;
  port.postMessage({ type: 'stats', ...JSON.parse(now) });
}, 20);
port.on('message', async (m: { type: string }) => {
  if (m.type !== 'close') return;
  clearInterval(poll);
  await proxy.close();
  port.postMessage({ type: 'closed' });
  port.close();
});
