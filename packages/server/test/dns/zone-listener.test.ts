/**
 * The collector's DNS listener on real UDP and TCP sockets on loopback: what
 * it answers for the delegated zone (the asking address, NODATA, REFUSED
 * outside it, EDNS Client Subnet echoed), which questions are sightings, and
 * that bad input — random bytes, truncated packets, huge or tiny TCP length
 * prefixes, clients that send slowly or not at all — gets nothing or FORMERR
 * and never stops it answering others.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { resolverLabel } from '@netinsights/protocol/resolver-label.ts';
import * as dnsPacket from 'dns-packet';
import { type Sighting, zoneAnswerer } from '../../src/dns/zone-answer.ts';
import { startZoneListener, type ZoneListener } from '../../src/dns/zone-listener.ts';

const ZONE = 'probe.example.net';
const LABEL = resolverLabel('0190c1f0-0000-7000-8000-000000000001', 'a'.repeat(64));

let listener: ZoneListener;
const sightings: Sighting[] = [];

before(async () => {
  listener = await startZoneListener({
    answerer: zoneAnswerer(ZONE),
    host: '127.0.0.1',
    port: 0,
    onSighting: (s) => sightings.push(s),
    tcpIdleMs: 300,
    tcpMaxLifetimeMs: 1500,
    maxTcpConnections: 8,
  });
});
after(() => listener.close());

function query(
  name: string,
  type: dnsPacket.RecordType = 'A',
  extra: Partial<dnsPacket.Packet> = {},
): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id: 4242,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name }],
    ...extra,
  });
}

/** One UDP exchange; undefined when nothing came back within `waitMs`. */
async function udp(bytes: Buffer, waitMs = 300): Promise<Buffer | undefined> {
  const socket = createSocket('udp4');
  try {
    return await new Promise<Buffer | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), waitMs);
      socket.once('message', (msg) => {
        clearTimeout(timer);
        resolve(msg);
      });
      socket.send(bytes, listener.port, '127.0.0.1');
    });
  } finally {
    socket.close();
  }
}

const rcodeOf = (reply: Buffer) => reply[3]! & 0x0f;
/** dns-packet decodes the RCODE, its types leave it out. */
const decode = (b: Buffer) => dnsPacket.decode(b) as dnsPacket.DecodedPacket & { rcode?: string };

function tcpConnect(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(listener.port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

/** Frames `bytes` with the RFC 1035 §4.2.2 length prefix and reads one framed reply. */
async function tcp(bytes: Buffer): Promise<ReturnType<typeof decode>> {
  const s = await tcpConnect();
  const framed = Buffer.alloc(bytes.length + 2);
  framed.writeUInt16BE(bytes.length, 0);
  bytes.copy(framed, 2);
  s.write(framed);
  let got = Buffer.alloc(0);
  for await (const chunk of s) {
    got = Buffer.concat([got, chunk as Buffer]);
    if (got.length >= 2 && got.length >= got.readUInt16BE(0) + 2) break;
  }
  s.destroy();
  return decode(got.subarray(2, got.readUInt16BE(0) + 2));
}

/** Resolves when the server closed the connection (or rejects after `ms`). */
function closedWithin(s: Socket, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms);
    s.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    s.resume();
  });
}

