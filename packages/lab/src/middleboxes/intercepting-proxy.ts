/**
 * @module intercepting-proxy
 * A TLS-inspecting proxy, as secure web gateways (Zscaler, FortiGate, …) are
 * deployed: it accepts CONNECT, answers 200 itself, then terminates the
 * client's TLS with a certificate for the requested host minted on the fly
 * by its own CA, and forwards each decrypted request to the real origin over
 * a second TLS connection it verifies itself. It offers the client only the
 * ALPN protocols it is configured with; offering just `http/1.1` is how many
 * such boxes downgrade HTTP/2 clients.
 */
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as https from 'node:https';
import { isIP, type Socket } from 'node:net';
import * as tls from 'node:tls';
import type { CertificateAuthority, IssuedCertificate } from '../pki.ts';
import {
  type ConnectDecision,
  type ConnectProxy,
  type ConnectProxyOptions,
  type ConnectTarget,
  errorResponse,
  startConnectProxy,
} from './connect-proxy.ts';

/** Longest a client may take to finish the TLS handshake with the inspecting proxy. */
const HANDSHAKE_MS = 2_000;
export interface InterceptingProxyOptions extends Omit<ConnectProxyOptions, 'decide'> {
  /** The CA that signs the certificates shown to clients (the vendor's CA pushed to endpoints). */
  ca: CertificateAuthority;
  /** CA certificates (PEM) the proxy trusts when it connects to origins. */
  originTrust: string[];
  /** ALPN offered to clients (default `['http/1.1']`: the HTTP/2 downgrade). */
  alpn?: string[];
  /** Which destinations to inspect; others are tunnelled untouched (default: all). */
  inspect?: (target: ConnectTarget) => boolean;
  /** What to do with WebSocket upgrades on inspected connections (default `forward`). */
  upgrades?: 'forward' | 'refuse';
}

export interface InterceptingProxy extends ConnectProxy {
  /** Decrypted requests seen (HTTP requests plus upgrade attempts). */
  inspected: { requests: number; upgrades: number; refusedUpgrades: number };
}

// RFC 9110 §7.6.1 hop-by-hop fields, plus the ones RFC 9113 §8.2.2 forbids in HTTP/2.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'proxy-authorization',
  'proxy-authenticate',
  'http2-settings',
  'host',
]);

