/**
 * @module connect-proxy
 * A forward proxy that speaks HTTP CONNECT (RFC 9110 §9.3.6), the way a
 * corporate web proxy carries HTTPS. On its own it is the "healthy proxy"
 * middlebox; the blocking, intercepting and WebSocket-breaking proxies are
 * this same proxy with a `decide` policy. Errors it produces itself carry a
 * `Via` header (RFC 9110 §7.6.3), as real proxies' do, so a client can tell
 * a proxy's answer from the origin's.
 */
import * as http from 'node:http';
import { isIP, type Socket, connect as tcpConnect } from 'node:net';
import { ConnectionTracker } from '../util/connection-tracker.ts';
import { LOOPBACK, listenTcp } from '../util/listen.ts';

/** Where the client asked to go. */
export interface ConnectTarget {
  host: string;
  port: number;
}

/** What the proxy does with one CONNECT request. */
export type ConnectDecision =
  | {
      action: 'tunnel';
      /** Called once bytes flow both ways (e.g. to kill the tunnel later). */
      onTunnel?: (client: Socket, upstream: Socket) => void;
    }
  | { action: 'respond'; status: number; reason: string; headers?: Record<string, string>; body?: string }
  | {
      action: 'intercept';
      /** Takes over the client socket after `200 Connection Established`. */
      handle: (client: Socket, target: ConnectTarget) => void;
    };

export interface ConnectProxyOptions {
  /** Appears in `Via` and `Proxy-Agent`, e.g. `lab-proxy`. */
  name: string;
  /** Resolves a destination host name to an address (the lab's DNS in the lab). */
  lookup: (host: string) => Promise<string>;
  decide?: (target: ConnectTarget) => ConnectDecision | Promise<ConnectDecision>;
  /**
   * Demand proxy authentication (RFC 9110 §11.7): CONNECTs without matching
   * Basic credentials get 407 with one Proxy-Authenticate header per
   * challenge, as squid and commercial proxies send them.
   */
  auth?: ProxyAuth;
  /** How long to wait for the destination to accept (default 5 s). */
  connectTimeoutMs?: number;
  host?: string;
  log?: (line: string) => void;
}

/** What a proxy that demands authentication offers and accepts. */
export interface ProxyAuth {
  /** The challenges offered, e.g. `Negotiate`, `NTLM`, `Basic realm="corp"`. */
  challenges: string[];
  /** The one Basic user accepted; without it no credentials are accepted. */
  basic?: { user: string; password: string };
}

export interface ConnectProxyStats {
  connects: number;
  tunnels: number;
  /** CONNECTs answered with an error status by the proxy itself. */
  refused: number;
  intercepted: number;
  /** Requests that were not valid HTTP or not CONNECT. */
  badRequests: number;
}

export interface ConnectProxy {
  host: string;
  port: number;
  /** `http://host:port`, as `--proxy` takes it. */
  url: string;
  stats: ConnectProxyStats;
  /** Sockets currently open (client and upstream sides), for leak checks in tests. */
  openSockets(): number;
  close(): Promise<void>;
}

/** Tunnels idle for this long are closed: no loop or socket outlives its use. */
const TUNNEL_IDLE_MS = 120_000;
/** How long a tunnel stays open after one side has ended its half. */
const HALF_CLOSE_GRACE_MS = 1_000;

