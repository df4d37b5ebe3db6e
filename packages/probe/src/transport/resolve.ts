/**
 * @module resolve
 * Name resolution for the probe: `--resolve` pins first, IP literals as they
 * are, then — like Office, Teams and browsers — the operating system's
 * resolver (`getaddrinfo` through dns.lookup: the hosts file, NRPT and
 * suffix-search rules, nsswitch), whose answer the connections use. At the
 * same time the configured DNS servers are asked directly (node:dns
 * Resolver, i.e. c-ares), because only they say precisely why a name fails
 * (NXDOMAIN, SERVFAIL, REFUSED, timeout, which server) and whether they
 * disagree with the OS. With `--dns-server` only that server is asked, for
 * everything. One lookup per host per run: every check shares the answer.
 */
import { promises as dnsPromises, getServers, Resolver } from 'node:dns';
import { isIP } from 'node:net';
import { fail } from '@netinsights/protocol';
import { cutOff, errorCode, failed, type Step, since } from '../step.ts';
import { type Pins, pinFor } from './pins.ts';

export interface DnsAnswer {
  addresses: string[];
  ms: number;
  pinned: boolean;
  /** The answer came from the OS resolver (getaddrinfo), not from DNS servers asked directly. */
  os?: boolean;
  /**
   * What the DNS servers asked directly said, in words, when it differs from
   * the OS resolver's answer (e.g. the name is only in the hosts file);
   * undefined when they agree. Settles within the DNS budget.
   */
  disagreement?: Promise<string | undefined>;
}

/**
 * getaddrinfo's place: the addresses the operating system resolves `host`
 * to; rejects with an error whose `code` is getaddrinfo's as Node names it
 * (ENOTFOUND, ENODATA, EAI_AGAIN). The real one is dns.lookup; the lab
 * plays an OS with its own hosts file through this seam.
 */
export type OsLookup = (host: string) => Promise<string[]>;

/** The operating system's resolver through dns.lookup (hosts file, NRPT, search rules, nsswitch). */
export const systemLookup: OsLookup = (host) =>
  dnsPromises
    .lookup(host, { all: true, order: 'verbatim' })
    .then((list) => [...new Set(list.map((a) => a.address))]);

export interface DnsClientOptions {
  /** `--dns-server`: ask only these (`ip` or `ip:port`) for everything, never the OS resolver. */
  servers?: readonly string[];
  /** The OS resolver; dns.lookup when absent. Ignored with `servers`. */
  osLookup?: OsLookup;
  /**
   * The DNS servers the OS is configured with, asked directly to explain its
   * answers; the system's (getServers()) when absent. Ignored with `servers`.
   */
  systemServers?: readonly string[];
  pins: Pins;
  /** Budget for one name, all tries included. */
  timeoutMs: number;
  runSignal: AbortSignal;
}

/** Maps getaddrinfo's errors (as Node names them) to DNS failure classes. */
function classifyOs(code: string) {
  switch (code) {
    case 'ENOTFOUND':
      return 'nxdomain' as const;
    case 'ENODATA':
      return 'nodata' as const;
    case 'EAI_AGAIN':
    case 'ETIMEOUT':
      return 'timeout' as const;
    default:
      return 'error' as const;
  }
}

/** Maps c-ares error codes to the protocol's DNS failure classes. */
function classify(code: string | undefined) {
  switch (code) {
    case 'ENOTFOUND':
      return 'nxdomain' as const;
    case 'ENODATA':
      return 'nodata' as const;
    case 'ESERVFAIL':
      return 'servfail' as const;
    case 'EREFUSED':
      return 'refused' as const;
    case 'ETIMEOUT':
    case 'ECANCELLED':
      return 'timeout' as const;
    case 'ECONNREFUSED':
      return 'unreachable' as const;
    default:
      return 'error' as const;
  }
}

export class DnsClient {
  readonly servers: string[];
  readonly #options: DnsClientOptions;
  readonly #cache = new Map<string, Promise<Step<DnsAnswer>>>();

  constructor(options: DnsClientOptions) {
    this.#options = options;
    this.servers = options.servers?.length
      ? [...options.servers]
      : options.systemServers?.length
        ? [...options.systemServers]
        : getServers();
  }

