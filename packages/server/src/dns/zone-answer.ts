/**
 * @module dns/zone-answer
 * The authoritative answer for the zone an admin delegates to the collector
 * (`--dns-zone`), from one query's bytes to the reply's bytes: no sockets
 * here, so UDP, TCP, the tests and the bench share it.
 *
 * A and AAAA questions for any name in the zone are answered with the
 * asking address itself (as the public "whoami" names do), so the probe
 * sees which resolver reached us. A question whose first label is a report
 * label (`ni` + 32 hex, protocol/resolver-label.ts) directly under the zone
 * is a sighting: who asked, over which transport, and the EDNS Client
 * Subnet (RFC 7871) if the resolver sent one. Names outside the zone are
 * REFUSED (we are no recursive resolver); undecodable queries get FORMERR
 * when they carry a whole header, else nothing.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { RESOLVER_LABEL } from '@netinsights/protocol/resolver-label.ts';
import * as dnsPacket from 'dns-packet';

/** What the listener learnt from one question about a report label. */
export interface Sighting {
  label: string;
  /** The address the question came from: the recursive resolver's. */
  resolver: string;
  /** EDNS Client Subnet as `address/prefix`, when the resolver sent one. */
  ecs: string | null;
  transport: 'udp' | 'tcp';
}

export interface ZoneAnswer {
  /** The reply's bytes; undefined: send nothing. */
  reply: Buffer | undefined;
  sighting: Sighting | undefined;
}

// RFC 1035 §4.1.1 RCODE values.
const RCODE = { NOERROR: 0, FORMERR: 1, NOTIMP: 4, REFUSED: 5 } as const;
/** RFC 1035 §4.1.1: the header is 12 octets. */
const HEADER_BYTES = 12;
/**
 * TTL 0 (RFC 1035 §3.2.1: "should not be cached"): every probe run asks a
 * new name anyway, and the apex records change with the configuration.
 */
const TTL = 0;
/** RFC 6891 §6.2.5: a UDP payload size of 1232 avoids fragmentation on every common path. */
const EDNS_UDP_SIZE = 1232;

const NO_ANSWER: ZoneAnswer = { reply: undefined, sighting: undefined };

/** A bare header echoing the query's id and opcode with `rcode`, for a query we cannot answer (RFC 1035 §4.1.1). */
function headerOnly(query: Buffer, rcode: number): Buffer {
  const reply = Buffer.alloc(HEADER_BYTES);
  query.copy(reply, 0, 0, 2);
  // QR = 1, the query's opcode and RD bit kept.
  reply[2] = 0x80 | (query[2]! & 0x79);
  reply[3] = rcode;
  return reply;
}

function clientSubnet(query: dnsPacket.Packet): string | null {
  for (const a of query.additionals ?? []) {
    if (a.type !== 'OPT') continue;
    for (const o of a.options ?? []) {
      if (o.code !== 8 || !('ip' in o) || typeof o.ip !== 'string') continue;
      return `${o.ip}/${o.sourcePrefixLength ?? 0}`;
    }
  }
  return null;
}

/** Lower case, without the trailing dot. */
const normalize = (name: string) => name.toLowerCase().replace(/\.$/, '');

export interface ZoneAnswerer {
  readonly zone: string;
  answer(query: Buffer, from: string, transport: 'udp' | 'tcp'): ZoneAnswer;
}

/** An answerer for `zone`; `nameServer` is the name its NS and SOA records give (default `ns.<zone>`). */
export function zoneAnswerer(zone: string, nameServer = `ns.${normalize(zone)}`): ZoneAnswerer {
  const apex = normalize(zone);
  const suffix = `.${apex}`;
  const soa: dnsPacket.Answer = {
    type: 'SOA',
    name: apex,
    ttl: TTL,
    data: {
      mname: nameServer,
      rname: `hostmaster.${apex}`,
      serial: 1,
      refresh: 3600,
      retry: 600,
      expire: 86_400,
      // RFC 2308 §5: the SOA minimum is the negative-caching TTL; 0 for the same reason as TTL.
      minimum: TTL,
    },
  };

  return {
    zone: apex,
    answer(query, from, transport) {
      if (query.length < HEADER_BYTES) return NO_ANSWER;
      // A reply (QR set) is never answered: that is how reflection loops start.
      if (query[2]! & 0x80) return NO_ANSWER;
      // Only standard queries (opcode 0); NOTIFY, UPDATE and the rest are not implemented here.
      if ((query[2]! >> 3) & 0x0f) return { reply: headerOnly(query, RCODE.NOTIMP), sighting: undefined };
      let packet: dnsPacket.DecodedPacket;
      try {
        packet = dnsPacket.decode(query);
      } catch {
        return { reply: headerOnly(query, RCODE.FORMERR), sighting: undefined };
      }
      const question = packet.questions?.[0];
      // RFC 9619: a query carries exactly one question.
      if (!question || packet.questions?.length !== 1)
        return { reply: headerOnly(query, RCODE.FORMERR), sighting: undefined };
      const name = normalize(question.name);
      const inZone = name === apex || name.endsWith(suffix);
      const edns = (packet.additionals ?? []).some((a) => a.type === 'OPT');
      const ecs = edns ? clientSubnet(packet) : null;
      const answers: dnsPacket.Answer[] = [];
      const authorities: dnsPacket.Answer[] = [];
      let sighting: Sighting | undefined;
      if (inZone) {
        const first = name === apex ? '' : name.slice(0, name.length - suffix.length);
        if (RESOLVER_LABEL.test(first)) sighting = { label: first, resolver: from, ecs, transport };
        if (question.type === 'A' && isIPv4(from))
          answers.push({ type: 'A', name: question.name, ttl: TTL, data: from });
        else if (question.type === 'AAAA' && isIPv6(from))
          answers.push({ type: 'AAAA', name: question.name, ttl: TTL, data: from });
        else if (question.type === 'SOA' && name === apex) answers.push({ ...soa, name: question.name });
        else if (question.type === 'NS' && name === apex)
          answers.push({ type: 'NS', name: question.name, ttl: TTL, data: nameServer });
        // Every other question in the zone is NODATA: NOERROR with the SOA (RFC 2308 §2.2).
        if (answers.length === 0) authorities.push(soa);
      }
      const reply = dnsPacket.encode({
        type: 'response',
        id: packet.id ?? 0,
        // AA only for our zone (RFC 1035 §4.1.1); RD copied from the query.
        flags:
          (inZone ? dnsPacket.AUTHORITATIVE_ANSWER : 0) |
          ((packet.flags ?? 0) & dnsPacket.RECURSION_DESIRED) |
          (inZone ? RCODE.NOERROR : RCODE.REFUSED),
        questions: [question],
        answers,
        authorities,
        // RFC 6891 §7: answer EDNS with EDNS; RFC 7871 §7.2.1: echo ECS with scope 0 (not tailored).
        additionals: edns
          ? [
              {
                type: 'OPT',
                name: '.',
                udpPayloadSize: EDNS_UDP_SIZE,
                flags: 0,
                options: ecs
                  ? [
                      {
                        code: 8,
                        ip: ecs.split('/')[0],
                        sourcePrefixLength: Number(ecs.split('/')[1]),
                        scopePrefixLength: 0,
                      },
                    ]
                  : [],
              } as dnsPacket.Answer,
            ]
          : [],
      });
      return { reply, sighting };
    },
  };
}
