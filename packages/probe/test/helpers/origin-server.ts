/**
 * @module test/helpers/origin-server
 * A small HTTPS origin for the probe's tests, on a free loopback port:
 * `/` answers 200, `/status/NNN` that status, `/blocked` a block page,
 * `/download` a stream of bytes (optionally trickled), `/garbage` breaks
 * HTTP, and WebSocket upgrades are handled per `ws` mode. `h2: true` serves
 * HTTP/2 as well (ALPN h2, http/1.1).
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSecureServer as createHttp2Server, type Http2SecureServer } from 'node:http2';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { ALL_NAMES, type Pki } from './fixture.ts';

export type WsMode = 'echo' | 'reset-after' | 'close-4000' | 'refuse-403' | 'never-answer';

export interface OriginOptions {
  certPem: string;
  keyPem: string;
  /** Leaf plus intermediates as served. */
  chainPem?: string;
  h2?: boolean;
  ws?: WsMode;
  /** For `reset-after`: ms after open before the socket is destroyed. */
  wsResetMs?: number;
  /** Bytes per second for /download; unlimited when absent. */
  trickleBytesPerSecond?: number;
  /** The size of the /download object (untrickled); 16 MiB when absent. */
  downloadBytes?: number;
  /** Extra response headers on every answer (e.g. a Via header). */
  headers?: Record<string, string>;
}

export interface Origin {
  port: number;
  close(): Promise<void>;
}

export async function startOrigin(opts: OriginOptions): Promise<Origin> {
  const sockets = new Set<Duplex>();
  const timers = new Set<NodeJS.Timeout>();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    for (const [k, v] of Object.entries(opts.headers ?? {})) res.setHeader(k, v);
    const url = req.url ?? '/';
    const status = /^\/status\/(\d{3})$/.exec(url);
    if (status) {
      res.writeHead(Number(status[1]), { 'content-type': 'text/plain' }).end('status');
    } else if (url === '/blocked') {
      res
        .writeHead(403, { 'content-type': 'text/html' })
        .end(
          "<html><body><h1>Access Denied</h1>This site is blocked by your organisation's web filter policy.</body></html>",
        );
    } else if (url.startsWith('/download')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(16 * 1024, 0x61);
      if (!opts.trickleBytesPerSecond) {
        // Up to 16 MiB (an intercepting proxy may buffer it all), or until the client goes away.
        let sent = 0;
        const size = opts.downloadBytes ?? 16 * 1048576;
        const pump = () => {
          while (sent < size) {
            const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
            sent += piece.length;
            if (!res.write(piece)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        res.on('close', () => res.removeAllListeners('drain'));
        pump();
      } else {
        const slice = Math.max(1, Math.floor(opts.trickleBytesPerSecond / 10));
        const timer = setInterval(() => res.write(chunk.subarray(0, slice)), 100);
        timers.add(timer);
        res.on('close', () => {
          clearInterval(timer);
          timers.delete(timer);
        });
      }
    } else if (url === '/garbage') {
      req.socket.write('this is not HTTP at all\r\n\r\n');
      req.socket.destroy();
    } else {
      res
        .writeHead(200, { 'content-type': 'text/plain', server: 'test-origin' })
        .end('hello from the origin');
    }
  };
  const tlsOptions = { cert: opts.chainPem ?? opts.certPem, key: opts.keyPem };
  const server: Server | Http2SecureServer = opts.h2
    ? createHttp2Server({ ...tlsOptions, allowHTTP1: true }, handler as never)
    : createHttpsServer(tlsOptions, handler);
  server.on('secureConnection', (s: Duplex) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const mode = opts.ws ?? 'echo';
    if (mode === 'never-answer') return;
    if (mode === 'refuse-403') {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data) => ws.send(data));
      ws.on('error', () => {});
      if (mode === 'reset-after') {
        const t = setTimeout(() => socket.destroy(), opts.wsResetMs ?? 200);
        timers.add(t);
      }
      if (mode === 'close-4000') {
        const t = setTimeout(() => ws.close(4000, 'go away'), opts.wsResetMs ?? 200);
        timers.add(t);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An origin for every test name, with a certificate from the genuine (expected) issuing CA. */
export async function startGenuineOrigin(
  pki: Pki,
  opts: Omit<OriginOptions, 'certPem' | 'keyPem' | 'chainPem'> = {},
): Promise<Origin> {
  const leaf = await pki.genuineIssuing.issueServer(ALL_NAMES);
  return startOrigin({ certPem: leaf.certPem, keyPem: leaf.keyPem, chainPem: leaf.chainPem, ...opts });
}
