/**
 * @module bottleneck.test
 * The bloated uplink really queues: a ping through it is answered at once
 * while the link is idle, and waits behind a download's queued bytes — about
 * buffer ÷ rate — while one runs on another connection; the download itself
 * arrives whole and at about the link's rate.
 */
import assert from 'node:assert/strict';
import { createServer, connect as tcpConnect } from 'node:net';
import { after, before, test } from 'node:test';
import { type Bottleneck, startBottleneck } from '../src/middleboxes/bottleneck.ts';
import { LOOPBACK, listenTcp } from '../src/util/listen.ts';

const RATE = 4_000_000;
const BUFFER = 1_000_000;
const DOWNLOAD = 3_000_000;

// Upstream: "D" asks for DOWNLOAD bytes, "P" for a one-byte answer.
const upstream = createServer((s) => {
  s.on('error', () => {});
  s.once('data', (b) => {
    if (b.toString() === 'P') s.end('p');
    else s.end(Buffer.alloc(DOWNLOAD, 0x61));
  });
});
let box: Bottleneck;

before(async () => {
  const port = await listenTcp(upstream, 0, LOOPBACK);
  box = await startBottleneck({
    upstream: { host: LOOPBACK, port },
    up: { bytesPerSecond: RATE, bufferBytes: BUFFER },
    down: { bytesPerSecond: RATE, bufferBytes: BUFFER },
  });
});
after(async () => {
  await box?.close();
  await new Promise((r) => upstream.close(r));
});

/** Sends `what` through the box; resolves with the bytes received and the ms until the end. */
function fetchThrough(what: 'D' | 'P'): Promise<{ bytes: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let bytes = 0;
    const s = tcpConnect({ host: box.host, port: box.port }, () => s.write(what));
    s.on('data', (b) => {
      bytes += b.length;
    });
    s.on('end', () => resolve({ bytes, ms: performance.now() - start }));
    s.on('error', reject);
    s.setTimeout(20_000, () => s.destroy(new Error('no answer through the bottleneck')));
  });
}

test('idle, a ping crosses at once; behind a download it waits about buffer ÷ rate', async () => {
  // The quickest of three: a busy shared machine may stall any single one.
  const pings = [await fetchThrough('P'), await fetchThrough('P'), await fetchThrough('P')];
  const idle = pings.reduce((a, b) => (a.ms <= b.ms ? a : b));
  assert.ok(idle.ms < 60, `idle pings ${pings.map((p) => p.ms)} ms`);
  const download = fetchThrough('D');
  // Let the download fill the FIFO, then ping on another connection.
  await new Promise((r) => setTimeout(r, 150));
  const loaded = await fetchThrough('P');
  const { bytes, ms } = await download;
  // A full FIFO is 250 ms at this rate; the senders resume at three quarters, so ≥ ~180 ms.
  assert.ok(loaded.ms >= 150, `loaded ping ${loaded.ms} ms`);
  assert.ok(loaded.ms - idle.ms >= 100, `added ${loaded.ms - idle.ms} ms`);
  assert.equal(bytes, DOWNLOAD);
  // 3 MB at 4 MB/s is 750 ms; a slow machine only lengthens it.
  assert.ok(ms >= 700, `download took ${ms} ms`);
  assert.ok(box.stats.maxQueuedDownBytes >= BUFFER, `queued at most ${box.stats.maxQueuedDownBytes} bytes`);
  assert.ok(box.stats.maxQueuedDownBytes <= BUFFER + 64 * 1024);
});
