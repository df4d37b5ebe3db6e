/**
 * @module udp-blackhole
 * A firewall that lets TCP through and silently drops UDP, the most common
 * way QUIC ends up blocked: one port number where TCP is forwarded to the
 * front door and a bound UDP socket swallows every datagram (bound, so the
 * kernel sends no ICMP "port unreachable" that would give the game away).
 * It can also hold extra UDP ports that swallow everything: the Teams media
 * ports (3478–3481) a firewall drops while TCP 443 to the relay passes.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { bindUdp, closeUdp, LOOPBACK, listenTcpAndUdp } from '../util/listen.ts';
import { createTcpForwarder, type TcpForwarder } from './shaping.ts';

export interface UdpBlackholeOptions {
  /** Where TCP on the same port goes (the front door). */
  upstream: { host: string; port: number };
  host?: string;
  /** Extra UDP-only ports that drop everything (the Teams media ports). */
  mediaPorts?: number;
  log?: (line: string) => void;
}

export interface UdpBlackhole {
  host: string;
  /** TCP and UDP port (same number). */
  port: number;
  /** The extra UDP ports that drop everything, in order. */
  mediaPorts: number[];
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
  const media: UdpSocket[] = [];
  for (let i = 0; i < (options.mediaPorts ?? 0); i++) {
    const socket = createSocket('udp4');
    socket.on('message', () => {
      stats.dropped++;
    });
    await bindUdp(socket, 0, host);
    media.push(socket);
  }
  const mediaPorts = media.map((s) => s.address().port);
  options.log?.(
    `UDP blackhole firewall on ${host}:${port} (TCP forwarded, UDP dropped${mediaPorts.length ? `; also UDP ${mediaPorts.join(', ')}` : ''})`,
  );
  return {
    host,
    port,
    mediaPorts,
    stats,
    async close() {
      await Promise.all([forwarder.close(), closeUdp(udp), ...media.map(closeUdp)]);
    },
  };
}
