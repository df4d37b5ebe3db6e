/**
 * @module listen
 * Binding helpers for lab servers: every server listens on loopback, on a
 * port the OS picks, and some need the same port number for TCP and UDP
 * (HTTPS and QUIC share port 443 on a real edge).
 */
import type { Socket as UdpSocket } from 'node:dgram';
import { createSocket } from 'node:dgram';
import type { AddressInfo, Server } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** Listens on `host:port` (port 0 = any) and resolves to the port bound. */
export function listenTcp(server: Server, port = 0, host = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Binds a UDP socket on `host:port` (port 0 = any) and resolves to the port bound. */
export function bindUdp(socket: UdpSocket, port = 0, host = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    socket.once('error', onError);
    socket.bind(port, host, () => {
      socket.off('error', onError);
      resolve(socket.address().port);
    });
  });
}

/**
 * Listens a TCP server and binds a UDP socket on one port number. The OS
 * picks the TCP port; the UDP bind on the same number can collide with
 * another process, so a few fresh tries are made before giving up.
 */
export async function listenTcpAndUdp(
  server: Server,
  onDatagram: (msg: Buffer, rinfo: { address: string; port: number }, socket: UdpSocket) => void,
  host = LOOPBACK,
): Promise<{ port: number; udp: UdpSocket }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await listenTcp(server, 0, host);
    const udp = createSocket('udp4');
    udp.on('message', (msg, rinfo) => onDatagram(msg, rinfo, udp));
    try {
      await bindUdp(udp, port, host);
      // After the bind, a late socket error (e.g. ICMP feedback) must not crash the lab.
      udp.on('error', () => {});
      return { port, udp };
    } catch (err) {
      lastError = err;
      udp.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
  throw new Error(`could not bind TCP and UDP on one port: ${String(lastError)}`);
}

/** Closes a UDP socket, resolving once it is closed (or was already). */
export function closeUdp(socket: UdpSocket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve();
    }
  });
}
