/**
 * @module test/helpers/garbage-tls-server
 * A TCP server that answers a TLS ClientHello with a well-formed TLS 1.2
 * ServerHello followed by a Certificate message whose certificate bytes are
 * garbage (RFC 5246 §7.4.1.3, §7.4.2) — what a broken middlebox sends. No
 * TLS library will produce that, so the records are written by hand.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';

function u24(n: number): Buffer {
  return Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
}

function handshake(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type]), u24(body.length), body]);
}

function record(payload: Buffer): Buffer {
  const header = Buffer.from([0x16, 0x03, 0x03, 0, 0]);
  header.writeUInt16BE(payload.length, 3);
  return Buffer.concat([header, payload]);
}

export function garbageCertificateFlight(): Buffer {
  // renegotiation_info (RFC 5746): OpenSSL 3 refuses servers without it.
  const extensions = Buffer.from([0xff, 0x01, 0x00, 0x01, 0x00]);
  const extLen = Buffer.alloc(2);
  extLen.writeUInt16BE(extensions.length);
  const serverHello = Buffer.concat([
    Buffer.from([0x03, 0x03]),
    randomBytes(32),
    Buffer.from([0x00]), // no session id
    Buffer.from([0xc0, 0x2f]), // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
    Buffer.from([0x00]), // no compression
    extLen,
    extensions,
  ]);
  // A DER SEQUENCE header that promises more than follows, then noise.
  const garbage = Buffer.concat([Buffer.from([0x30, 0x82, 0x01, 0x00, 0x13, 0x37]), randomBytes(58)]);
  const certList = Buffer.concat([u24(garbage.length), garbage]);
  const certificate = Buffer.concat([u24(certList.length), certList]);
  return Buffer.concat([record(handshake(2, serverHello)), record(handshake(11, certificate))]);
}

/** Starts the server on a free loopback port; `mode` "cert" sends the flight above, "noise" random non-TLS bytes. */
export async function startGarbageServer(
  mode: 'cert' | 'noise',
): Promise<{ port: number; server: Server; close(): Promise<void> }> {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => {
      socket.write(
        mode === 'cert'
          ? garbageCertificateFlight()
          : Buffer.concat([Buffer.from('SSH-2.0-garbage\r\n'), randomBytes(200)]),
      );
      setTimeout(() => socket.destroy(), 2000).unref();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.unref();
      }),
  };
}