export async function startInterceptingProxy(options: InterceptingProxyOptions): Promise<InterceptingProxy> {
  const alpn = options.alpn ?? ['http/1.1'];
  const via = `1.1 ${options.name}`;
  const inspected = { requests: 0, upgrades: 0, refusedUpgrades: 0 };
  const leaves = new Map<string, Promise<IssuedCertificate>>();
  const live = new Set<Socket | tls.TLSSocket>();

  const leafFor = (host: string): Promise<IssuedCertificate> => {
    let leaf = leaves.get(host);
    if (!leaf) {
      leaf = options.ca.issueServer([host]);
      leaves.set(host, leaf);
    }
    return leaf;
  };

  const originAddress = async (host: string) => (isIP(host) ? host : options.lookup(host));

  const forwardRequest = (
    target: ConnectTarget,
    req: http.IncomingMessage | http2.Http2ServerRequest,
    anyRes: http.ServerResponse | http2.Http2ServerResponse,
  ) => {
    // The HTTP/2 compatibility response has the same methods; one type keeps the calls simple.
    const res = anyRes as http.ServerResponse;
    inspected.requests++;
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined && !k.startsWith(':') && !HOP_BY_HOP.has(k)) headers[k] = v;
    }
    headers.host = target.port === 443 ? target.host : `${target.host}:${target.port}`;
    const fail = (detail: string) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(502, { via, 'content-type': 'text/plain' });
      res.end(`${options.name}: ${detail}\n`);
    };
    originAddress(target.host).then(
      (address) => {
        const upstream = https.request(
          {
            host: address,
            port: target.port,
            servername: isIP(target.host) ? undefined : target.host,
            ca: options.originTrust,
            method: req.method,
            path: req.url,
            headers,
            agent: false,
            timeout: 10_000,
          },
          (upRes) => {
            const out: Record<string, string | string[]> = {};
            for (const [k, v] of Object.entries(upRes.headers)) {
              if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
            }
            res.writeHead(upRes.statusCode ?? 502, out);
            upRes.pipe(res);
            res.on('close', () => upRes.destroy());
          },
        );
        upstream.on('socket', (socket) => {
          live.add(socket);
          socket.once('close', () => live.delete(socket));
        });
        upstream.on('timeout', () => upstream.destroy(new Error('origin timed out')));
        upstream.on('error', (err) => fail(`origin ${target.host}: ${err.message}`));
        (req as NodeJS.ReadableStream).pipe(upstream);
      },
      () => fail(`cannot resolve ${target.host}`),
    );
  };

  const forwardUpgrade = (target: ConnectTarget, req: http.IncomingMessage, client: Socket, head: Buffer) => {
    inspected.upgrades++;
    if (options.upgrades === 'refuse') {
      inspected.refusedUpgrades++;
      client.end(
        errorResponse(403, 'Forbidden', via, options.name, 'WebSocket connections are not allowed by policy'),
      );
      return;
    }
    originAddress(target.host).then(
      (address) => {
        const upstream = tls.connect({
          host: address,
          port: target.port,
          servername: isIP(target.host) ? undefined : target.host,
          ca: options.originTrust,
          ALPNProtocols: ['http/1.1'],
        });
        live.add(upstream);
        upstream.once('close', () => live.delete(upstream));
        upstream.once('secureConnect', () => {
          const lines = [`${req.method} ${req.url} HTTP/1.1`];
          for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
            lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
          upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
          if (head.length > 0) upstream.write(head);
          upstream.pipe(client);
          client.pipe(upstream);
        });
        upstream.on('error', () => {
          if (client.writable && upstream.bytesRead === 0) {
            client.end(errorResponse(502, 'Bad Gateway', via, options.name, `origin ${target.host} failed`));
          } else client.destroy();
        });
        client.on('error', () => upstream.destroy());
        client.once('close', () => upstream.destroy());
        upstream.once('close', () => client.destroy());
      },
      () => client.end(errorResponse(502, 'Bad Gateway', via, options.name, `cannot resolve ${target.host}`)),
    );
  };

  const terminate = (client: Socket, target: ConnectTarget) => {
    live.add(client);
    client.once('close', () => live.delete(client));
    leafFor(target.host).then(
      (leaf) => {
        // A throwaway tls.Server per inspected connection: it terminates TLS exactly as a
        // listening server would (HTTP/2 needs that), and keeps the CONNECT target at hand.
        const terminator = tls.createServer({
          cert: leaf.chainPem,
          key: leaf.keyPem,
          ALPNProtocols: alpn,
        });
        terminator.on('tlsClientError', () => client.destroy());
        // The server's own handshakeTimeout does not run for a socket handed in with emit('connection'),
        // so a client that hung up mid-handshake (the latency check measures the handshake and leaves)
        // stayed in CLOSE-WAIT. Unfinished handshakes are cut here instead.
        const handshake = setTimeout(() => client.destroy(), HANDSHAKE_MS);
        handshake.unref();
        client.once('close', () => clearTimeout(handshake));
        terminator.once('secureConnection', (tlsSocket: tls.TLSSocket) => {
          clearTimeout(handshake);
          live.add(tlsSocket);
          tlsSocket.on('error', () => tlsSocket.destroy());
          tlsSocket.once('close', () => {
            live.delete(tlsSocket);
            client.destroy();
          });
          // When the client closes its side, nothing more will come: close ours too. An HTTP/2
          // session fed a socket by hand does not, so every inspected h2 connection used to stay
          // half-closed (CLOSE-WAIT) with its CONNECT socket, one per device per round.
          tlsSocket.once('end', () => tlsSocket.destroy());
          const handler = (
            req: http.IncomingMessage | http2.Http2ServerRequest,
            res: http.ServerResponse | http2.Http2ServerResponse,
          ) => forwardRequest(target, req, res);
          if (tlsSocket.alpnProtocol === 'h2') {
            const h2 = http2.createServer({}, handler);
            h2.on('sessionError', () => {});
            // A client that says goodbye (GOAWAY), or goes quiet, ends the session and its sockets.
            h2.setTimeout(30_000);
            h2.on('session', (session) => {
              session.once('goaway', () => session.close());
              session.once('close', () => tlsSocket.destroy());
            });
            h2.emit('connection', tlsSocket);
          } else {
            const h1 = http.createServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, handler);
            h1.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) =>
              forwardUpgrade(target, req, socket, head),
            );
            h1.on('clientError', (_err, socket) => socket.destroy());
            h1.emit('connection', tlsSocket);
          }
        });
        terminator.emit('connection', client);
      },
      () => client.destroy(),
    );
  };

  const decide = (target: ConnectTarget): ConnectDecision =>
    (options.inspect ?? (() => true))(target)
      ? { action: 'intercept', handle: terminate }
      : { action: 'tunnel' };

  const proxy = await startConnectProxy({ ...options, decide });
  return {
    ...proxy,
    inspected,
    async close() {
      for (const s of live) s.destroy();
      live.clear();
      await proxy.close();
    },
  };
}
