/**
 * @module udp-blackhole
 * A firewall that lets TCP through and silently drops UDP, the most common
 * way QUIC ends up blocked: one port number where TCP is forwarded to the
 * front door and a bound UDP socket swallows every datagram (bound, so the
 * kernel sends no ICMP "port unreachable" that would give the game away).
 */
import type { Socket as UdpSocket } from 'node:dgram';
import { closeUdp, LOOPBACK, listenTcpAndUdp } from '../util/listen.ts';
import { createTcpForwarder, type TcpForwarder } from './shaping.ts';

export interface UdpBlackholeOptions {
  /** Where TCP on the same port goes (the front door). */
  upstream: { host: string; port: number };
  host?: string;
  log?: (line: string) => void;
}

export interface UdpBlackhole {
  host: string;
  /** TCP and UDP port (same number). */
  port: number;
  /** Datagrams swallowed. */
  stats: { dropped: number };
  close(): Promise<void>;
}

export async function startUdpBlackhole(options: UdpBlackholeOptions): Promise<UdpBlackhole> {
  const stats = { dropped: 0 };
  const forwarder: TcpForwarder = createTcpForwarder({ upstream: options.upstream });
  const host = options.host ?? LOOPBACK;
  const { port, udp } = await listenTcpAndUdp(
    forwarder.server,
    (_msg: Buffer, _rinfo: unknown, _socket: UdpSocket) => {
      stats.dropped++;
    },
    host,
  );
  options.log?.(`UDP blackhole firewall on ${host}:${port} (TCP forwarded, UDP dropped)`);
  return {
    host,
    port,
    stats,
    async close() {
      await Promise.all([forwarder.close(), closeUdp(udp)]);
    },
  };
}
