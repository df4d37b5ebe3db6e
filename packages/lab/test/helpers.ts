/**
 * @module test/helpers
 * Raw clients for the middlebox tests: a CONNECT tunnel opener, TLS over a
 * socket, HTTP/1.1 and HTTP/2 requests and a WebSocket, all with generous
 * deadlines so a loaded machine slows them down without failing them.
 */
import * as http2 from 'node:http2';
import { type Socket, connect as tcpConnect } from 'node:net';
import * as tls from 'node:tls';
import WebSocket from 'ws';

export const DEADLINE_MS = 15_000;

/** Sends raw bytes and collects everything until the peer closes (or the deadline). */
export function rawExchange(port: number, payload: string | Buffer, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host, port }, () => socket.write(payload));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      data += d;
    });
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
    socket.setTimeout(DEADLINE_MS, () => socket.destroy(new Error('raw exchange timed out')));
  });
}

/** Opens a CONNECT tunnel; resolves with the status line, headers, any body and (on 200) the socket. */
export function openTunnel(
  proxyPort: number,
  authority: string,
): Promise<{ status: number; head: string; body: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: '127.0.0.1', port: proxyPort }, () => {
      socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`);
    });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('CONNECT timed out'));
    }, DEADLINE_MS);
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      if (status === 200) {
        clearTimeout(timer);
        socket.off('data', onData);
        const rest = buf.subarray(end + 4);
        if (rest.length > 0) socket.unshift(rest);
        resolve({ status, head, body: '', socket });
        return;
      }
      // An error answer: read its body until the proxy closes.
      socket.off('data', onData);
      let body = buf.subarray(end + 4).toString('latin1');
      socket.on('data', (more: Buffer) => {
        body += more.toString('latin1');
      });
      socket.once('close', () => {
        clearTimeout(timer);
        resolve({ status, head, body, socket });
      });
    };
    socket.on('data', onData);
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** TLS over an existing socket (a tunnel) or straight to a port. */
export function tlsOver(opts: {
  socket?: Socket;
  port?: number;
  servername: string;
  ca: string[];
  alpn?: string[];
}): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tls.connect(
      {
        ...(opts.socket ? { socket: opts.socket } : { host: '127.0.0.1', port: opts.port }),
        servername: opts.servername,
        ca: opts.ca,
        ALPNProtocols: opts.alpn ?? ['h2', 'http/1.1'],
      },
      () => resolve(s),
    );
    s.once('error', reject);
    s.setTimeout(DEADLINE_MS, () => s.destroy(new Error('TLS timed out')));
  });
}

/** One HTTP/1.1 GET over a connected (TLS) socket; resolves with the raw response text. */
export function http1Get(socket: tls.TLSSocket, host: string, path = '/'): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      data += d;
    });
    socket.once('end', () => resolve(data));
    socket.once('close', () => resolve(data));
    socket.once('error', reject);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  });
}

/** One HTTP/2 GET over a connected TLS socket that negotiated h2. */
export function http2Get(
  socket: tls.TLSSocket,
  authority: string,
  path = '/',
): Promise<{ status: number; headers: http2.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`https://${authority}`, { createConnection: () => socket });
    session.on('error', reject);
    const req = session.request({ ':path': path });
    const chunks: Buffer[] = [];
    let headers: http2.IncomingHttpHeaders = {};
    req.on('response', (h) => {
      headers = h;
    });
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      session.close();
      resolve({ status: Number(headers[':status']), headers, body: Buffer.concat(chunks) });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket over an existing TLS socket; resolves once open or rejects with the upgrade failure. */
export function openWebSocket(url: string, createConnection: () => tls.TLSSocket): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      createConnection,
      handshakeTimeout: DEADLINE_MS,
    } as WebSocket.ClientOptions);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      reject(
        Object.assign(new Error(`upgrade answered ${res.statusCode}`), {
          status: res.statusCode,
          headers: res.headers,
        }),
      );
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

/** Sends a message and waits for it to come back. */
export function echo(ws: WebSocket, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    ws.once('message', (data) => resolve(String(data)));
    ws.once('error', reject);
    ws.send(message);
  });
}
