/**
 * @module threads/proxy-spec
 * What a lab proxy on its own thread is, as plain data (a worker gets no
 * functions): a plain CONNECT proxy (perhaps demanding authentication), an
 * allow-list proxy, a TLS-inspecting one (its CA as PEM), or a
 * WebSocket-breaking one.
 */
import type { ProxyAuth } from '../middleboxes/connect-proxy.ts';
import type { CaData } from '../pki.ts';

export type ProxySpec = { name: string; dnsServer: string } & (
  | { kind: 'plain'; auth?: ProxyAuth }
  | { kind: 'blocking'; deniedSuffixes: string[] }
  | {
      kind: 'intercepting';
      ca: CaData;
      originTrust: string[];
      alpn?: string[];
      /** Inspect only hosts of these catalog sets (a Zscaler-style bypass list for the rest); absent: all. */
      inspectSets?: number[];
    }
  | { kind: 'ws-reset'; webSocketHosts: string[]; resetAfterMs: number }
  | { kind: 'ws-refuse'; webSocketHosts: string[]; ca: CaData; originTrust: string[] }
);

/** The counters a proxy thread mirrors to its parent. */
export interface ProxyCounters {
  stats: { connects: number; tunnels: number; refused: number; intercepted: number; badRequests: number };
  openSockets: number;
  inspected: { requests: number; upgrades: number; refusedUpgrades: number };
  broken: number;
}
