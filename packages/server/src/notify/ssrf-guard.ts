/**
 * @module notify/ssrf-guard
 * Keeps tenant-supplied notification targets (webhook URLs, SMTP hosts) off
 * the server's own network: a tenant admin must not be able to make the
 * server probe or post to loopback, link-local (cloud metadata at
 * 169.254.169.254), RFC 1918, CGNAT, unique-local or multicast addresses.
 *
 * The check runs twice: when a channel is saved (a clear message for the
 * admin) and again at connect time through the `lookup` hook the HTTP client
 * uses, so the address that is checked is the address that is connected to.
 * A name that resolved to a public address at save time and to 127.0.0.1
 * later (DNS rebinding) is refused at connect time.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { NetinsightsError } from '@netinsights/protocol';
import ipaddr from 'ipaddr.js';
import { envName, flagName } from '../config/server-config.ts';

/** The server setting that lifts the guard, named as an operator types it (flag and environment variable). */
const ALLOW_KEY = 'notifyAllowPrivateTargets';
export const ALLOW_PRIVATE_SETTING = `--${flagName(ALLOW_KEY)} (${envName(ALLOW_KEY)}=true)`;

/** Resolves a host name to all its addresses (injectable for tests of rebinding). */
export type Resolve = (host: string) => Promise<{ address: string; family: 4 | 6 }[]>;

/** Options of the guard. */
export interface GuardOptions {
  /** Operator switch: allow internal targets (e.g. an on-premises relay). Default false. */
  allowPrivateTargets?: boolean;
  /** Defaults to the system resolver (`dns.lookup` with `all: true`). */
  resolve?: Resolve;
}

const defaultResolve: Resolve = async (host) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

// Why each refused range is refused, in words for the admin.
const REASONS: Record<string, string> = {
  loopback: 'a loopback address (127.0.0.0/8, ::1)',
  private: 'a private address (RFC 1918: 10/8, 172.16/12, 192.168/16)',
  linkLocal: 'a link-local address (169.254.0.0/16, fe80::/10; cloud metadata services live here)',
  carrierGradeNat: 'a carrier-grade NAT address (100.64.0.0/10, RFC 6598)',
  uniqueLocal: 'a unique-local IPv6 address (fc00::/7, RFC 4193)',
  multicast: 'a multicast address',
  unspecified: 'the unspecified address',
  broadcast: 'the broadcast address',
  deprecatedSiteLocal: 'a site-local IPv6 address (fec0::/10)',
};

/**
 * Returns why `address` may not be a notification target, or undefined when
 * it is a public unicast address. IPv6 forms that embed an IPv4 address
 * (::ffff:a.b.c.d, 64:ff9b::/96) are judged by the IPv4 address. The
 * IPv4-compatible form ::a.b.c.d (::/96) is refused outright: RFC 4291
 * §2.5.5.1 deprecates it, no real target uses it, and some stacks still
 * deliver it to the IPv4 host, so ::127.0.0.1 could reach loopback.
 */
export function forbiddenAddressReason(address: string): string | undefined {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // ipaddr.js reads the dotted tail of "::a.b.c.d" as ::ffff:a.b.c.d; the WHATWG URL parser (what
    // Node connects to) keeps it as ::/96, so IPv6 text is normalised through it first.
    const text = address.includes(':') ? new URL(`http://[${address}]/`).hostname.slice(1, -1) : address;
    ip = ipaddr.parse(text);
  } catch {
    return 'not an IP address';
  }
  if (ip.kind() === 'ipv6') {
    const v6 = ip as ipaddr.IPv6;
    const range = v6.range();
    const b = v6.toByteArray();
    if (b.slice(0, 12).every((x) => x === 0) && range !== 'unspecified' && range !== 'loopback')
      return 'an IPv4-compatible IPv6 address (::/96, deprecated by RFC 4291)';
    if (range === 'ipv4Mapped' || range === 'rfc6145' || range === 'rfc6052')
      return forbiddenAddressReason(b.slice(12).join('.'));
    if (range === 'unicast') return undefined;
    return REASONS[range] ?? `a special-purpose IPv6 address (${range})`;
  }
  const range = ip.range();
  if (range === 'unicast') return undefined;
  return REASONS[range] ?? `a reserved or special-purpose address (${range})`;
}

