/**
 * @module http/connection-quota
 * At most so many open connections from one client address. The global cap
 * (--max-connections) keeps the server's file descriptors; without a cap per
 * address, one client holding that many idle sockets would lock every other
 * agent and admin out until the idle timeout. Connections from the trusted
 * reverse proxies (--trusted-proxies) carry everyone's traffic and are not
 * counted. The socket is closed on arrival, before TLS or HTTP costs anything.
 */
import type { Server } from 'node:net';
import { contains, normaliseIp, parseCidr, parseIp } from '../net/cidr.ts';

export function limitConnectionsPerAddress(
  server: Server,
  max: number,
  trustedProxies: readonly string[],
): void {
  if (max <= 0) return;
  const trusted = trustedProxies.map(parseCidr).filter((c) => typeof c !== 'string');
  const isTrusted = (address: string) => {
    const ip = parseIp(address);
    return ip !== undefined && trusted.some((c) => contains(c, ip));
  };
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const raw = socket.remoteAddress;
    if (!raw || isTrusted(raw)) return;
    // ::ffff:10.0.0.1 and 10.0.0.1 are one client.
    const address = normaliseIp(raw);
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
