/**
 * @module shaping.test
 * The shaper only ever slows traffic down, so these tests assert lower
 * bounds (which a loaded machine cannot break) and that data arrives intact
 * and in order.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server, connect as tcpConnect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { type Shaper, startShaper } from '../src/middleboxes/shaping.ts';
import { listenTcp } from '../src/util/listen.ts';
import { DEADLINE_MS } from './helpers.ts';

/** A server that sends `n` bytes of a known pattern to every client, then ends. */
function patternServer(n: number): Server {
  return createServer((socket) => {
    const data = Buffer.alloc(n);
    for (let i = 0; i < n; i++) data[i] = i % 251;
    socket.end(data);
    socket.on('error', () => {});
  });
}

function download(port: number): Promise<{ bytes: Buffer; ms: number; firstByteMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstByteMs = -1;
    const chunks: Buffer[] = [];
    const socket = tcpConnect({ host: '127.0.0.1', port });
    socket.on('data', (c: Buffer) => {
      if (firstByteMs < 0) firstByteMs = performance.now() - started;
      chunks.push(c);
    });
    socket.on('end', () =>
      resolve({ bytes: Buffer.concat(chunks), ms: performance.now() - started, firstByteMs }),
    );
    socket.on('error', reject);
    socket.setTimeout(DEADLINE_MS, () => socket.destroy(new Error('timed out')));
  });
}

describe('shaper', () => {
  const SIZE = 150_000;
  let origin: Server;
  let originPort: number;
  let capped: Shaper;
  let delayed: Shaper;
  let plain: Shaper;

  before(async () => {
    origin = patternServer(SIZE);
    originPort = await listenTcp(origin);
    const upstream = { host: '127.0.0.1', port: originPort };
    // 500 kB/s: 150 kB cannot arrive in under 300 ms.
    capped = await startShaper({ upstream, down: { bytesPerSecond: 500_000 } });
    delayed = await startShaper({ upstream, up: { latencyMs: 80 }, down: { latencyMs: 80 } });
    plain = await startShaper({ upstream });
  });
  after(async () => {
    await Promise.all([capped.close(), delayed.close(), plain.close()]);
    await new Promise<void>((r) => origin.close(() => r()));
  });

  const expected = () => {
    const d = Buffer.alloc(SIZE);
    for (let i = 0; i < SIZE; i++) d[i] = i % 251;
    return createHash('sha256').update(d).digest('hex');
  };

  it('caps bandwidth and delivers every byte in order', async () => {
    const r = await download(capped.port);
    assert.equal(r.bytes.length, SIZE);
    assert.equal(createHash('sha256').update(r.bytes).digest('hex'), expected());
    assert.ok(r.ms >= 280, `took ${r.ms.toFixed(0)} ms, the cap allows no less than 300`);
  });

  it('adds latency in the server-to-client direction', async () => {
    const r = await download(delayed.port);
    assert.equal(r.bytes.length, SIZE);
    assert.ok(r.firstByteMs >= 75, `first byte after ${r.firstByteMs.toFixed(0)} ms`);
  });

  it('adds latency to a request/response round trip in both directions', async () => {
    const echo = createServer((s) => {
      s.on('error', () => {});
      s.pipe(s);
    });
    const echoPort = await listenTcp(echo);
    const shaper = await startShaper({
      upstream: { host: '127.0.0.1', port: echoPort },
      up: { latencyMs: 60 },
      down: { latencyMs: 60 },
    });
    try {
      const rtt = await new Promise<number>((resolve, reject) => {
        const s = tcpConnect({ host: '127.0.0.1', port: shaper.port }, () => {
          const t0 = performance.now();
          s.once('data', () => {
            resolve(performance.now() - t0);
            s.destroy();
          });
          s.write('ping');
        });
        s.on('error', reject);
      });
      assert.ok(rtt >= 115, `round trip ${rtt.toFixed(0)} ms, expected at least 120`);
    } finally {
      await shaper.close();
      await new Promise<void>((r) => echo.close(() => r()));
    }
  });

  it('without impairments is a transparent forwarder', async () => {
    const r = await download(plain.port);
    assert.equal(createHash('sha256').update(r.bytes).digest('hex'), expected());
  });
});