describe('answers for the delegated zone', () => {
  it('answers A for a report label with the asking address, authoritatively, and records a sighting', async () => {
    sightings.length = 0;
    const reply = decode((await udp(query(`${LABEL}.${ZONE}`)))!);
    assert.equal(reply.id, 4242);
    assert.equal(reply.rcode, 'NOERROR');
    assert.equal(reply.flag_aa, true);
    assert.deepEqual(
      reply.answers?.map((a) => [a.type, 'data' in a ? a.data : undefined]),
      [['A', '127.0.0.1']],
    );
    assert.deepEqual(sightings, [{ label: LABEL, resolver: '127.0.0.1', ecs: null, transport: 'udp' }]);
  });

  it('over TCP the same, with the transport recorded', async () => {
    sightings.length = 0;
    const reply = await tcp(query(`${LABEL.toUpperCase()}.${ZONE.toUpperCase()}`));
    assert.equal(reply.rcode, 'NOERROR');
    assert.equal(reply.answers?.[0]?.type, 'A');
    assert.deepEqual(sightings, [{ label: LABEL, resolver: '127.0.0.1', ecs: null, transport: 'tcp' }]);
  });

  it('records the EDNS Client Subnet and echoes it with scope 0 (RFC 7871)', async () => {
    sightings.length = 0;
    const q = query(`${LABEL}.${ZONE}`, 'A', {
      additionals: [
        {
          type: 'OPT',
          name: '.',
          udpPayloadSize: 1232,
          options: [{ code: 8, family: 1, sourcePrefixLength: 24, scopePrefixLength: 0, ip: '192.0.2.0' }],
        } as dnsPacket.Answer,
      ],
    });
    const reply = decode((await udp(q))!);
    assert.equal(sightings[0]?.ecs, '192.0.2.0/24');
    const opt = reply.additionals?.find((a) => a.type === 'OPT') as dnsPacket.OptAnswer | undefined;
    const ecs = opt?.options?.find((o) => o.code === 8) as { scopePrefixLength?: number; ip?: string };
    assert.equal(ecs?.ip, '192.0.2.0');
    assert.equal(ecs?.scopePrefixLength, 0);
  });

  it('a name in the zone that is no report label is answered but is no sighting', async () => {
    sightings.length = 0;
    const reply = decode((await udp(query(`www.${ZONE}`)))!);
    assert.equal(reply.rcode, 'NOERROR');
    assert.equal(reply.answers?.length, 1);
    assert.deepEqual(sightings, []);
  });

  it('AAAA from an IPv4 resolver is NODATA with the SOA; NS and SOA at the apex', async () => {
    const aaaa = decode((await udp(query(`${LABEL}.${ZONE}`, 'AAAA')))!);
    assert.equal(aaaa.rcode, 'NOERROR');
    assert.deepEqual(aaaa.answers, []);
    assert.equal(aaaa.authorities?.[0]?.type, 'SOA');
    const ns = decode((await udp(query(ZONE, 'NS')))!);
    assert.deepEqual(
      ns.answers?.map((a) => ('data' in a ? a.data : undefined)),
      [`ns.${ZONE}`],
    );
  });

  it('refuses names outside the zone (it is no open resolver)', async () => {
    sightings.length = 0;
    const reply = decode((await udp(query(`${LABEL}.example.org`)))!);
    assert.equal(reply.rcode, 'REFUSED');
    assert.equal(reply.flag_aa, false);
    assert.deepEqual(reply.answers, []);
    assert.deepEqual(sightings, []);
    const lookalike = decode((await udp(query(`${LABEL}.evilprobe.example.net`)))!);
    assert.equal(lookalike.rcode, 'REFUSED');
  });
});

