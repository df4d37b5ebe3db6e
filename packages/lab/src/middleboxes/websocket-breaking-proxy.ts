/**
 * @module websocket-breaking-proxy
 * Two ways corporate proxies break WebSockets while plain HTTPS keeps working:
 * - `refuse`: the gateway inspects TLS for the WebSocket host (with its own
 *   CA, trusted by the endpoint) and answers the upgrade with 403, as secure
 *   web gateways with a "no WebSocket" policy do;
 * - `reset-after`: the tunnel opens and works, then the proxy kills
 *   long-lived connections to that host after a fixed time, as idle or
 *   session timers on proxies and firewalls do (Copilot's chat hub needs the
 *   socket held open).
 */
import type { Socket } from 'node:net';
import type { CertificateAuthority } from '../pki.ts';
import {
  type ConnectProxy,
  type ConnectProxyOptions,
  type ConnectTarget,
  startConnectProxy,
} from './connect-proxy.ts';
import { startInterceptingProxy } from './intercepting-proxy.ts';

export type WebSocketBreakingProxyOptions = Omit<ConnectProxyOptions, 'decide'> & {
  /** Host names whose connections are broken (the WebSocket endpoint). */
  webSocketHosts: string[];
} & (
    | { mode: 'refuse'; ca: CertificateAuthority; originTrust: string[] }
    | { mode: 'reset-after'; resetAfterMs: number }
  );

export interface WebSocketBreakingProxy extends ConnectProxy {
  /** Tunnels the proxy killed (reset-after) or upgrades it refused (refuse). */
  broken(): number;
}

export async function startWebSocketBreakingProxy(
  options: WebSocketBreakingProxyOptions,
): Promise<WebSocketBreakingProxy> {
  const hosts = new Set(options.webSocketHosts.map((h) => h.toLowerCase()));
  const matches = (t: ConnectTarget) => hosts.has(t.host.toLowerCase());

  if (options.mode === 'refuse') {
    const proxy = await startInterceptingProxy({
      ...options,
      inspect: matches,
      upgrades: 'refuse',
      alpn: ['http/1.1'],
    });
    return { ...proxy, broken: () => proxy.inspected.refusedUpgrades };
  }

  const resetAfterMs = options.resetAfterMs;
  const timers = new Set<NodeJS.Timeout>();
  let killed = 0;
  const proxy = await startConnectProxy({
    ...options,
    decide: (target) =>
      matches(target)
        ? {
            action: 'tunnel',
            onTunnel: (client: Socket, upstream: Socket) => {
              const timer = setTimeout(() => {
                timers.delete(timer);
                killed++;
                // A TCP RST towards the client, as a firewall's session timer does.
                client.resetAndDestroy();
                upstream.destroy();
              }, resetAfterMs);
              timers.add(timer);
              client.once('close', () => {
                clearTimeout(timer);
                timers.delete(timer);
              });
            },
          }
        : { action: 'tunnel' },
  });
  return {
    ...proxy,
    broken: () => killed,
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await proxy.close();
    },
  };
}