  /** Resolves `host` for a connection to `port`; the answer is shared by all callers. */
  resolve(host: string, port: number, signal: AbortSignal): Promise<Step<DnsAnswer>> {
    const pinned = pinFor(this.#options.pins, host, port);
    if (pinned) return Promise.resolve({ ok: true, addresses: pinned, ms: 0, pinned: true });
    if (isIP(host.replace(/^\[(.*)\]$/, '$1')))
      return Promise.resolve({
        ok: true,
        addresses: [host.replace(/^\[(.*)\]$/, '$1')],
        ms: 0,
        pinned: false,
      });
    if (host.toLowerCase() === 'localhost')
      return Promise.resolve({ ok: true, addresses: ['127.0.0.1'], ms: 0, pinned: false });
    const key = host.toLowerCase();
    let answer = this.#cache.get(key);
    if (!answer) {
      answer = this.#lookup(key, signal);
      this.#cache.set(key, answer);
    }
    return answer;
  }

  /** Without `--dns-server`: the OS resolver decides, the servers explain. */
  #lookup(host: string, signal: AbortSignal): Promise<Step<DnsAnswer>> {
    if (this.#options.servers?.length) return this.#serverLookup(host, signal);
    const servers = this.#serverLookup(host, signal);
    return this.#osLookup(host, signal).then(async (os) => {
      if ('code' in os) {
        const direct = await servers;
        if (!direct.ok)
          return {
            ...direct,
            outcome: {
              ...direct.outcome,
              message: `${direct.outcome.message}; the OS resolver fails too (${os.code})`,
            },
          };
        // Only the servers asked directly resolve it: the applications, which ask the OS, cannot.
        return failed(
          fail(
            'dns',
            classifyOs(os.code),
            `the OS resolver cannot resolve ${host} (${os.code}), although DNS server ${this.#via()} answers ${direct.addresses.slice(0, 4).join(', ')}`,
          ),
          { timings: { dnsMs: os.ms } },
        );
      }
      const disagreement = servers.then((direct) => {
        const osSays = `the OS resolves ${host} to ${os.addresses.slice(0, 4).join(', ')}`;
        if (!direct.ok) return `${osSays}; ${direct.outcome.message}`;
        return os.addresses.some((a) => direct.addresses.includes(a))
          ? undefined
          : `${osSays}; ${this.#via()} answers ${direct.addresses.slice(0, 4).join(', ')}`;
      });
      return { ok: true, addresses: os.addresses, ms: os.ms, pinned: false, os: true, disagreement };
    });
  }

  #via(): string {
    return this.servers.join(', ') || '(none configured)';
  }

  /** getaddrinfo through libuv's pool; it cannot be cancelled, so the signal only ends the wait. */
  async #osLookup(
    host: string,
    signal: AbortSignal,
  ): Promise<{ addresses: string[]; ms: number } | { code: string; ms: number }> {
    const start = performance.now();
    const aborted = new Promise<{ code: string }>((resolve) => {
      if (signal.aborted) resolve({ code: 'ETIMEOUT' });
      signal.addEventListener('abort', () => resolve({ code: 'ETIMEOUT' }), { once: true });
    });
    const lookup = (this.#options.osLookup ?? systemLookup)(host)
      .then((addresses) => (addresses.length > 0 ? { addresses } : { code: 'ENODATA' }))
      .catch((err: unknown) => ({ code: errorCode(err) ?? 'EAI_FAIL' }));
    const result = await Promise.race([lookup, aborted]);
    return { ...result, ms: since(start) };
  }

  async #serverLookup(host: string, signal: AbortSignal): Promise<Step<DnsAnswer>> {
    const start = performance.now();
    // c-ares retries with a doubling timeout; two tries of a third of the
    // budget each fit inside it and still survive one lost datagram.
    const resolver = new Resolver({
      timeout: Math.max(100, Math.floor(this.#options.timeoutMs / 3)),
      tries: 2,
    });
    const chosen = this.#options.servers?.length ? this.#options.servers : this.#options.systemServers;
    if (chosen?.length) {
      try {
        resolver.setServers([...chosen]);
      } catch (err) {
        return failed(
          fail('dns', 'error', `cannot use DNS server ${chosen.join(', ')}: ${(err as Error).message}`),
        );
      }
    }
    const onAbort = () => resolver.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    // A signal that fired before the lookup began never fires again: cancel as soon as the queries are out.
    if (signal.aborted) queueMicrotask(onAbort);
    const query = (fn: 'resolve4' | 'resolve6') =>
      new Promise<{ addresses: string[] } | { code: string | undefined }>((resolve) => {
        resolver[fn](host, (err, addresses) => resolve(err ? { code: errorCode(err) } : { addresses }));
      });
    try {
      const [v4, v6] = await Promise.all([query('resolve4'), query('resolve6')]);
      const ms = since(start);
      const addresses = [
        ...('addresses' in v4 ? v4.addresses : []),
        ...('addresses' in v6 ? v6.addresses : []),
      ];
      if (addresses.length > 0) return { ok: true, addresses, ms, pinned: false };
      // The A query carries the meaning; AAAA only matters when A had no data.
      const code =
        'code' in v4 && !(v4.code === 'ENODATA' && 'code' in v6 && v6.code !== 'ENODATA')
          ? v4.code
          : 'code' in v6
            ? v6.code
            : 'ENODATA';
      const via = `resolver ${this.servers.join(', ') || '(none configured)'}`;
      if (signal.aborted)
        return failed(
          cutOff(
            this.#options.runSignal,
            fail(
              'dns',
              'timeout',
              `no DNS answer for ${host} within ${this.#options.timeoutMs} ms from ${via}`,
            ),
            `DNS lookup of ${host}`,
          ),
          { timings: { dnsMs: ms } },
        );
      const cls = classify(code);
      const words: Record<typeof cls, string> = {
        nxdomain: `${host} does not exist according to ${via} (NXDOMAIN)`,
        nodata: `${host} has no address records at ${via}`,
        servfail: `${via} failed to resolve ${host} (SERVFAIL)`,
        refused: `${via} refused to resolve ${host} (REFUSED)`,
        timeout: `no DNS answer for ${host} from ${via} (timeout)`,
        unreachable: `no DNS server could be reached to resolve ${host} (${via})`,
        error: `resolving ${host} failed at ${via} (${code ?? 'unknown error'})`,
      };
      return failed(fail('dns', cls, words[cls]), { timings: { dnsMs: ms } });
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}