export async function startConnectProxy(options: ConnectProxyOptions): Promise<ConnectProxy> {
  const tracker = new ConnectionTracker();
  const stats: ConnectProxyStats = { connects: 0, tunnels: 0, refused: 0, intercepted: 0, badRequests: 0 };
  const via = `1.1 ${options.name}`;
  const log = options.log ?? (() => {});

  const server = http.createServer({ headersTimeout: 10_000, requestTimeout: 15_000 });
  server.on('connection', (socket) => tracker.add(socket));

  // Anything but CONNECT: this lab proxy only tunnels (absolute-form forwarding is not simulated).
  server.on('request', (_req, res) => {
    stats.badRequests++;
    res.writeHead(405, { via, 'proxy-agent': options.name, allow: 'CONNECT', 'content-type': 'text/plain' });
    res.end(`${options.name}: only CONNECT is supported\n`);
  });

  // Garbage instead of HTTP: answer 400 once and hang up, as real proxies do.
  server.on('clientError', (_err, socket) => {
    stats.badRequests++;
    if (socket.writable)
      socket.end(errorResponse(400, 'Bad Request', via, options.name, 'malformed request'));
    else socket.destroy();
  });

  server.on('connect', (req: http.IncomingMessage, client: Socket, head: Buffer) => {
    stats.connects++;
    const target = parseAuthority(req.url ?? '');
    if (!target) {
      stats.badRequests++;
      client.end(errorResponse(400, 'Bad Request', via, options.name, `bad CONNECT target "${req.url}"`));
      return;
    }
    if (options.auth && !authorized(options.auth, req.headers['proxy-authorization'])) {
      stats.refused++;
      log(`${options.name}: CONNECT ${target.host}:${target.port} → 407`);
      const body = `${options.name}: authentication required\n`;
      client.end(
        [
          'HTTP/1.1 407 Proxy Authentication Required',
          `Via: ${via}`,
          `Proxy-Agent: ${options.name}`,
          ...options.auth.challenges.map((c) => `Proxy-Authenticate: ${c}`),
          'Content-Type: text/plain',
          `Content-Length: ${Buffer.byteLength(body)}`,
          'Connection: close',
          '',
          body,
        ].join('\r\n'),
      );
      return;
    }
    void handleConnect(target, client, head).catch((err: unknown) => {
      log(`${options.name}: ${target.host}:${target.port}: ${String(err)}`);
      if (!client.destroyed) client.destroy();
    });
  });

  async function handleConnect(target: ConnectTarget, client: Socket, head: Buffer): Promise<void> {
    const decision: ConnectDecision = options.decide ? await options.decide(target) : { action: 'tunnel' };
    if (decision.action === 'respond') {
      stats.refused++;
      log(`${options.name}: CONNECT ${target.host}:${target.port} → ${decision.status}`);
      const body = decision.body ?? '';
      const head = [
        `HTTP/1.1 ${decision.status} ${decision.reason}`,
        `Via: ${via}`,
        `Proxy-Agent: ${options.name}`,
        'Connection: close',
        ...Object.entries(decision.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
        `Content-Length: ${Buffer.byteLength(body)}`,
      ];
      client.end(`${head.join('\r\n')}\r\n\r\n${body}`);
      return;
    }
    if (decision.action === 'intercept') {
      stats.intercepted++;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) client.unshift(head);
      decision.handle(client, target);
      return;
    }
    let address: string;
    try {
      address = isIP(target.host) ? target.host : await options.lookup(target.host);
    } catch {
      stats.refused++;
      client.end(errorResponse(502, 'Bad Gateway', via, options.name, `cannot resolve ${target.host}`));
      return;
    }
    const upstream = tracker.add(tcpConnect({ host: address, port: target.port }));
    const timer = setTimeout(() => {
      upstream.destroy();
      stats.refused++;
      client.end(errorResponse(504, 'Gateway Timeout', via, options.name, `${target.host} did not answer`));
    }, options.connectTimeoutMs ?? 5_000);
    let connected = false;
    upstream.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (!connected) {
        stats.refused++;
        client.end(
          errorResponse(502, 'Bad Gateway', via, options.name, `${target.host}: ${err.code ?? 'error'}`),
        );
      } else client.destroy();
    });
    upstream.once('connect', () => {
      connected = true;
      clearTimeout(timer);
      stats.tunnels++;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
      for (const s of [client, upstream]) {
        s.setTimeout(TUNNEL_IDLE_MS, () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
      // A side that ends its half is done: the pipe passes the end on, and if the other side does
      // not close in turn soon, both are closed. Half-closed tunnels otherwise sat in CLOSE-WAIT
      // until the idle timeout, one per device and round through an inspecting proxy.
      for (const s of [client, upstream])
        s.once('end', () => {
          setTimeout(() => {
            client.destroy();
            upstream.destroy();
          }, HALF_CLOSE_GRACE_MS).unref();
        });
      decision.onTunnel?.(client, upstream);
    });
  }

  const host = options.host ?? LOOPBACK;
  const port = await listenTcp(server, 0, host);
  log(`${options.name} (CONNECT proxy) on ${host}:${port}`);
  return {
    host,
    port,
    url: `http://${host}:${port}`,
    stats,
    openSockets: () => tracker.size,
    async close() {
      tracker.destroyAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Whether a Proxy-Authorization header carries the accepted Basic credentials (RFC 7617). */
function authorized(auth: ProxyAuth, header: string | undefined): boolean {
  if (!auth.basic || !header) return false;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m?.[1]) return false;
  return Buffer.from(m[1], 'base64').toString('utf8') === `${auth.basic.user}:${auth.basic.password}`;
}

/** Parses a CONNECT authority (`host:port`, `[v6]:port`); undefined when it is not one. */
export function parseAuthority(authority: string): ConnectTarget | undefined {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]{1,253})):(\d{1,5})$/.exec(authority);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: (m[1] ?? m[2])!, port };
}

/** A complete error response written by the proxy itself. */
export function errorResponse(
  status: number,
  reason: string,
  via: string,
  agent: string,
  detail: string,
): string {
  const body = `<html><body><h1>${status} ${reason}</h1><p>${escapeHtml(detail)}</p><hr><address>${escapeHtml(agent)}</address></body></html>\n`;
  return [
    `HTTP/1.1 ${status} ${reason}`,
    `Via: ${via}`,
    `Proxy-Agent: ${agent}`,
    'Content-Type: text/html; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
