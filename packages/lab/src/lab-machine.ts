/**
 * @module lab-machine
 * The operating system the lab's probe runs on, played through the probe's
 * seams (ProbeOptions.system): a resolver that reads its own hosts file
 * first and then asks the DNS servers it is configured with (as getaddrinfo
 * does through nsswitch `files dns`), and a proxy discovery that sees a
 * Linux machine with no proxy variables, no GNOME, and the lab's search
 * domain — whose `http://wpad.<domain>/wpad.dat` the lab serves on
 * loopback. Any WPAD URL outside the lab's domain is refused and counted,
 * never fetched: no lookup or fetch of the lab leaves loopback.
 */
import { Resolver } from 'node:dns/promises';
import http from 'node:http';
import { fetchPacFrom, type OsLookup, type ProbeSystem } from '@netinsights/probe';
import { ConnectionTracker } from './util/connection-tracker.ts';
import { LOOPBACK, listenTcp } from './util/listen.ts';

/**
 * The lab machine's DNS search domain. `.test` is reserved for testing
 * (RFC 6761 §6.2): no real WPAD server can answer under it.
 */
export const LAB_SEARCH_DOMAIN = 'lab.netinsights.test';
/** The first WPAD URL a client on the lab machine tries (system-proxy/wpad.ts). */
export const LAB_WPAD_URL = `http://wpad.${LAB_SEARCH_DOMAIN}/wpad.dat`;

/** The lab's WPAD web server on loopback. */
export interface WpadServer {
  host: string;
  port: number;
  /** Requests answered with the PAC file; WPAD URLs refused because they lie off the lab. */
  stats: { served: number; refusedOffLab: number };
  /** While false the file is gone (404): a network without WPAD, where clients try the next URL. */
  serving: boolean;
  close(): Promise<void>;
}

/** Serves `pacText` as `/wpad.dat` for the Host `wpad.<LAB_SEARCH_DOMAIN>`; 404 for anything else. */
export async function startWpadServer(pacText: () => string): Promise<WpadServer> {
  const tracker = new ConnectionTracker();
  const stats = { served: 0, refusedOffLab: 0 };
  const state = { serving: true };
  const server = http.createServer((req, res) => {
    if (state.serving && req.url === '/wpad.dat' && req.headers.host === `wpad.${LAB_SEARCH_DOMAIN}`) {
      stats.served++;
      // The MIME type WPAD clients expect (Netscape's PAC specification).
      res.writeHead(200, { 'content-type': 'application/x-ns-proxy-autoconfig' });
      res.end(pacText());
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('no such file\n');
  });
  server.on('connection', (socket) => tracker.add(socket));
  const port = await listenTcp(server);
  return {
    host: LOOPBACK,
    port,
    stats,
    get serving() {
      return state.serving;
    },
    set serving(on: boolean) {
      state.serving = on;
    },
    close: async () => {
      tracker.destroyAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What the lab machine looks like to the probe. */
export interface LabMachineOptions {
  /** Names in the machine's hosts file, each with its address (getaddrinfo reads it before DNS). */
  hostsFile?: Record<string, string>;
  /** The DNS servers the machine is configured with (`host:port`). */
  dnsServers: string[];
  /** The lab's WPAD server, found under LAB_SEARCH_DOMAIN. */
  wpad: WpadServer;
}

/** The machine as probe seams: its resolver, its configured servers, its proxy discovery. */
export function labMachine(options: LabMachineOptions): ProbeSystem {
  return {
    lookup: hostsThenDns(options.hostsFile ?? {}, options.dnsServers),
    dnsServers: options.dnsServers,
    discovery: {
      platform: 'linux',
      env: {},
      // No gsettings, no scutil, no reg: every command is missing, as on a headless Linux box.
      run: async () => undefined,
      resolvConf: async () => `search ${LAB_SEARCH_DOMAIN}\n`,
      fetchPac: async (url) => {
        const u = new URL(url);
        if (u.hostname !== `wpad.${LAB_SEARCH_DOMAIN}` || u.port !== '') {
          options.wpad.stats.refusedOffLab++;
          return undefined;
        }
        return fetchPacFrom(url, options.wpad.host, options.wpad.port);
      },
    },
  };
}

/**
 * getaddrinfo with nsswitch `hosts: files dns`: the hosts file, then A
 * records from the configured servers. Errors carry getaddrinfo's codes as
 * Node names them (ENOTFOUND for NXDOMAIN, EAI_AGAIN when no server answers).
 */
function hostsThenDns(hostsFile: Record<string, string>, servers: string[]): OsLookup {
  const files = new Map(Object.entries(hostsFile).map(([h, a]) => [h.toLowerCase(), a]));
  const resolver = new Resolver({ timeout: 1_000, tries: 2 });
  resolver.setServers(servers);
  return async (host) => {
    const listed = files.get(host.toLowerCase());
    if (listed) return [listed];
    try {
      return await resolver.resolve4(host);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw Object.assign(new Error(`getaddrinfo ${code} ${host}`), {
        code: code === 'ENOTFOUND' || code === 'ENODATA' ? code : 'EAI_AGAIN',
      });
    }
  };
}
