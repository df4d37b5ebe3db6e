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
// Answers are kept, as a proxy's resolver cache keeps them for their TTL (the lab's never change).
// The lab resolver runs on the main thread, the lab's busiest: asking it for every CONNECT would put
// that thread back on the path this one exists to keep it off.
const resolve = lookupThrough(dnsServer);
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
const proxy = await startConnectProxy({ name, lookup });
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
