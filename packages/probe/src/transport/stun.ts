/**
 * @module transport/stun
 * STUN Binding (RFC 8489, which obsoletes RFC 5389) as the Teams media check
 * uses it: a 20-byte request with no attributes, and a parser for the
 * success response that checks everything a stray or forged datagram could
 * get wrong — the two zero bits, the message type, the magic cookie, the
 * length, the transaction id — before it reads the mapped address.
 * XOR-MAPPED-ADDRESS (§14.2) is preferred; MAPPED-ADDRESS (§14.1) is read
 * only when the server sends no XOR form (RFC 3489-era servers).
 */
import { randomBytes } from 'node:crypto';

/** RFC 8489 §5: the fixed value in bytes 4–7 of every message. */
export const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const ATTR_MAPPED_ADDRESS = 0x0001;
const ATTR_XOR_MAPPED_ADDRESS = 0x0020;
const HEADER = 20;

/** A Binding request and its 96-bit transaction id. */
export interface StunRequest {
  datagram: Buffer;
  transactionId: Buffer;
}

export function bindingRequest(transactionId: Buffer = randomBytes(12)): StunRequest {
  if (transactionId.length !== 12) throw new RangeError('a STUN transaction id is 96 bits');
  const datagram = Buffer.alloc(HEADER);
  datagram.writeUInt16BE(BINDING_REQUEST, 0);
  datagram.writeUInt16BE(0, 2);
  datagram.writeUInt32BE(MAGIC_COOKIE, 4);
  transactionId.copy(datagram, 8);
  return { datagram, transactionId };
}

/** The address a STUN server saw the request come from. */
export interface MappedAddress {
  family: 'IPv4' | 'IPv6';
  address: string;
  port: number;
}

export type StunParse =
  | { ok: true; transactionId: Buffer; mapped?: MappedAddress; xor: boolean }
  | { ok: false; reason: string };

/** Parses a Binding success response; anything else is `{ ok: false }` with the reason, never a throw. */
export function parseBindingResponse(msg: Buffer): StunParse {
  if (msg.length < HEADER) return { ok: false, reason: `${msg.length} bytes is shorter than a STUN header` };
  const type = msg.readUInt16BE(0);
  if (type & 0xc000) return { ok: false, reason: 'the first two bits are not zero (not STUN)' };
  if (msg.readUInt32BE(4) !== MAGIC_COOKIE) return { ok: false, reason: 'no STUN magic cookie' };
  const length = msg.readUInt16BE(2);
  if (length % 4 !== 0 || HEADER + length !== msg.length)
    return { ok: false, reason: `the STUN length ${length} does not match the ${msg.length}-byte datagram` };
  if (type !== BINDING_SUCCESS)
    return {
      ok: false,
      reason: `STUN message type 0x${type.toString(16).padStart(4, '0')}, not a Binding success`,
    };
  const transactionId = Buffer.from(msg.subarray(8, 20));
  let xorMapped: MappedAddress | undefined;
  let mapped: MappedAddress | undefined;
  let at = HEADER;
  while (at + 4 <= msg.length) {
    const attr = msg.readUInt16BE(at);
    const len = msg.readUInt16BE(at + 2);
    const value = at + 4;
    if (value + len > msg.length)
      return { ok: false, reason: `attribute 0x${attr.toString(16)} runs past the end` };
    const body = msg.subarray(value, value + len);
    if (attr === ATTR_XOR_MAPPED_ADDRESS) xorMapped = readAddress(body, transactionId, true);
    else if (attr === ATTR_MAPPED_ADDRESS) mapped = readAddress(body, transactionId, false);
    // Attributes are padded to a multiple of 4 bytes (§14).
    at = value + len + ((4 - (len % 4)) % 4);
  }
  const address = xorMapped ?? mapped;
  return { ok: true, transactionId, xor: xorMapped !== undefined, ...(address ? { mapped: address } : {}) };
}

