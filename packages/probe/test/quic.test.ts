/**
 * QUIC reachability: the probe datagram's wire format, and the check against
 * a real UDP responder that answers Version Negotiation, answers garbage, or
 * stays silent while TCP to the same host works.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  buildProbePacket,
  MIN_DATAGRAM,
  parseVersionNegotiation,
  RESERVED_VERSION,
} from '../src/transport/quic-packet.ts';
import {
  code,
  HOSTS,
  loopbackPins,
  type Pki,
  probe,
  result,
  testPki,
  testProfile,
} from './helpers/fixture.ts';
import { startGenuineOrigin } from './helpers/origin-server.ts';
import { startQuicResponder } from './helpers/quic-responder.ts';

const A = HOSTS[0] as string;
let pki: Pki;
before(async () => {
  pki = await testPki();
});

describe('QUIC probe packet', () => {
  test('is one long-header datagram of at least 1200 bytes with the reserved version and 8-byte connection IDs', () => {
    const p = buildProbePacket();
    assert.ok(p.datagram.length >= MIN_DATAGRAM);
    assert.equal((p.datagram[0] ?? 0) & 0xc0, 0xc0);
    assert.equal(p.datagram.readUInt32BE(1), RESERVED_VERSION);
    assert.equal(p.datagram[5], 8);
    assert.deepEqual(p.datagram.subarray(6, 14), p.dcid);
    assert.deepEqual(p.datagram.subarray(15, 23), p.scid);
    assert.notDeepEqual(buildProbePacket().dcid, p.dcid);
  });

  test('a Version Negotiation that does not echo our connection IDs is rejected', () => {
    const p = buildProbePacket();
    const forged = Buffer.concat([
      Buffer.from([0x80, 0, 0, 0, 0, 8]),
      Buffer.alloc(8),
      Buffer.from([8]),
      Buffer.alloc(8),
      Buffer.from([0, 0, 0, 1]),
    ]);
    const vn = parseVersionNegotiation(forged, p);
    assert.equal(vn.ok, false);
  });
});

async function run(mode: 'vn' | 'garbage' | 'silent') {
  const origin = await startGenuineOrigin(pki);
  const udp = await startQuicResponder(mode);
  try {
    const report = await probe({
      profile: testProfile({ port: origin.port, quicPort: udp.port, genuineRoot: pki.genuineRoot }),
      resolve: loopbackPins(origin.port, udp.port),
      extraTrustedCas: [pki.genuineRoot.certPem],
    });
    return result(report, `quic:${A}:${udp.port}`);
  } finally {
    await udp.close();
    await origin.close();
  }
}

describe('QUIC check', () => {
  test('a Version Negotiation reply is ok and lists the versions', async () => {
    const quic = await run('vn');
    assert.equal(code(quic), 'ok');
    assert.equal(quic.quic?.replies, 1);
    assert.deepEqual(quic.quic?.versions, ['0x00000001', '0x6b3343cf']);
    assert.equal(quic.target.transport, 'udp');
  });

  test('silence on UDP while TCP works is quic/no-reply after every attempt, with tcpReachable', async () => {
    const quic = await run('silent');
    assert.equal(code(quic), 'quic/no-reply');
    assert.equal(quic.quic?.attempts, 2);
    assert.equal(quic.quic?.replies, 0);
    assert.equal(quic.quic?.tcpReachable, true);
  });

  test('an answer that is not QUIC is quic/bad-reply', async () => {
    const quic = await run('garbage');
    assert.equal(code(quic), 'quic/bad-reply');
  });
});
