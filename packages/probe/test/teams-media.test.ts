/**
 * Teams media: the STUN codec (RFC 8489) on crafted and garbage datagrams,
 * the metrics (RFC 3550 jitter, the E-model MOS), and the check against
 * loopback STUN responders that answer, answer slowly, answer garbage or
 * stay silent while TCP to the relay works or does not.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type CheckResult, CheckResult as CheckResultSchema, compileValidator } from '@netinsights/protocol';
import { estimateMos, interarrivalJitter, percentile } from '../src/checks/teams-media.ts';
import type { Route } from '../src/transport/proxy-selection.ts';
import {
  bindingRequest,
  bindingResponse,
  MAGIC_COOKIE,
  parseBindingRequest,
  parseBindingResponse,
} from '../src/transport/stun.ts';
import { HOSTS, testPki } from './helpers/fixture.ts';
import { type StunMode, startTestStun } from './helpers/stun-responder.ts';
import { LENIENT, runAgainst } from './helpers/teams-media-run.ts';

const _A = HOSTS[0] as string;
const _validate = compileValidator<CheckResult>(CheckResultSchema, 'check result');

describe('STUN Binding codec', () => {
  test('a request is a 20-byte Binding with the magic cookie and a fresh 96-bit transaction id', () => {
    const a = bindingRequest();
    const b = bindingRequest();
    assert.equal(a.datagram.length, 20);
    assert.equal(a.datagram.readUInt16BE(0), 0x0001);
    assert.equal(a.datagram.readUInt16BE(2), 0);
    assert.equal(a.datagram.readUInt32BE(4), 0x2112a442);
    assert.equal(MAGIC_COOKIE, 0x2112a442);
    assert.deepEqual(a.datagram.subarray(8), a.transactionId);
    assert.equal(a.transactionId.length, 12);
    assert.notDeepEqual(a.transactionId, b.transactionId);
    assert.deepEqual(parseBindingRequest(a.datagram), a.transactionId);
  });

  test('XOR-MAPPED-ADDRESS is decoded for IPv4 and IPv6 (the IPv6 mask includes the transaction id)', () => {
    const tid = randomBytes(12);
    const v4 = parseBindingResponse(
      bindingResponse(tid, { family: 'IPv4', address: '203.0.113.7', port: 50123 }),
    );
    assert.deepEqual(v4, {
      ok: true,
      transactionId: tid,
      xor: true,
      mapped: { family: 'IPv4', address: '203.0.113.7', port: 50123 },
    });
    const v6 = parseBindingResponse(
      bindingResponse(tid, { family: 'IPv6', address: '2001:db8::1:2', port: 3478 }),
    );
    assert.ok(v6.ok);
    assert.deepEqual(v6.mapped, { family: 'IPv6', address: '2001:db8::1:2', port: 3478 });
  });

  test('the XOR form is really masked on the wire (the port is not in the clear)', () => {
    const msg = bindingResponse(randomBytes(12), { family: 'IPv4', address: '127.0.0.1', port: 0x1234 });
    assert.equal(msg.readUInt16BE(20), 0x0020);
    assert.equal(msg.readUInt16BE(26), 0x1234 ^ 0x2112);
  });

  test('a server that only sends MAPPED-ADDRESS is read from it', () => {
    const tid = randomBytes(12);
    const r = parseBindingResponse(
      bindingResponse(tid, { family: 'IPv4', address: '192.0.2.1', port: 9 }, true),
    );
    assert.ok(r.ok);
    assert.equal(r.xor, false);
    assert.deepEqual(r.mapped, { family: 'IPv4', address: '192.0.2.1', port: 9 });
  });

  test('short, cookieless, mis-sized, non-success and truncated-attribute datagrams are rejected, not thrown', () => {
    const good = bindingResponse(randomBytes(12), { family: 'IPv4', address: '192.0.2.1', port: 9 });
    const noCookie = Buffer.from(good);
    noCookie.writeUInt32BE(0xdeadbeef, 4);
    const badLength = Buffer.from(good);
    badLength.writeUInt16BE(200, 2);
    const request = bindingRequest().datagram;
    const truncated = Buffer.from(good);
    truncated.writeUInt16BE(40, 22);
    const rtp = Buffer.from(good);
    rtp[0] = 0x80;
    for (const [what, msg, reason] of [
      ['short', Buffer.from('hi'), /shorter than a STUN header/],
      ['no cookie', noCookie, /magic cookie/],
      ['wrong length', badLength, /does not match/],
      ['a request', request, /not a Binding success/],
      ['attribute past the end', truncated, /runs past the end/],
      ['RTP-looking', rtp, /first two bits/],
    ] as const) {
      const r = parseBindingResponse(msg);
      assert.equal(r.ok, false, what);
      if (!r.ok) assert.match(r.reason, reason, what);
    }
  });

  test('2,000 random datagrams never throw', () => {
    for (let i = 0; i < 2_000; i++) {
      const msg = randomBytes(i % 80);
      if (i % 3 === 0 && msg.length >= 8) msg.writeUInt32BE(MAGIC_COOKIE, 4);
      assert.doesNotThrow(() => parseBindingResponse(msg));
    }
  });
});

describe('Teams media metrics', () => {
  test('percentiles are nearest-rank', () => {
    assert.equal(percentile([], 0.5), undefined);
    assert.equal(percentile([5, 1, 3], 0.5), 3);
    assert.equal(
      percentile(
        [...Array(100).keys()].map((i) => i + 1),
        0.95,
      ),
      95,
    );
  });

  test('RFC 3550 jitter moves 1/16 of the way to each |D|', () => {
    assert.equal(interarrivalJitter([10]), undefined);
    assert.equal(interarrivalJitter([10, 10, 10]), 0);
    // |D| = 16 once: J = 16/16 = 1; then |D| = 0: J = 1 − 1/16.
    assert.equal(interarrivalJitter([10, 26]), 1);
    assert.equal(interarrivalJitter([10, 26, 26]), 1 - 1 / 16);
  });

  test('the E-model MOS: 4.40 on a perfect path, 4.24 at Microsoft targets, falling with each impairment', () => {
    assert.equal(estimateMos(0, 0, 0), 4.4);
    assert.equal(estimateMos(100, 30, 1), 4.24);
    assert.ok(estimateMos(400, 0, 0) < estimateMos(100, 0, 0));
    assert.ok(estimateMos(50, 0, 5) < estimateMos(50, 0, 1));
    assert.ok(estimateMos(50, 60, 0) < estimateMos(50, 10, 0));
    assert.equal(estimateMos(5_000, 1_000, 100), 1);
  });
});

let genuineRoot: Awaited<ReturnType<typeof testPki>>['genuineRoot'];
let tcp: Server;
let tcpPort: number;
let closedPort: number;
before(async () => {
  genuineRoot = (await testPki()).genuineRoot;
  tcp = createServer((s) => s.destroy());
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  tcpPort = (tcp.address() as { port: number }).port;
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});
after(() => new Promise<void>((resolve) => tcp.close(() => resolve())));

async function withStun(count: number, mode: StunMode, delayMs = 0) {
  const stun = await startTestStun(count, mode, delayMs);
  after(() => stun.close());
  return stun;
}

const codeOf = (r: CheckResult) =>
  r.outcome.status === 'ok' ? 'ok' : `${r.outcome.layer}/${r.outcome.class}`;

describe('Teams media check', () => {
  test('answers on every port: ok, nothing lost, the reflexive address is our own socket', async () => {
    const stun = await withStun(2, 'xor');
    const r = await runAgainst(stun.ports, tcpPort, { genuineRoot, thresholds: LENIENT });
    assert.equal(codeOf(r), 'ok');
    const t = r.teamsMedia;
    assert.ok(t);
    assert.equal(t.ports.length, 2);
    for (const p of t.ports) {
      assert.ok(p.sent >= 10, `${p.port} sent ${p.sent}`);
      assert.equal(p.answered, p.sent);
    }
    assert.equal(t.lossPercent, 0);
    assert.equal(t.badAnswers, 0);
    assert.ok(t.rttMedianMs !== undefined);
    assert.ok((t.rttP95Ms ?? 0) >= (t.rttMedianMs ?? 0));
    assert.equal(stun.seenFrom.size, 1, 'one local socket for every port, as a call uses');
    assert.equal(t.reflexive, `127.0.0.1:${[...stun.seenFrom][0]}`);
    assert.deepEqual(t.tcpFallback && { ok: t.tcpFallback.ok, via: t.tcpFallback.via }, {
      ok: true,
      via: 'direct',
    });
    assert.ok(t.mos !== undefined && t.mos >= 1 && t.mos <= 4.5);
  });

  test('a server that only sends MAPPED-ADDRESS still gives the reflexive address', async () => {
    const stun = await withStun(1, 'plain');
    const r = await runAgainst(stun.ports, tcpPort, { genuineRoot, thresholds: LENIENT });
    assert.equal(codeOf(r), 'ok');
    assert.match(r.teamsMedia?.reflexive ?? '', /^127\.0\.0\.1:\d+$/);
  });

  test('silence on UDP while TCP works is media/udp-blocked (calls relay over TCP)', async () => {
    const stun = await withStun(2, 'silent');
    const r = await runAgainst(stun.ports, tcpPort, { genuineRoot, thresholds: LENIENT });
    assert.equal(codeOf(r), 'media/udp-blocked');
    assert.match(r.outcome.status === 'fail' ? r.outcome.message : '', /relay over TCP/);
    assert.equal(r.teamsMedia?.answered, 0);
    assert.equal(r.teamsMedia?.lossPercent, 100);
    assert.equal(r.teamsMedia?.tcpFallback?.ok, true);
  });

  test('silence on UDP and no TCP either is media/no-reply', async () => {
    const stun = await withStun(1, 'silent');
    const r = await runAgainst(stun.ports, closedPort, { genuineRoot });
    assert.equal(codeOf(r), 'media/no-reply');
    assert.equal(r.teamsMedia?.tcpFallback?.ok, false);
  });

  for (const mode of ['garbage', 'wrong-transaction'] as const) {
    test(`${mode} answers are counted as no answer, never trusted`, async () => {
      const stun = await withStun(1, mode);
      const r = await runAgainst(stun.ports, tcpPort, { genuineRoot, thresholds: LENIENT });
      assert.equal(codeOf(r), 'media/udp-blocked');
      assert.equal(r.teamsMedia?.answered, 0);
      assert.ok((r.teamsMedia?.badAnswers ?? 0) > 0);
      assert.equal(r.teamsMedia?.reflexive, undefined);
    });
  }

  test('answers slower than the RTT threshold are media/degraded, naming the RTT', async () => {
    const stun = await withStun(1, 'xor', 150);
    const r = await runAgainst(stun.ports, tcpPort, { genuineRoot });
    assert.equal(codeOf(r), 'media/degraded');
    assert.match(
      r.outcome.status === 'fail' ? r.outcome.message : '',
      /RTT median \d+(\.\d)? ms \(target < 100 ms\)/,
    );
    assert.ok((r.teamsMedia?.rttMedianMs ?? 0) >= 150);
  });

  test('one silent port of two is not counted as loss on the others; its row says 100 %', async () => {
    const live = await withStun(1, 'xor');
    const dead = await withStun(1, 'silent');
    const r = await runAgainst([...live.ports, ...dead.ports], tcpPort, { genuineRoot, thresholds: LENIENT });
    assert.equal(codeOf(r), 'ok');
    assert.equal(r.teamsMedia?.lossPercent, 0);
    assert.equal(r.teamsMedia?.ports[1]?.lossPercent, 100);
  });

  test('behind an explicit HTTP proxy UDP still goes direct: the TCP side is tried via the proxy, the run is judged on UDP', async () => {
    const stun = await withStun(1, 'xor');
    const proxy: Route = { type: 'proxy', proxy: new URL(`http://127.0.0.1:${closedPort}`), source: 'flag' };
    const r = await runAgainst(stun.ports, tcpPort, { route: proxy, genuineRoot, thresholds: LENIENT });
    assert.equal(codeOf(r), 'ok');
    assert.equal(r.path.type, 'direct');
    assert.equal(r.teamsMedia?.tcpFallback?.via, 'proxy');
  });
});
