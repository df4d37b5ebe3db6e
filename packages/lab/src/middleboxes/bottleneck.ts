/**
 * @module bottleneck
 * An office uplink with a bloated buffer: one link per direction that every
 * connection through the box shares, a rate cap, and a deep FIFO in front of
 * it. A download fills the FIFO, and anything else sent the same way — the
 * answer to a latency probe's CONNECT, say — waits behind the queued bytes:
 * the added delay is queued bytes ÷ rate, the queueing delay called
 * bufferbloat. When the FIFO is full the senders are paused (a userspace
 * stand-in for a full router buffer; on loopback nothing would drop).
 * Unlike `shaping.ts`, whose delay is per connection and fixed, the delay
 * here comes only from traffic that is really queued at that moment.
 */
import { createServer, type Socket, connect as tcpConnect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ConnectionTracker } from '../util/connection-tracker.ts';
import { LOOPBACK, listenTcp } from '../util/listen.ts';

export interface BottleneckLink {
  /** The link's rate, bytes per second. */
  bytesPerSecond: number;
  /** The FIFO's depth: at most this many bytes wait, i.e. at most bufferBytes ÷ rate of queueing delay. */
  bufferBytes: number;
  /** Fixed one-way delay of the link itself, ms (the path's idle share of the round trip). */
  latencyMs?: number;
}

export interface BottleneckOptions {
  upstream: { host: string; port: number };
  /** Client → server (upload) and server → client (download). */
  up: BottleneckLink;
  down: BottleneckLink;
  host?: string;
  log?: (line: string) => void;
}

export interface BottleneckStats {
  /** The deepest the download FIFO has been, bytes. */
  maxQueuedDownBytes: number;
}

export interface Bottleneck {
  host: string;
  port: number;
  stats: BottleneckStats;
  close(): Promise<void>;
}

/** Large reads are split so that other connections' pieces interleave in the FIFO. */
const PIECE = 16 * 1024;

interface Queued {
  at: number;
  dst: Socket;
  /** null: the source ended; end the destination after what it sent before. */
  data: Buffer | null;
}

/** One direction's link, shared by every connection. */
class SharedLink {
  private readonly queue: Queued[] = [];
  private readonly paused = new Set<Socket>();
  private queuedBytes = 0;
  private linkFreeAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  maxQueuedBytes = 0;
  private readonly shape: BottleneckLink;

  constructor(shape: BottleneckLink) {
    this.shape = shape;
  }

  /** Carries `src` to `dst` through this link. */
  carry(src: Socket, dst: Socket): void {
    src.on('data', (chunk: Buffer) => {
      for (let off = 0; off < chunk.length; off += PIECE) this.push(dst, chunk.subarray(off, off + PIECE));
      if (this.queuedBytes >= this.shape.bufferBytes) {
        src.pause();
        this.paused.add(src);
      }
    });
    src.once('end', () => this.push(dst, null));
    src.once('close', () => this.paused.delete(src));
  }

  private push(dst: Socket, data: Buffer | null): void {
    const now = performance.now();
    const size = data?.length ?? 0;
    // FIFO: a piece leaves when every byte queued before it has, then crosses the link.
    const start = Math.max(now, this.linkFreeAt);
    this.linkFreeAt = start + (size / this.shape.bytesPerSecond) * 1000;
    this.queue.push({ at: this.linkFreeAt + (this.shape.latencyMs ?? 0), dst, data });
    this.queuedBytes += size;
    this.maxQueuedBytes = Math.max(this.maxQueuedBytes, this.queuedBytes);
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.timer || this.queue.length === 0) return;
    this.timer = setTimeout(() => this.flush(), Math.max(0, this.queue[0]!.at - performance.now()));
  }

  private flush(): void {
    this.timer = undefined;
    const now = performance.now();
    while (this.queue.length > 0 && this.queue[0]!.at <= now) {
      const item = this.queue.shift()!;
      if (item.data === null) {
        if (!item.dst.destroyed) item.dst.end();
        continue;
      }
      this.queuedBytes -= item.data.length;
      if (!item.dst.destroyed) item.dst.write(item.data);
    }
    // Resume senders once a quarter of the FIFO has drained, so it stays nearly full under load.
    if (this.queuedBytes < this.shape.bufferBytes * 0.75)
      for (const src of this.paused) {
        this.paused.delete(src);
        if (!src.destroyed) src.resume();
      }
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.queue.length = 0;
  }
}

/** Starts the bottleneck on loopback in front of `upstream` (in the lab, a CONNECT proxy). */
export async function startBottleneck(options: BottleneckOptions): Promise<Bottleneck> {
  const tracker = new ConnectionTracker();
  const up = new SharedLink(options.up);
  const down = new SharedLink(options.down);
  const server = createServer((client) => {
    tracker.add(client);
    const upstream = tracker.add(tcpConnect(options.upstream));
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    up.carry(client, upstream);
    down.carry(upstream, client);
    const teardown = () => {
      client.destroy();
      upstream.destroy();
    };
    client.once('close', teardown);
    client.on('error', teardown);
    // A server that ends cleanly still has its queued bytes to deliver (its end follows them).
    upstream.once('close', (hadError) => hadError && teardown());
    upstream.on('error', teardown);
  });
  const host = options.host ?? LOOPBACK;
  const port = await listenTcp(server, 0, host);
  const words = (l: BottleneckLink) =>
    `${((l.bytesPerSecond * 8) / 1e6).toFixed(0)} Mbit/s, ${Math.round(l.bufferBytes / 1024)} KiB buffer`;
  options.log?.(
    `bottleneck on ${host}:${port} → ${options.upstream.host}:${options.upstream.port} (up ${words(options.up)}, down ${words(options.down)})`,
  );
  const stats: BottleneckStats = {
    get maxQueuedDownBytes() {
      return down.maxQueuedBytes;
    },
  };
  return {
    host,
    port,
    stats,
    async close() {
      up.stop();
      down.stop();
      tracker.destroyAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
