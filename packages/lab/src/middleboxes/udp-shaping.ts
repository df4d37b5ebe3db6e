/**
 * @module udp-shaping
 * A UDP relay that impairs datagrams the way a congested or backhauled link
 * does to call media: a fixed one-way delay each way, plus, on the way to
 * the server, random extra delay up to `jitterMs` (so datagrams can arrive
 * out of order) and random loss. The randomness comes from a seeded
 * generator, so a scenario impairs the same way on every run, and all of it
 * is bounded: delays never exceed `latencyMs + jitterMs`, at most
 * `MAX_IN_FLIGHT` datagrams wait at once (more are dropped and counted), and
 * at most `MAX_CLIENTS` client addresses get an upstream socket.
 * The TCP shaper (shaping.ts) covers the TCP side of a slow path.
 */
import { createSocket, type Socket } from 'node:dgram';
import { bindUdp, closeUdp, LOOPBACK } from '../util/listen.ts';

export interface UdpImpairment {
  /** One-way delay added in each direction, ms. */
  latencyMs: number;
  /** Extra random delay (uniform 0…jitterMs) on the way to the server, ms. */
  jitterMs: number;
  /** Share of datagrams to the server dropped, percent. */
  lossPercent: number;
  /** Seed of the generator that decides loss and jitter. */
  seed: number;
}

export interface UdpShaperOptions {
  /** The server's host and its UDP ports; the shaper listens on one port for each, in order. */
  upstream: { host: string; ports: readonly number[] };
  shape: UdpImpairment;
  host?: string;
  log?: (line: string) => void;
}

export interface UdpShaper {
  host: string;
  /** The shaper's ports, one for each upstream port, in the same order. */
  ports: number[];
  stats: { forwarded: number; dropped: number; returned: number };
  close(): Promise<void>;
}

const MAX_IN_FLIGHT = 10_000;
const MAX_CLIENTS = 64;

/** mulberry32: a small, fast, seedable generator; uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startUdpShaper(options: UdpShaperOptions): Promise<UdpShaper> {
  const host = options.host ?? LOOPBACK;
  const { latencyMs, jitterMs, lossPercent, seed } = options.shape;
  const random = seededRandom(seed);
  const stats = { forwarded: 0, dropped: 0, returned: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const sockets: Socket[] = [];
  let closed = false;
  const later = (ms: number, fn: () => void) => {
    if (closed || timers.size >= MAX_IN_FLIGHT) {
      stats.dropped++;
      return;
    }
    const t = setTimeout(() => {
      timers.delete(t);
      if (!closed) fn();
    }, ms);
    timers.add(t);
  };
  const relayFor = async (upstreamPort: number) => {
    const front = createSocket('udp4');
    /** Client `address:port` → the socket that talks to the server for it. */
    const clients = new Map<string, Socket>();
    const upstreamFor = (address: string, port: number): Socket => {
      const key = `${address}:${port}`;
      const known = clients.get(key);
      if (known) return known;
      if (clients.size >= MAX_CLIENTS) {
        const [oldestKey, oldest] = clients.entries().next().value as [string, Socket];
        clients.delete(oldestKey);
        void closeUdp(oldest);
      }
      const up = createSocket('udp4');
      up.on('error', () => {});
      up.on('message', (reply) => {
        later(latencyMs, () => {
          stats.returned++;
          front.send(reply, port, address, () => {});
        });
      });
      clients.set(key, up);
      sockets.push(up);
      return up;
    };
    front.on('message', (msg, rinfo) => {
      if (random() * 100 < lossPercent) {
        stats.dropped++;
        return;
      }
      const up = upstreamFor(rinfo.address, rinfo.port);
      later(latencyMs + random() * jitterMs, () => {
        stats.forwarded++;
        up.send(msg, upstreamPort, options.upstream.host, () => {});
      });
    });
    await bindUdp(front, 0, host);
    front.on('error', () => {});
    sockets.push(front);
    return front.address().port;
  };
  const ports: number[] = [];
  try {
    for (const p of options.upstream.ports) ports.push(await relayFor(p));
  } catch (err) {
    await Promise.all(sockets.map(closeUdp));
    throw err;
  }
  options.log?.(
    `UDP shaper on ${host} ${ports.join(', ')} → ${options.upstream.host} ${options.upstream.ports.join(', ')} (${latencyMs} ms each way, jitter ≤ ${jitterMs} ms, loss ${lossPercent} %)`,
  );
  return {
    host,
    ports,
    stats,
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.all(sockets.map(closeUdp));
    },
  };
}
