/**
 * @module front-door
 * The lab's simulated Microsoft 365 edge: one loopback port that serves every
 * host of the lab profile, as a real front door serves many names on one
 * anycast address. TCP carries TLS with ALPN h2 and http/1.1 (HTTPS pages,
 * a download endpoint, a WebSocket echo); UDP on the same port number answers
 * QUIC probes with Version Negotiation.
 */
import type { Socket as UdpSocket } from 'node:dgram';
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as tls from 'node:tls';
import { WebSocketServer } from 'ws';
import type { IssuedCertificate } from './pki.ts';
import { versionNegotiationReply } from './quic-version-negotiation.ts';
import { ConnectionTracker } from './util/connection-tracker.ts';
import { closeUdp, LOOPBACK, listenTcpAndUdp } from './util/listen.ts';

/** The `server` header the origin sends; the probe uses it to tell origin answers from proxy answers. */
export const FRONT_DOOR_SERVER_HEADER = 'netinsights-lab-frontdoor';

/** Largest download one request may ask for (1 GiB, the profile schema's own maximum). */
const MAX_DOWNLOAD_BYTES = 1_073_741_824;
const CHUNK = Buffer.alloc(64 * 1024, 0x5a);

export interface FrontDoorOptions {
  /** Certificate covering every lab host (chain without the root). */
  certificate: IssuedCertificate;
  host?: string;
  log?: (line: string) => void;
}

export interface FrontDoor {
  /** The TCP and UDP port (same number). */
  port: number;
  host: string;
  /** Counters for tests and `lab up`. */
  stats: { tlsConnections: number; requests: number; webSockets: number; quicReplies: number };
  close(): Promise<void>;
}

type AnyRequest = http.IncomingMessage | http2.Http2ServerRequest;
type AnyResponse = http.ServerResponse | http2.Http2ServerResponse;

export async function startFrontDoor(options: FrontDoorOptions): Promise<FrontDoor> {
  const log = options.log ?? (() => {});
  const tracker = new ConnectionTracker();
  const stats = { tlsConnections: 0, requests: 0, webSockets: 0, quicReplies: 0 };

  const handle = (req: AnyRequest, res: AnyResponse) => {
    stats.requests++;
    serveRequest(req, res);
  };
  const h1 = http.createServer(
    { keepAliveTimeout: 5_000, headersTimeout: 10_000, requestTimeout: 30_000 },
    handle,
  );
  const h2 = http2.createServer({}, handle);
  h2.on('sessionError', () => {});
  // 1 MiB: the echo round trip sends a few bytes; nothing legitimate is larger.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  wss.on('connection', (ws) => {
    stats.webSockets++;
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    ws.on('error', () => {});
  });
  h1.on('upgrade', (req, socket, head) => {
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  h1.on('clientError', (_err, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  // TLS is terminated here and each connection handed to the h2 or the HTTP/1.1 server by its
  // ALPN result, rather than using http2.createSecureServer({ allowHTTP1 }): WebSocket upgrades
  // need a plain http.Server's 'upgrade' event on the HTTP/1.1 side.
  const server = tls.createServer(
    {
      cert: options.certificate.chainPem,
      key: options.certificate.keyPem,
      ALPNProtocols: ['h2', 'http/1.1'],
      // A handshake that stalls (a client sending garbage slowly) is cut after 10 s.
      handshakeTimeout: 10_000,
    },
    (socket) => {
      stats.tlsConnections++;
      tracker.add(socket);
      if (socket.alpnProtocol === 'h2') h2.emit('connection', socket);
      else h1.emit('connection', socket);
    },
  );
  server.on('connection', (socket) => tracker.add(socket));
  server.on('tlsClientError', () => {});

  const onDatagram = (msg: Buffer, rinfo: { address: string; port: number }, udp: UdpSocket) => {
    const reply = versionNegotiationReply(msg);
    if (!reply) return;
    stats.quicReplies++;
    udp.send(reply, rinfo.port, rinfo.address);
  };
  const host = options.host ?? LOOPBACK;
  const { port, udp } = await listenTcpAndUdp(server, onDatagram, host);
  log(`front door on ${host}:${port} (TCP: TLS h2/http1.1 + WSS; UDP: QUIC version negotiation)`);

  return {
    port,
    host,
    stats,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      tracker.destroyAll();
      await Promise.all([
        new Promise<void>((resolve) => server.close(() => resolve())),
        new Promise<void>((resolve) => wss.close(() => resolve())),
        closeUdp(udp),
      ]);
      h1.close();
      h2.close();
    },
  };
}

function serveRequest(req: AnyRequest, anyRes: AnyResponse): void {
  // The HTTP/2 compatibility response has the same methods; one type keeps the calls simple.
  const res = anyRes as http.ServerResponse;
  const url = new URL(req.url ?? '/', 'https://lab.invalid');
  const common = { server: FRONT_DOOR_SERVER_HEADER, 'cache-control': 'no-store' };
  if (url.pathname === '/download') {
    const requested = Number(url.searchParams.get('bytes') ?? 16 * 1024 * 1024);
    if (!Number.isInteger(requested) || requested < 0 || requested > MAX_DOWNLOAD_BYTES) {
      res.writeHead(400, { ...common, 'content-type': 'text/plain' });
      res.end(`bytes must be an integer from 0 to ${MAX_DOWNLOAD_BYTES}\n`);
      return;
    }
    res.writeHead(200, {
      ...common,
      'content-type': 'application/octet-stream',
      'content-length': String(requested),
    });
    streamBytes(res, requested);
    return;
  }
  const host = req.headers[':authority'] ?? req.headers.host ?? null;
  const body = JSON.stringify({ service: 'netinsights lab front door', host, path: url.pathname });
  res.writeHead(200, { ...common, 'content-type': 'application/json' });
  res.end(`${body}\n`);
}

/** Writes `remaining` bytes honouring back-pressure, so a slow reader costs no memory. */
function streamBytes(res: http.ServerResponse, remaining: number): void {
  const writable = res;
  const pump = () => {
    while (remaining > 0) {
      const n = Math.min(remaining, CHUNK.length);
      remaining -= n;
      const more = writable.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n));
      if (remaining === 0) break;
      if (!more) {
        writable.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.on('close', () => {
    remaining = 0;
  });
  pump();
}