function refuse(what: string, host: string, address: string, reason: string): never {
  const where = host === address ? address : `${host} (${address})`;
  throw new NetinsightsError(
    'NI_ERR_TARGET_FORBIDDEN',
    `${what} points at ${where}, ${reason}. Notifications may only go to public addresses; ` +
      `an operator can allow internal targets with ${ALLOW_PRIVATE_SETTING}.`,
  );
}

/**
 * Resolves `host` and checks every address. Returns the addresses (the
 * first is the one to connect to). Throws NI_ERR_TARGET_FORBIDDEN naming the
 * host, the address and the range.
 */
export async function checkHost(
  host: string,
  what: string,
  opts: GuardOptions = {},
): Promise<{ address: string; family: 4 | 6 }[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  const literal = isIP(bare);
  let addrs: { address: string; family: 4 | 6 }[];
  if (literal) addrs = [{ address: bare, family: literal === 6 ? 6 : 4 }];
  else {
    try {
      addrs = await (opts.resolve ?? defaultResolve)(bare);
    } catch (err) {
      throw new NetinsightsError(
        'NI_ERR_TARGET_FORBIDDEN',
        `${what}: cannot resolve ${bare}: ${(err as Error).message}`,
      );
    }
    if (addrs.length === 0)
      throw new NetinsightsError('NI_ERR_TARGET_FORBIDDEN', `${what}: ${bare} has no addresses`);
  }
  if (!opts.allowPrivateTargets) {
    // Every address is checked, not just the first: the client could fall back to any of them.
    for (const a of addrs) {
      const reason = forbiddenAddressReason(a.address);
      if (reason) refuse(what, bare, a.address, reason);
    }
  }
  return addrs;
}

/** Checks a webhook URL: http(s) only, no credentials in it, and a permitted host. */
export async function checkWebhookUrl(url: string, opts: GuardOptions = {}): Promise<URL> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new NetinsightsError('NI_ERR_SCHEMA', `webhook URL "${url}" is not a URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new NetinsightsError(
      'NI_ERR_SCHEMA',
      `webhook URL must start with https:// (or http://), got ${u.protocol}`,
    );
  if (u.username || u.password)
    throw new NetinsightsError('NI_ERR_SCHEMA', 'webhook URL must not carry a user name or password');
  await checkHost(u.hostname, `webhook URL ${u.origin}`, opts);
  return u;
}

/** What a channel sends to: a URL (webhook, Teams, Slack) or a host named in words (`SMTP host …`). */
export type GuardTarget = { url: string } | { host: string; what: string };

/** Checks a channel's target when it is saved, so the admin learns at once that it is not allowed. */
export async function checkTarget(target: GuardTarget, opts: GuardOptions = {}): Promise<void> {
  if ('url' in target) await checkWebhookUrl(target.url, opts);
  else await checkHost(target.host, target.what, opts);
}

/**
 * A `lookup` for http.request / tls.connect that resolves, checks and pins:
 * the socket connects only to an address that passed the check in this very
 * call. Errors carry NI_ERR_TARGET_FORBIDDEN.
 */
export function guardedLookup(what: string, opts: GuardOptions = {}): LookupFunction {
  return (hostname, options, callback) => {
    checkHost(hostname, what, opts).then(
      (addrs) => {
        const family = typeof options === 'object' && options.family ? options.family : 0;
        const usable = family ? addrs.filter((a) => a.family === family) : addrs;
        if (typeof options === 'object' && options.all) {
          callback(null, usable);
          return;
        }
        const first = usable[0] ?? addrs[0]!;
        callback(null, first.address, first.family);
      },
      (err: Error) => callback(err as NodeJS.ErrnoException, '', 0),
    );
  };
}
