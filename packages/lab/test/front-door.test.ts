/**
 * @module front-door.test
 * The front door against raw clients: HTTP/2 and HTTP/1.1 on one TLS port for
 * every lab host, origin headers, the download endpoint, the WebSocket echo,
 * QUIC Version Negotiation on UDP, and garbage that must not bring it down.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import * as tls from 'node:tls';
import { FRONT_DOOR_SERVER_HEADER, type FrontDoor, startFrontDoor } from '../src/front-door.ts';
import { type CertificateAuthority, createRootCa } from '../src/pki.ts';
import { DEADLINE_MS, echo, http1Get, http2Get, openWebSocket, rawExchange, tlsOver } from './helpers.ts';

const HOSTS = ['m365.cloud.microsoft', 'res.public.onecdn.static.microsoft', 'substrate.office.com'];

/** A QUIC long-header Initial-like datagram with a reserved version, padded to `size`. */
function quicProbe(size: number, dcid: Buffer, scid: Buffer): Buffer {
  const head = Buffer.concat([
    Buffer.from([0xc0]),
    Buffer.from([0x1a, 0x1a, 0x1a, 0x1a]),
    Buffer.from([dcid.length]),
    dcid,
    Buffer.from([scid.length]),
    scid,
  ]);
  return Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length))]);
}

function udpAsk(port: number, datagram: Buffer, waitMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(undefined);
    }, waitMs);
    socket.once('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(msg);
    });
    socket.send(datagram, port, '127.0.0.1');
  });
}

describe('front door', () => {
  let root: CertificateAuthority;
  let door: FrontDoor;

  before(async () => {
    root = await createRootCa({ commonName: 'Front Door Test Root' });
    const issuing = await root.issueIntermediate('Front Door Test Issuing');
    door = await startFrontDoor({ certificate: await issuing.issueServer(HOSTS) });
  });
  after(() => door.close());

  it('negotiates h2 and answers as the origin for every lab host', async () => {
    for (const host of HOSTS) {
      const socket = await tlsOver({ port: door.port, servername: host, ca: [root.certPem] });
      assert.equal(socket.alpnProtocol, 'h2');
      const res = await http2Get(socket, `${host}:${door.port}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.server, FRONT_DOOR_SERVER_HEADER);
      assert.match(res.body.toString(), new RegExp(host.replaceAll('.', '\\.')));
    }
  });

  it('falls back to HTTP/1.1 for clients that only offer it', async () => {
    const socket = await tlsOver({
      port: door.port,
      servername: HOSTS[0]!,
      ca: [root.certPem],
      alpn: ['http/1.1'],
    });
    assert.equal(socket.alpnProtocol, 'http/1.1');
    const text = await http1Get(socket, HOSTS[0]!);
    assert.match(text, /^HTTP\/1\.1 200 /);
    assert.match(text, new RegExp(`\\r\\nserver: ${FRONT_DOOR_SERVER_HEADER}\\r\\n`, 'i'));
  });

  it('streams exactly the number of bytes asked for', async () => {
    const socket = await tlsOver({ port: door.port, servername: HOSTS[1]!, ca: [root.certPem] });
    const res = await http2Get(socket, HOSTS[1]!, '/download?bytes=300000');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-length'], '300000');
    assert.equal(res.body.length, 300_000);
    const bad = await http2Get(
      await tlsOver({ port: door.port, servername: HOSTS[1]!, ca: [root.certPem] }),
      HOSTS[1]!,
      '/download?bytes=-5',
    );
    assert.equal(bad.status, 400);
  });

  it('accepts an anonymous WebSocket upgrade and echoes messages', async () => {
    const ws = await openWebSocket(`wss://${HOSTS[2]}:${door.port}/m365Copilot/Chathub/x`, () =>
      tls.connect({
        host: '127.0.0.1',
        port: door.port,
        servername: HOSTS[2],
        ca: [root.certPem],
        ALPNProtocols: ['http/1.1'],
      }),
    );
    assert.equal(await echo(ws, 'ping 1'), 'ping 1');
    assert.equal(await echo(ws, 'ping 2'), 'ping 2');
    ws.close(1000);
  });

  it('answers a 1200-byte QUIC long header with Version Negotiation, IDs swapped', async () => {
    const dcid = randomBytes(8);
    const scid = randomBytes(5);
    const reply = await udpAsk(door.port, quicProbe(1200, dcid, scid), DEADLINE_MS);
    assert.ok(reply, 'no reply');
    assert.equal(reply[0]! & 0x80, 0x80, 'long header bit');
    assert.equal(reply.readUInt32BE(1), 0, 'version 0 marks Version Negotiation');
    assert.equal(reply[5], scid.length);
    assert.deepEqual(reply.subarray(6, 6 + scid.length), scid);
    const at = 6 + scid.length;
    assert.equal(reply[at], dcid.length);
    assert.deepEqual(reply.subarray(at + 1, at + 1 + dcid.length), dcid);
    const versions = [];
    for (let o = at + 1 + dcid.length; o < reply.length; o += 4) versions.push(reply.readUInt32BE(o));
    assert.deepEqual(versions, [0x00000001, 0x6b3343cf]);
  });

  it('stays silent for datagrams under 1200 bytes and for short headers', async () => {
    assert.equal(await udpAsk(door.port, quicProbe(1199, randomBytes(8), randomBytes(8)), 300), undefined);
    const short = Buffer.alloc(1200, 0x40);
    assert.equal(await udpAsk(door.port, short, 300), undefined);
  });

  it('survives garbage on the TLS port and keeps serving', async () => {
    const answer = await rawExchange(door.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.equal(answer.includes('200'), false);
    await rawExchange(door.port, randomBytes(4096));
    const socket = await tlsOver({ port: door.port, servername: HOSTS[0]!, ca: [root.certPem] });
    assert.equal((await http2Get(socket, HOSTS[0]!)).status, 200);
  });
});