describe('bad input', () => {
  it('2,000 random datagrams get nothing or FORMERR, and the listener still answers', async () => {
    // A seeded generator: the same bytes every run (xorshift32).
    let x = 0x9e3779b9;
    const next = () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) / 2 ** 32;
    };
    const socket = createSocket('udp4');
    const replies: Buffer[] = [];
    socket.on('message', (m) => replies.push(m));
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    const sent = 2000;
    for (let i = 0; i < sent; i++) {
      const bytes = Buffer.alloc(Math.floor(next() * 600));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(next() * 256);
      socket.send(bytes, listener.port, '127.0.0.1');
      // Paced so the kernel's receive buffer does not drop most of them before the listener reads them.
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    const before = listener.stats.udpQueries;
    const ok = await udp(query(`${LABEL}.${ZONE}`), 2000);
    socket.close();
    assert.ok(before > sent / 2, `the listener read ${before} datagrams`);
    assert.ok(ok && rcodeOf(ok) === 0, 'a real query after the noise is answered');
    for (const r of replies) {
      assert.ok(r[2]! & 0x80, 'every reply is a response');
      // Random bytes may decode as a query in the zone (answered), elsewhere (REFUSED), or not at all.
      assert.ok([0, 1, 4, 5].includes(rcodeOf(r)), `rcode ${rcodeOf(r)}`);
    }
  });

  it('a truncated query gets FORMERR with its id; less than a header gets nothing', async () => {
    const whole = query(`${LABEL}.${ZONE}`);
    const cut = whole.subarray(0, whole.length - 5);
    const reply = (await udp(cut))!;
    assert.equal(reply.readUInt16BE(0), 4242);
    assert.equal(rcodeOf(reply), 1, 'FORMERR');
    assert.equal(await udp(whole.subarray(0, 7)), undefined);
    // A datagram that is itself a response is never answered (no reflection loops).
    const response = Buffer.from(whole);
    response[2] = response[2]! | 0x80;
    assert.equal(await udp(response), undefined);
  });

  it('a TCP length prefix beyond any query, or below a header, closes the connection', async () => {
    for (const length of [0xffff, 5000, 3]) {
      const s = await tcpConnect();
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(length, 0);
      s.write(Buffer.concat([prefix, Buffer.alloc(Math.min(length, 100))]));
      await closedWithin(s, 1000);
    }
  });

  it('a slow or silent TCP client is closed after the idle time and never delays others', async () => {
    const slow = await tcpConnect();
    const silent = await tcpConnect();
    const whole = query(`${LABEL}.${ZONE}`);
    const framed = Buffer.alloc(whole.length + 2);
    framed.writeUInt16BE(whole.length, 0);
    whole.copy(framed, 2);
    // Half a query, then nothing: the other clients are answered meanwhile.
    slow.write(framed.subarray(0, 9));
    const started = performance.now();
    const reply = await tcp(query(`${LABEL}.${ZONE}`));
    assert.equal(reply.rcode, 'NOERROR');
    assert.ok(await udp(query(`${LABEL}.${ZONE}`)));
    assert.ok(performance.now() - started < 250, 'answered while the slow client waits');
    await Promise.all([closedWithin(slow, 1500), closedWithin(silent, 1500)]);
  });

  it('a client dribbling one byte every 100 ms (never idle) is closed at the connection lifetime', async () => {
    const s = await tcpConnect();
    const started = performance.now();
    const whole = query(`${LABEL}.${ZONE}`);
    const framed = Buffer.alloc(whole.length + 2);
    framed.writeUInt16BE(whole.length, 0);
    whole.copy(framed, 2);
    let i = 0;
    // One byte of a real query every 100 ms (idle never reaches 300 ms); bounded by the query's length.
    const drip = setInterval(() => {
      if (i < framed.length - 1 && !s.destroyed) s.write(framed.subarray(i, i + 1));
      i++;
    }, 100);
    try {
      await closedWithin(s, 4000);
    } finally {
      clearInterval(drip);
    }
    const lived = performance.now() - started;
    assert.ok(lived >= 1400 && lived < 3500, `closed after ${Math.round(lived)} ms`);
  });

  it('connections beyond the cap are closed on arrival; the listener answers again once they go', async () => {
    const refusedBefore = listener.stats.tcpRefused;
    const held = await Promise.all(Array.from({ length: 8 }, () => tcpConnect()));
    const extra = await tcpConnect();
    await closedWithin(extra, 1000);
    assert.equal(listener.stats.tcpRefused, refusedBefore + 1);
    // UDP is not held up by the full TCP side.
    assert.ok(await udp(query(`${LABEL}.${ZONE}`)));
    for (const s of held) s.destroy();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await tcp(query(`${LABEL}.${ZONE}`))).rcode, 'NOERROR');
  });
});
