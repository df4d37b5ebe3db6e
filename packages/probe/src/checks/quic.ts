/**
 * @module checks/quic
 * QUIC reachability on UDP: send the reserved-version probe (see
 * transport/quic-packet.ts) up to `attempts` times, wait `waitMs` for a
 * Version Negotiation each time (servers may rate-limit, so one silence is
 * not proof). At the same time a TCP connect to the same host tells whether
 * silence on UDP means "UDP is blocked" rather than "the host is down".
 * QUIC never goes through an HTTP proxy, so the UDP side is always direct —
 * and when the host's route is an explicit proxy, browsers and the
 * Microsoft 365 apps do not try QUIC at all (an HTTP proxy carries TCP
 * CONNECT tunnels only, RFC 9110 §9.3.6), nor resolve the name locally: the
 * check is then not applicable and says so, instead of resolving and
 * probing a path no client uses.
 */
import { createSocket } from 'node:dgram';
import type { CheckResult, QuicDetail, ServiceProfile } from '@netinsights/protocol';
import { fail, ok } from '@netinsights/protocol';
import { type ProbeContext, phaseSignal } from '../context.ts';
import { errorText, since } from '../step.ts';
import { dial } from '../transport/dial.ts';
import { redactProxy } from '../transport/proxy-selection.ts';
import { buildProbePacket, parseVersionNegotiation } from '../transport/quic-packet.ts';
import { begin, type Slot } from './check-result.ts';
import { type Check, type Endpoint, singleResult } from './contract.ts';
import { criticalHosts } from './https.ts';

const hex = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;

/** "Does TCP work to the QUIC host": on the port the profile uses for that host over HTTPS. */
function tcpEndpoint(profile: ServiceProfile): Endpoint {
  const host = profile.quic.host.toLowerCase();
  return { host, port: criticalHosts(profile).find((c) => c.host === host)?.port ?? 443 };
}

export const quicCheck: Check = {
  name: 'quic',
  endpoints: (profile) => [tcpEndpoint(profile)],
  plan(profile, planner) {
    const tcp = tcpEndpoint(profile);
    const slot = planner.slot('quic', tcp.host, profile.quic.port, {}, 'udp');
    const route = planner.route(tcp.host, tcp.port);
    if (route.type === 'proxy') {
      const why = `routed via proxy ${redactProxy(route.proxy)}: browsers and Microsoft 365 apps do not use QUIC through an HTTP proxy`;
      return [singleResult(slot, async () => begin(slot)(fail('probe', 'not-applicable', why)))];
    }
    return [singleResult(slot, (ctx, s) => runQuic(ctx, s, tcp.port))];
  },
};

export async function runQuic(ctx: ProbeContext, slot: Slot, tcpPort = 443): Promise<CheckResult> {
  const finish = begin(slot);
  const { host, port } = slot.target;
  const { attempts, waitMs } = ctx.profile.quic;
  const tcpProbe = dial(ctx, host, tcpPort).then((d) => {
    if (d.ok) d.socket.destroy();
    return d.ok;
  });
  const answer = await ctx.dns.resolve(host, port, phaseSignal(ctx));
  if (!answer.ok) {
    const tcpReachable = await tcpProbe;
    return finish(answer.outcome, {
      timings: answer.timings ?? {},
      quic: { attempts: 0, replies: 0, versions: [], tcpReachable },
    });
  }
  const address = answer.addresses.find((a) => !a.includes(':')) ?? answer.addresses[0] ?? host;
  const udp = await exchange(ctx, address, port, attempts, waitMs);
  const tcpReachable = await tcpProbe;
  const detail: QuicDetail = {
    attempts: udp.attempts,
    replies: udp.replies,
    versions: udp.versions.map(hex).slice(0, 32),
    ...(udp.rttMs !== undefined ? { rttMs: udp.rttMs } : {}),
    tcpReachable,
  };
  const timings = { dnsMs: answer.ms };
  if (udp.sendError)
    return finish(
      fail(
        'quic',
        'send-failed',
        `the QUIC probe to ${host} (${address}:${port}) could not be sent: ${udp.sendError}`,
      ),
      { timings, quic: detail },
    );
  if (udp.replies > 0) return finish(ok(), { timings, quic: detail });
  if (udp.badReply)
    return finish(
      fail(
        'quic',
        'bad-reply',
        `something answered on UDP ${port} at ${host} but not with QUIC version negotiation: ${udp.badReply}`,
      ),
      { timings, quic: detail },
    );
  if (ctx.runSignal.aborted)
    return finish(fail('probe', 'deadline', `the QUIC probe to ${host} was cut off by the run deadline`), {
      timings,
      quic: detail,
    });
  const tcpWords = tcpReachable
    ? `while TCP/${tcpPort} to the same host works — UDP/${port} is likely blocked`
    : `and TCP/${tcpPort} did not work either`;
  return finish(
    fail(
      'quic',
      'no-reply',
      `no answer to ${udp.attempts} QUIC probes to ${host} (${address}:${port}) ${tcpWords}`,
    ),
    { timings, quic: detail },
  );
}

interface Exchange {
  attempts: number;
  replies: number;
  versions: number[];
  rttMs?: number;
  badReply?: string;
  sendError?: string;
}

function exchange(
  ctx: ProbeContext,
  address: string,
  port: number,
  attempts: number,
  waitMs: number,
): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    const result: Exchange = { attempts: 0, replies: 0, versions: [] };
    let packet = buildProbePacket();
    let sentAt = 0;
    let timer: NodeJS.Timeout | undefined;
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      ctx.runSignal.removeEventListener('abort', close);
      socket.close();
      resolve(result);
    };
    const sendNext = () => {
      if (result.replies > 0 || result.attempts >= attempts || ctx.runSignal.aborted) {
        close();
        return;
      }
      packet = buildProbePacket();
      result.attempts++;
      sentAt = performance.now();
      ctx.traffic?.udpSent(packet.datagram.length);
      socket.send(packet.datagram, port, address, (err) => {
        if (err) {
          result.sendError = errorText(err);
          close();
        }
      });
      timer = setTimeout(sendNext, waitMs);
    };
    socket.on('message', (msg) => {
      ctx.traffic?.udpReceived(msg.length);
      const vn = parseVersionNegotiation(msg, packet);
      if (vn.ok) {
        result.replies++;
        result.versions = vn.versions;
        result.rttMs = since(sentAt);
        close();
      } else result.badReply = vn.reason;
    });
    // ICMP port unreachable surfaces as ECONNREFUSED on some platforms: that is silence for our purpose.
    socket.on('error', () => {});
    ctx.runSignal.addEventListener('abort', close, { once: true });
    sendNext();
  });
}
