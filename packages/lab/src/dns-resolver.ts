/**
 * @module dns-resolver
 * The lab's DNS server: a UDP resolver on loopback that answers A queries for
 * the lab's host names with the front door's address, and can be told to
 * fail one domain the way broken corporate resolvers do (NXDOMAIN from a
 * split-horizon zone that shadows it, SERVFAIL from a broken forwarder, or no
 * answer at all from a filtering one).
 */
import { createSocket } from 'node:dgram';
import * as dnsPacket from 'dns-packet';
import { bindUdp, closeUdp, LOOPBACK } from './util/listen.ts';

/** How the resolver fails the chosen domain. */
export type DnsFailureMode = 'nxdomain' | 'servfail' | 'refused' | 'silence';

export interface DnsFailure {
  /** Domain suffix to fail, e.g. `static.microsoft` (matches the name itself and every name under it). */
  suffix: string;
  mode: DnsFailureMode;
}

export interface DnsResolverOptions {
  /** Host name → IPv4 address answered for A queries. */
  records: Record<string, string>;
  fail?: DnsFailure;
  host?: string;
  /** UDP port (default 0: any free one); 53 for clients that cannot be told another, like squid. */
  port?: number;
  log?: (line: string) => void;
}

export interface LabDnsResolver {
  host: string;
  port: number;
  /** `host:port`, as `ProbeOptions.dnsServers` takes it. */
  address: string;
  /** Queries seen, for tests. */
  stats: { queries: number; failed: number; malformed: number };
  setFailure(fail: DnsFailure | undefined): void;
  close(): Promise<void>;
}

// RFC 1035 §4.1.1 RCODE values (RFC 6895 registry).
const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;
/** Short TTL: the lab restarts on new ports every time. */
const TTL_SECONDS = 30;

export async function startDnsResolver(options: DnsResolverOptions): Promise<LabDnsResolver> {
  const records = new Map(Object.entries(options.records).map(([k, v]) => [normalize(k), v]));
  let failure = options.fail;
  const stats = { queries: 0, failed: 0, malformed: 0 };
  const socket = createSocket('udp4');

  socket.on('message', (msg, rinfo) => {
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      // Not DNS: a real resolver drops it rather than answer noise.
      stats.malformed++;
      return;
    }
    const question = query.questions?.[0];
    if (query.type !== 'query' || !question) {
      stats.malformed++;
      return;
    }
    stats.queries++;
    const name = normalize(question.name);
    let rcode: number = RCODE.NOERROR;
    const answers: dnsPacket.Answer[] = [];
    const failSuffix = failure ? normalize(failure.suffix) : undefined;
    if (failure && failSuffix && (name === failSuffix || name.endsWith(`.${failSuffix}`))) {
      stats.failed++;
      if (failure.mode === 'silence') return;
      rcode =
        failure.mode === 'nxdomain'
          ? RCODE.NXDOMAIN
          : failure.mode === 'servfail'
            ? RCODE.SERVFAIL
            : RCODE.REFUSED;
    } else {
      const address = records.get(name);
      if (address === undefined) rcode = RCODE.NXDOMAIN;
      else if (question.type === 'A')
        answers.push({ type: 'A', name: question.name, ttl: TTL_SECONDS, data: address });
      // Other types for a known name: NOERROR with no answers (NODATA, RFC 2308 §2.2).
    }
    const reply = dnsPacket.encode({
      type: 'response',
      id: query.id ?? 0,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | rcode,
      questions: [question],
      answers,
    });
    socket.send(reply, rinfo.port, rinfo.address);
  });

  const host = options.host ?? LOOPBACK;
  const port = await bindUdp(socket, options.port ?? 0, host);
  socket.on('error', () => {});
  options.log?.(
    `DNS resolver on ${host}:${port}${failure ? ` (fails ${failure.suffix} with ${failure.mode})` : ''}`,
  );
  return {
    host,
    port,
    address: `${host}:${port}`,
    stats,
    setFailure(next) {
      failure = next;
    },
    close: () => closeUdp(socket),
  };
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}
