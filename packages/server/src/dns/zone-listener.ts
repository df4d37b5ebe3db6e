/**
 * @module dns/zone-listener
 * The collector's DNS listener for the delegated zone (`--dns-zone`,
 * `--dns-listen`): UDP and TCP on the same address and port, each query
 * answered by dns/zone-answer.ts. Off unless a zone is configured.
 *
 * It must never stall the server: every query is answered synchronously
 * from its bytes (no database on the answer path: sightings are handed to
 * a buffered writer), TCP connections are capped in number, in the bytes a
 * connection may hold unanswered, in idle time (RFC 7766 §6.2.3 suggests
 * timing idle clients out after seconds) and in lifetime, and a length
 * prefix below a DNS header closes the connection.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import type { Sighting, ZoneAnswerer } from './zone-answer.ts';

export interface ZoneListenerOptions {
  answerer: ZoneAnswerer;
  host: string;
  /** 53 in production; 0 picks a free port (the TCP listener then takes the UDP one's). */
  port: number;
  onSighting(sighting: Sighting): void;
  /** At most this many TCP connections at once (later ones are closed on arrival). */
  maxTcpConnections?: number;
  /** A TCP connection with nothing to answer for this long is closed. */
  tcpIdleMs?: number;
  /** A TCP connection is closed this long after it opened, however busy (a client dribbling bytes never goes idle). */
  tcpMaxLifetimeMs?: number;
}

export interface ZoneListener {
  host: string;
  port: number;
  stats: { udpQueries: number; tcpQueries: number; unanswered: number; tcpRefused: number };
  close(): Promise<void>;
}

const DEFAULTS = { maxTcpConnections: 256, tcpIdleMs: 10_000, tcpMaxLifetimeMs: 120_000 };
/** RFC 1035 §4.1.1: a message shorter than its 12-octet header is not DNS. */
const HEADER_BYTES = 12;
/**
 * A query worth answering is far smaller than the 65,535 octets a length
 * prefix can announce; holding more unanswered bytes than this for one
 * connection is an attack, not a client (RFC 7766 §8 lets servers close).
 */
const MAX_TCP_PENDING_BYTES = 4096 + 2;

/** `::ffff:1.2.3.4` → `1.2.3.4`: a dual-stack socket's IPv4 peers are IPv4 resolvers. */
const plainAddress = (a: string) => (a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a);

export async function startZoneListener(options: ZoneListenerOptions): Promise<ZoneListener> {
  const maxTcp = options.maxTcpConnections ?? DEFAULTS.maxTcpConnections;
  const idleMs = options.tcpIdleMs ?? DEFAULTS.tcpIdleMs;
  const lifetimeMs = options.tcpMaxLifetimeMs ?? DEFAULTS.tcpMaxLifetimeMs;
  const stats = { udpQueries: 0, tcpQueries: 0, unanswered: 0, tcpRefused: 0 };
  const { answerer, onSighting } = options;
  const sockets = new Set<Socket>();

  const answer = (query: Buffer, from: string, transport: 'udp' | 'tcp') => {
    const { reply, sighting } = answerer.answer(query, plainAddress(from), transport);
    if (sighting) onSighting(sighting);
    if (!reply) stats.unanswered++;
    return reply;
  };

  const serveTcp = (socket: Socket): void => {
    if (sockets.size >= maxTcp) {
      stats.tcpRefused++;
      socket.destroy();
      return;
    }
    sockets.add(socket);
    // Resolvers reconnect when they need to (RFC 7766 §6.2.3 lets either side close).
    const lifetime = setTimeout(() => socket.destroy(), lifetimeMs);
    socket.on('close', () => {
      clearTimeout(lifetime);
      sockets.delete(socket);
    });
    socket.on('error', () => socket.destroy());
    socket.setTimeout(idleMs, () => socket.destroy());
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      // RFC 1035 §4.2.2 / RFC 7766 §8: each message is prefixed by its 2-octet length.
      while (pending.length >= 2) {
        const length = pending.readUInt16BE(0);
        if (length < HEADER_BYTES || length + 2 > MAX_TCP_PENDING_BYTES) {
          stats.unanswered++;
          socket.destroy();
          return;
        }
        if (pending.length < length + 2) break;
        const query = Buffer.from(pending.subarray(2, length + 2));
        pending = pending.subarray(length + 2);
        stats.tcpQueries++;
        const reply = answer(query, socket.remoteAddress ?? '', 'tcp');
        if (!reply) continue;
        const framed = Buffer.allocUnsafe(reply.length + 2);
        framed.writeUInt16BE(reply.length, 0);
        reply.copy(framed, 2);
        socket.write(framed);
      }
    });
  };

  // Port 0: UDP picks a free port and TCP takes the same one; another program may hold it on TCP, so try a few.
  let bound: { udp: UdpSocket; tcp: Server } | undefined;
  for (let attempt = 0; !bound; attempt++) {
    const udp = await bindUdp(options.host, options.port);
    const tcp = createServer(serveTcp);
    try {
      await listenTcp(tcp, udp.address().port, options.host);
      bound = { udp, tcp };
    } catch (err) {
      udp.close();
      if (options.port !== 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 9)
        throw err;
    }
  }
  const { udp, tcp } = bound;
  const port = udp.address().port;
  udp.on('message', (msg, rinfo) => {
    stats.udpQueries++;
    const reply = answer(msg, rinfo.address, 'udp');
    if (reply) udp.send(reply, rinfo.port, rinfo.address);
  });
  // A send to a vanished client (ICMP unreachable) must not end the listener.
  udp.on('error', () => {});

  return {
    host: options.host,
    port,
    stats,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all([
        new Promise<void>((resolve) => tcp.close(() => resolve())),
        new Promise<void>((resolve) => udp.close(() => resolve())),
      ]);
    },
  };
}

function bindUdp(host: string, port: number): Promise<UdpSocket> {
  const udp = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
  return new Promise((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, host, () => {
      udp.off('error', reject);
      resolve(udp);
    });
  });
}

function listenTcp(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
