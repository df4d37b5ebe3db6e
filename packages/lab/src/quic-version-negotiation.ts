/**
 * @module quic-version-negotiation
 * Just enough QUIC to answer a reachability probe: read the
 * version-independent long header of a datagram (RFC 8999 §5.1) and build
 * the Version Negotiation packet a QUIC server sends back for a version it
 * does not speak (RFC 9000 §6 and §17.2.1). No QUIC stack is needed to tell
 * "UDP/443 reaches a QUIC server" from "UDP/443 is dropped".
 */
import { randomInt } from 'node:crypto';

/** RFC 9000 §14.1: a server drops client Initial datagrams shorter than 1200 bytes. */
export const MIN_CLIENT_DATAGRAM = 1200;

/** QUIC v1 (RFC 9000) and v2 (RFC 9369), the versions a modern edge lists. */
export const SUPPORTED_VERSIONS: readonly number[] = [0x00000001, 0x6b3343cf];

export interface LongHeader {
  version: number;
  dcid: Buffer;
  scid: Buffer;
}

/**
 * Parses the invariant long header; undefined for short-header packets and
 * for datagrams too short to hold what their length bytes announce.
 */
export function parseLongHeader(datagram: Buffer): LongHeader | undefined {
  // RFC 8999 §5.1: the top bit of the first byte marks a long header.
  if (datagram.length < 7 || (datagram[0]! & 0x80) === 0) return undefined;
  const version = datagram.readUInt32BE(1);
  const dcidLength = datagram[5]!;
  const scidOffset = 6 + dcidLength;
  if (datagram.length < scidOffset + 1) return undefined;
  const scidLength = datagram[scidOffset]!;
  if (datagram.length < scidOffset + 1 + scidLength) return undefined;
  return {
    version,
    dcid: datagram.subarray(6, scidOffset),
    scid: datagram.subarray(scidOffset + 1, scidOffset + 1 + scidLength),
  };
}

/**
 * The reply a server sends to one client datagram, or undefined when it
 * must stay silent: datagrams under 1200 bytes (RFC 9000 §14.1), short
 * headers, a Version Negotiation packet itself (RFC 9000 §6.1: never answer
 * one with another) and versions the server does speak (those would start a
 * handshake, which this responder does not do).
 */
export function versionNegotiationReply(
  datagram: Buffer,
  versions: readonly number[] = SUPPORTED_VERSIONS,
): Buffer | undefined {
  if (datagram.length < MIN_CLIENT_DATAGRAM) return undefined;
  const header = parseLongHeader(datagram);
  if (!header || header.version === 0 || versions.includes(header.version)) return undefined;
  return buildVersionNegotiation(header, versions);
}

/**
 * RFC 9000 §17.2.1: header form bit set, the other seven bits unused (random
 * here), version 0, the client's SCID as our DCID and its DCID as our SCID,
 * then the supported versions.
 */
export function buildVersionNegotiation(header: LongHeader, versions: readonly number[]): Buffer {
  const out = Buffer.alloc(1 + 4 + 1 + header.scid.length + 1 + header.dcid.length + 4 * versions.length);
  let at = 0;
  out[at++] = 0x80 | randomInt(0, 0x80);
  out.writeUInt32BE(0, at);
  at += 4;
  out[at++] = header.scid.length;
  header.scid.copy(out, at);
  at += header.scid.length;
  out[at++] = header.dcid.length;
  header.dcid.copy(out, at);
  at += header.dcid.length;
  for (const v of versions) {
    out.writeUInt32BE(v >>> 0, at);
    at += 4;
  }
  return out;
}
