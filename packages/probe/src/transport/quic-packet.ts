/**
 * @module quic-packet
 * Just enough QUIC to ask "does UDP/443 reach a QUIC server?" without a QUIC
 * stack: a long-header packet with a reserved version, which every QUIC
 * server must answer with Version Negotiation (RFC 9000 §6.1), and the
 * parser for that answer (RFC 9000 §17.2.1; invariants in RFC 8999 §5-6).
 */
import { randomBytes } from 'node:crypto';

/** RFC 9000 §15: versions of the form 0x?a?a?a?a are reserved to exercise version negotiation. */
export const RESERVED_VERSION = 0x1a1a1a1a;
/** RFC 9000 §14.1: a server drops client Initial datagrams smaller than 1200 bytes. */
export const MIN_DATAGRAM = 1200;
/** RFC 9000 §7.2: a client's first Destination Connection ID is at least 8 bytes. */
const CID_LENGTH = 8;

export interface ProbePacket {
  datagram: Buffer;
  dcid: Buffer;
  scid: Buffer;
}

export function buildProbePacket(): ProbePacket {
  const dcid = randomBytes(CID_LENGTH);
  const scid = randomBytes(CID_LENGTH);
  const datagram = Buffer.alloc(MIN_DATAGRAM);
  // Header form 1 (long), fixed bit 1, type Initial (00), low bits arbitrary.
  datagram[0] = 0xc0;
  datagram.writeUInt32BE(RESERVED_VERSION, 1);
  let o = 5;
  datagram[o++] = dcid.length;
  dcid.copy(datagram, o);
  o += dcid.length;
  datagram[o++] = scid.length;
  scid.copy(datagram, o);
  o += scid.length;
  // The rest stays as padding: random bytes look like an encrypted payload to middleboxes.
  randomBytes(MIN_DATAGRAM - o).copy(datagram, o);
  return { datagram, dcid, scid };
}

export type VersionNegotiation = { ok: true; versions: number[] } | { ok: false; reason: string };

/** Parses a reply; a valid Version Negotiation echoes our connection IDs swapped (RFC 9000 §17.2.1). */
export function parseVersionNegotiation(reply: Buffer, sent: ProbePacket): VersionNegotiation {
  if (reply.length < 7)
    return { ok: false, reason: `reply of ${reply.length} bytes is too short for a QUIC long header` };
  if (((reply[0] ?? 0) & 0x80) === 0)
    return { ok: false, reason: 'reply has a short header, not a long one' };
  const version = reply.readUInt32BE(1);
  if (version !== 0)
    return { ok: false, reason: `reply has version 0x${version.toString(16)}, not 0 (Version Negotiation)` };
  let o = 5;
  const dcidLen = reply[o++] ?? 0;
  const dcid = reply.subarray(o, o + dcidLen);
  o += dcidLen;
  const scidLen = reply[o++] ?? 0;
  const scid = reply.subarray(o, o + scidLen);
  o += scidLen;
  if (o > reply.length) return { ok: false, reason: 'reply is cut short inside its connection IDs' };
  if (!dcid.equals(sent.scid) || !scid.equals(sent.dcid))
    return { ok: false, reason: 'reply does not echo the probe connection IDs' };
  const rest = reply.length - o;
  if (rest === 0 || rest % 4 !== 0)
    return { ok: false, reason: 'reply version list is empty or not a multiple of 4 bytes' };
  const versions: number[] = [];
  for (; o < reply.length; o += 4) versions.push(reply.readUInt32BE(o));
  return { ok: true, versions };
}
