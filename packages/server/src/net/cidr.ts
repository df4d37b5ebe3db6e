/**
 * @module net/cidr
 * CIDR parsing, normalisation and overlap tests for office subnets and
 * egress ranges (IPv4 and IPv6, via ipaddr.js), and the egress prefix that
 * groups unmapped reports into a discovered location.
 */
import ipaddr from 'ipaddr.js';

export interface Cidr {
  /** Normalised text, e.g. `10.1.0.0/16`, `2001:db8::/48`. */
  text: string;
  family: 'ipv4' | 'ipv6';
  bytes: number[];
  bits: number;
}

/** Parses an IP address; IPv4-mapped IPv6 (`::ffff:1.2.3.4`) becomes IPv4. */
export function parseIp(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  try {
    return ipaddr.process(text.trim());
  } catch {
    return undefined;
  }
}

/**
 * Parses `a.b.c.d/n`, `x::/n`, or a bare address (a single host). Returns an
 * error message instead when the text is not a network: host bits set after
 * the prefix are refused, since `10.0.0.5/24` is usually a typo.
 */
export function parseCidr(input: string): Cidr | string {
  const text = input.trim();
  if (!text) return 'is empty';
  const fast = canonicalIpv4(text.includes('/') ? text : `${text}/32`);
  if (fast) return fast;
  if (!text.includes('/')) {
    const ip = parseIp(text);
    if (!ip) return `"${input}" is not an IP address or CIDR range`;
    const bits = ip.kind() === 'ipv4' ? 32 : 128;
    return make(ip.kind(), ip.toByteArray(), bits);
  }
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    parsed = ipaddr.parseCIDR(text);
  } catch {
    return `"${input}" is not a valid CIDR range (expected e.g. 10.1.0.0/16 or 2001:db8::/48)`;
  }
  let [addr, bits] = parsed;
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    addr = (addr as ipaddr.IPv6).toIPv4Address();
    bits -= 96;
    if (bits < 0) return `"${input}" is not a valid CIDR range`;
  }
  const bytes = addr.toByteArray();
  const net = mask(bytes, bits);
  if (net.some((b, i) => b !== bytes[i])) {
    const suggestion = make(addr.kind(), net, bits).text;
    return `"${input}" has host bits set after the /${bits} prefix; did you mean ${suggestion}?`;
  }
  return make(addr.kind(), bytes, bits);
}

function mask(bytes: number[], bits: number): number[] {
  return bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
}

function make(family: 'ipv4' | 'ipv6', bytes: number[], bits: number): Cidr {
  const addr = ipaddr.fromByteArray(bytes);
  const shown = family === 'ipv6' ? (addr as ipaddr.IPv6).toNormalizedString() : addr.toString();
  const compact = family === 'ipv6' ? ipaddr.IPv6.parse(shown).toString() : shown;
  return { text: `${compact}/${bits}`, family, bytes, bits };
}

const NORMAL_V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Parses a range already in the normalised form `parseCidr` gives (as the
 * store keeps office ranges). Canonical IPv4 skips the general parser, which
 * costs several microseconds a range (it tries IPv6 first); `parseCidr`
 * takes the same shortcut.
 */
export function parseNormalisedCidr(text: string): Cidr | string {
  return canonicalIpv4(text) ?? parseCidr(text);
}

/** `a.b.c.d/n` already in canonical form (no leading zeros, no host bits), else undefined. */
function canonicalIpv4(text: string): Cidr | undefined {
  const m = NORMAL_V4.exec(text);
  if (!m) return undefined;
  const bytes = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  const bits = Number(m[5]);
  if (`${bytes.join('.')}/${bits}` !== text || bits > 32 || bytes.some((b) => b > 255)) return undefined;
  if (mask(bytes, bits).some((b, i) => b !== bytes[i])) return undefined;
  return { text, family: 'ipv4', bytes, bits };
}

/** True when the two ranges share at least one address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const bits = Math.min(a.bits, b.bits);
  const ma = mask(a.bytes, bits);
  const mb = mask(b.bytes, bits);
  return ma.every((x, i) => x === mb[i]);
}

/** True when `ip` (already parsed) lies in `range`. */
export function contains(range: Cidr, ip: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  if (ip.kind() !== range.family) return false;
  const m = mask(ip.toByteArray(), range.bits);
  return m.every((x, i) => x === range.bytes[i]);
}

/** The discovered-location key: the /24 of an IPv4 egress, the /48 of an IPv6 one. */
export function egressPrefix(ip: ipaddr.IPv4 | ipaddr.IPv6): string {
  const bits = ip.kind() === 'ipv4' ? 24 : 48;
  return make(ip.kind(), mask(ip.toByteArray(), bits), bits).text;
}

/** Normalised address text (IPv4-mapped IPv6 shown as IPv4). */
export function normaliseIp(text: string): string {
  return parseIp(text)?.toString() ?? text;
}
