/**
 * @module shaping
 * A TCP forwarder that can add one-way latency and cap bandwidth in each
 * direction: the slow or backhauled path (traffic hauled over a WAN to a
 * distant egress before it reaches the internet). With no delay and no cap it
 * is a plain forwarder, which the UDP-blackhole firewall reuses for its TCP
 * side.
 */
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ConnectionTracker } from '../util/connection-tracker.ts';
import { LOOPBACK, listenTcp } from '../util/listen.ts';

/** One direction's impairment. */
export interface LinkShape {
  /** Added one-way delay in ms. */
  latencyMs?: number;
  /** Bandwidth cap in bytes per second (unset = no cap). */
  bytesPerSecond?: number;
}

export interface TcpForwarderOptions {
  upstream: { host: string; port: number };
  /** Client → server direction. */
  up?: LinkShape;
  /** Server → client direction. */
  down?: LinkShape;
}

export interface TcpForwarder {
  /** Not yet listening; call `listen` or hand it to a helper that does. */
  server: Server;
  close(): Promise<void>;
}

export interface Shaper {
  host: string;
  port: number;
  close(): Promise<void>;
}

/** Pieces queued per direction before the sender is paused (bounds memory on a capped link). */
const HIGH_WATER = 256 * 1024;
const LOW_WATER = 64 * 1024;
/** Large reads are split so the cap paces smoothly instead of in bursts. */
const PIECE = 16 * 1024;

export function createTcpForwarder(options: TcpForwarderOptions): TcpForwarder {
  const tracker = new ConnectionTracker();
  const server = createServer((client) => {
    tracker.add(client);
    const upstream = tracker.add(tcpConnect(options.upstream));
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const a = shapedPipe(client, upstream, options.up ?? {});
    const b = shapedPipe(upstream, client, options.down ?? {});
    const teardown = () => {
      a.stop();
      b.stop();
      client.destroy();
      upstream.destroy();
    };
    // Once the client is gone nothing more can reach it. When the server side ends cleanly,
    // its queued bytes still have to arrive (the end is delivered after them); only an
    // error tears the client down at once.
    client.once('close', teardown);
    upstream.once('close', (hadError) => {
      if (hadError) teardown();
    });
  });
  return {
    server,
    async close() {
      tracker.destroyAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Starts a shaping forwarder on loopback. */
export async function startShaper(
  options: TcpForwarderOptions & { host?: string; port?: number; log?: (l: string) => void },
): Promise<Shaper> {
  const forwarder = createTcpForwarder(options);
  const host = options.host ?? LOOPBACK;
  const port = await listenTcp(forwarder.server, options.port ?? 0, host);
  options.log?.(
    `shaper on ${host}:${port} → ${options.upstream.host}:${options.upstream.port} (up ${describe(options.up)}, down ${describe(options.down)})`,
  );
  return { host, port, close: () => forwarder.close() };
}

function describe(shape: LinkShape | undefined): string {
  const parts = [`+${shape?.latencyMs ?? 0} ms`];
  if (shape?.bytesPerSecond) parts.push(`${((shape.bytesPerSecond * 8) / 1e6).toFixed(2)} Mbit/s`);
  return parts.join(', ');
}

/**
 * Copies `src` to `dst`, delivering each piece at
 * max(arrival, link free) + transmission time + latency, in order.
 */
function shapedPipe(src: Socket, dst: Socket, shape: LinkShape): { stop(): void } {
  const latency = shape.latencyMs ?? 0;
  const rate = shape.bytesPerSecond;
  if (latency === 0 && !rate) {
    src.pipe(dst);
    return { stop() {} };
  }
  const queue: { at: number; data: Buffer | null }[] = [];
  let queuedBytes = 0;
  let linkFreeAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const flush = () => {
    timer = undefined;
    const now = performance.now();
    while (queue.length > 0 && queue[0]!.at <= now) {
      const item = queue.shift()!;
      if (item.data === null) {
        dst.end();
        continue;
      }
      queuedBytes -= item.data.length;
      if (!dst.destroyed) dst.write(item.data);
    }
    if (src.isPaused() && queuedBytes < LOW_WATER) src.resume();
    schedule();
  };
  const schedule = () => {
    if (stopped || timer || queue.length === 0) return;
    timer = setTimeout(flush, Math.max(0, queue[0]!.at - performance.now()));
  };

  src.on('data', (chunk: Buffer) => {
    for (let off = 0; off < chunk.length; off += PIECE) {
      const piece = chunk.subarray(off, off + PIECE);
      const now = performance.now();
      const start = Math.max(now, linkFreeAt);
      linkFreeAt = start + (rate ? (piece.length / rate) * 1000 : 0);
      queue.push({ at: linkFreeAt + latency, data: piece });
      queuedBytes += piece.length;
    }
    if (queuedBytes > HIGH_WATER) src.pause();
    schedule();
  });
  src.once('end', () => {
    queue.push({ at: Math.max(performance.now(), linkFreeAt) + latency, data: null });
    schedule();
  });
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      queue.length = 0;
    },
  };
}