/**
 * A (XOR-)MAPPED-ADDRESS value: a zero byte, the family (1 IPv4, 2 IPv6),
 * the port and the address. The XOR form masks the port with the cookie's
 * top 16 bits, an IPv4 address with the cookie, an IPv6 address with the
 * cookie followed by the transaction id. A malformed value is ignored.
 */
function readAddress(body: Buffer, transactionId: Buffer, xor: boolean): MappedAddress | undefined {
  if (body.length < 4) return undefined;
  const family = body[1];
  const size = family === 1 ? 4 : family === 2 ? 16 : 0;
  if (size === 0 || body.length < 4 + size) return undefined;
  const mask = Buffer.alloc(16);
  if (xor) {
    mask.writeUInt32BE(MAGIC_COOKIE, 0);
    transactionId.copy(mask, 4);
  }
  const port = body.readUInt16BE(2) ^ (xor ? MAGIC_COOKIE >>> 16 : 0);
  const raw = Buffer.alloc(size);
  for (let i = 0; i < size; i++) raw[i] = (body[4 + i] ?? 0) ^ (mask[i] ?? 0);
  if (family === 1) return { family: 'IPv4', address: [...raw].join('.'), port };
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(raw.readUInt16BE(i).toString(16));
  return { family: 'IPv6', address: compressIpv6(groups), port };
}

/** RFC 5952 text form: the longest run of two or more zero groups becomes `::`. */
function compressIpv6(groups: string[]): string {
  let best = { at: -1, len: 0 };
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j;
  }
  if (best.len < 2) return groups.join(':');
  return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.len).join(':')}`;
}

/** `address:port`, with brackets around IPv6. */
export function formatMapped(m: MappedAddress): string {
  return m.family === 'IPv6' ? `[${m.address}]:${m.port}` : `${m.address}:${m.port}`;
}

/**
 * Builds a Binding success response for `request` carrying `mapped` as
 * XOR-MAPPED-ADDRESS (and, when `plain`, a MAPPED-ADDRESS only) — the lab's
 * responder and the tests answer with it.
 */
export function bindingResponse(transactionId: Buffer, mapped: MappedAddress, plain = false): Buffer {
  const size = mapped.family === 'IPv4' ? 4 : 16;
  const value = Buffer.alloc(4 + size);
  value[1] = mapped.family === 'IPv4' ? 1 : 2;
  const raw =
    mapped.family === 'IPv4' ? Buffer.from(mapped.address.split('.').map(Number)) : ipv6Bytes(mapped.address);
  const mask = Buffer.alloc(16);
  if (!plain) {
    mask.writeUInt32BE(MAGIC_COOKIE, 0);
    transactionId.copy(mask, 4);
  }
  value.writeUInt16BE(mapped.port ^ (plain ? 0 : MAGIC_COOKIE >>> 16), 2);
  for (let i = 0; i < size; i++) value[4 + i] = (raw[i] ?? 0) ^ (mask[i] ?? 0);
  const msg = Buffer.alloc(HEADER + 4 + value.length);
  msg.writeUInt16BE(BINDING_SUCCESS, 0);
  msg.writeUInt16BE(4 + value.length, 2);
  msg.writeUInt32BE(MAGIC_COOKIE, 4);
  transactionId.copy(msg, 8);
  msg.writeUInt16BE(plain ? ATTR_MAPPED_ADDRESS : ATTR_XOR_MAPPED_ADDRESS, HEADER);
  msg.writeUInt16BE(value.length, HEADER + 2);
  value.copy(msg, HEADER + 4);
  return msg;
}

/** Whether a datagram is a Binding request; its transaction id when it is. */
export function parseBindingRequest(msg: Buffer): Buffer | undefined {
  if (msg.length < HEADER || msg.readUInt16BE(0) !== BINDING_REQUEST) return undefined;
  if (msg.readUInt32BE(4) !== MAGIC_COOKIE || HEADER + msg.readUInt16BE(2) !== msg.length) return undefined;
  return Buffer.from(msg.subarray(8, 20));
}

function ipv6Bytes(text: string): Buffer {
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => {
    out.writeUInt16BE(Number.parseInt(g, 16) || 0, i * 2);
  });
  return out;
}
