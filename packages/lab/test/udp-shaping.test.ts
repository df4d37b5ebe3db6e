/**
 * The lab's UDP shaper and STUN responder: the shaper's loss and jitter
 * follow its seed (the same seed drops the same datagrams), stay within
 * their bounds, and the responder answers STUN through it.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { describe, test } from 'node:test';
import { bindingRequest, parseBindingResponse } from '@netinsights/probe/transport/stun.ts';
import { seededRandom, startUdpShaper } from '../src/middleboxes/udp-shaping.ts';
import { startStunResponder } from '../src/stun-responder.ts';

/** Sends `count` Binding requests 5 ms apart through `port`; returns which were answered and their RTTs. */
async function exchange(port: number, count: number) {
  const socket = createSocket('udp4');
  const sent = new Map<string, { i: number; at: number }>();
  const answered = new Map<number, number>();
  socket.on('message', (msg) => {
    const r = parseBindingResponse(msg);
    const s = r.ok ? sent.get(r.transactionId.toString('hex')) : undefined;
    if (s) answered.set(s.i, performance.now() - s.at);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  for (let i = 0; i < count; i++) {
    const req = bindingRequest();
    sent.set(req.transactionId.toString('hex'), { i, at: performance.now() });
    socket.send(req.datagram, port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 5));
  }
  await new Promise((r) => setTimeout(r, 400));
  socket.close();
  return answered;
}

describe('UDP shaper', () => {
  test('the generator is deterministic per seed and uniform enough', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const xs = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(
      xs,
      Array.from({ length: 1000 }, () => b()),
    );
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
  });

  test('loss and delay stay within their bounds, and one seed drops the same requests on every run', async () => {
    const relay = await startStunResponder({ ports: 1 });
    const shape = { latencyMs: 20, jitterMs: 30, lossPercent: 20, seed: 42 };
    const runs: Map<number, number>[] = [];
    try {
      for (let run = 0; run < 2; run++) {
        const shaper = await startUdpShaper({ upstream: { host: relay.host, ports: relay.ports }, shape });
        try {
          runs.push(await exchange(shaper.ports[0]!, 100));
          assert.equal(shaper.stats.forwarded + shaper.stats.dropped, 100);
        } finally {
          await shaper.close();
        }
      }
    } finally {
      await relay.close();
    }
    const [first, second] = runs as [Map<number, number>, Map<number, number>];
    const lost = 100 - first.size;
    assert.ok(lost >= 8 && lost <= 35, `${lost} of 100 lost at 20 %`);
    assert.deepEqual(
      [...first.keys()].sort((x, y) => x - y),
      [...second.keys()].sort((x, y) => x - y),
    );
    for (const rtt of first.values()) assert.ok(rtt >= 39, `RTT ${rtt} under the fixed 2 × 20 ms`);
  });
});
