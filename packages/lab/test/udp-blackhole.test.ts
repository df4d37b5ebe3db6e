/**
 * @module udp-blackhole.test
 * The UDP-dropping firewall: QUIC probes on its port get no answer (not even
 * an ICMP error), while TCP on the same port number reaches the front door.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { startUdpBlackhole, type UdpBlackhole } from '../src/middleboxes/udp-blackhole.ts';
import { type Origin, startOrigin } from './fixtures.ts';
import { http2Get, tlsOver } from './helpers.ts';

describe('UDP blackhole firewall', () => {
  let origin: Origin;
  let firewall: UdpBlackhole;

  before(async () => {
    origin = await startOrigin();
    firewall = await startUdpBlackhole({ upstream: { host: '127.0.0.1', port: origin.door.port } });
  });
  after(async () => {
    await firewall.close();
    await origin.close();
  });

  it('drops a QUIC probe that the front door itself would answer', async () => {
    const probe = Buffer.alloc(1200);
    probe[0] = 0xc0;
    probe.writeUInt32BE(0x1a1a1a1a, 1);
    const ask = (port: number) =>
      new Promise<string>((resolve) => {
        const s = createSocket('udp4');
        s.connect(port, '127.0.0.1', () => s.send(probe));
        const done = (what: string) => {
          clearTimeout(timer);
          s.close();
          resolve(what);
        };
        const timer = setTimeout(() => done('silence'), 400);
        s.once('message', () => done('reply'));
        // A connected UDP socket surfaces ICMP port-unreachable as ECONNREFUSED.
        s.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? 'error'));
      });
    assert.equal(await ask(origin.door.port), 'reply');
    assert.equal(await ask(firewall.port), 'silence');
    assert.equal(firewall.stats.dropped, 1);
  });

  it('forwards TCP on the same port to the front door', async () => {
    const socket = await tlsOver({
      port: firewall.port,
      servername: 'm365.cloud.microsoft',
      ca: [origin.root.certPem],
    });
    assert.equal((await http2Get(socket, 'm365.cloud.microsoft')).status, 200);
  });
});
