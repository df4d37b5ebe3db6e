/**
 * @module quic-version-negotiation.test
 * The QUIC responder's packet rules from RFC 8999 / RFC 9000, byte by byte.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MIN_CLIENT_DATAGRAM,
  parseLongHeader,
  SUPPORTED_VERSIONS,
  versionNegotiationReply,
} from '../src/quic-version-negotiation.ts';

function longHeader(version: number, dcid: number[], scid: number[], size = MIN_CLIENT_DATAGRAM): Buffer {
  const b = Buffer.alloc(size);
  b[0] = 0xc3;
  b.writeUInt32BE(version >>> 0, 1);
  b[5] = dcid.length;
  Buffer.from(dcid).copy(b, 6);
  b[6 + dcid.length] = scid.length;
  Buffer.from(scid).copy(b, 7 + dcid.length);
  return b;
}

describe('QUIC version negotiation', () => {
  it('parses the invariant long header', () => {
    const h = parseLongHeader(longHeader(0x1a1a1a1a, [1, 2, 3], [9, 8]));
    assert.ok(h);
    assert.equal(h.version, 0x1a1a1a1a);
    assert.deepEqual([...h.dcid], [1, 2, 3]);
    assert.deepEqual([...h.scid], [9, 8]);
  });

  it('rejects truncated headers whose lengths point past the end', () => {
    assert.equal(parseLongHeader(Buffer.from([0xc0, 0, 0, 0, 1, 20, 1, 2])), undefined);
    assert.equal(parseLongHeader(Buffer.from([0x40, 0, 0, 0, 1, 0, 0])), undefined);
  });

  it('answers an unknown version with version 0, swapped IDs and the supported list', () => {
    const reply = versionNegotiationReply(longHeader(0x0a0a0a0a, [1, 2, 3, 4], [5, 6]));
    assert.ok(reply);
    assert.equal(reply[0]! & 0x80, 0x80);
    assert.equal(reply.readUInt32BE(1), 0);
    assert.deepEqual([...reply.subarray(5, 8)], [2, 5, 6]);
    assert.deepEqual([...reply.subarray(8, 13)], [4, 1, 2, 3, 4]);
    assert.equal(reply.length, 13 + 4 * SUPPORTED_VERSIONS.length);
    assert.equal(reply.readUInt32BE(13), 1);
  });

  it('stays silent below 1200 bytes, for version 0 and for versions it supports', () => {
    assert.equal(versionNegotiationReply(longHeader(0x1a1a1a1a, [1], [2], 1199)), undefined);
    assert.equal(versionNegotiationReply(longHeader(0, [1], [2])), undefined);
    assert.equal(versionNegotiationReply(longHeader(1, [1], [2])), undefined);
    assert.ok(versionNegotiationReply(longHeader(0x1a1a1a1a, [1], [2], 1200)));
  });
});
