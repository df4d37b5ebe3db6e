/**
 * @module lab
 * Starts the whole lab in-process on loopback — PKI, front door, resolvers
 * and every middlebox — and turns a scenario name into the options for a
 * probe run through it. Everything binds port 0 on 127.0.0.1, so several
 * labs (parallel tests) never collide, and `close()` ends every socket.
 */
import type { ProbeOptions } from '@netinsights/probe';
import { loadProfile, type ServiceProfile, workloadHosts } from '@netinsights/protocol';
import { startDnsResolver } from './dns-resolver.ts';
import { startFrontDoor } from './front-door.ts';
import { LAB_SEARCH_DOMAIN, labMachine, startWpadServer } from './lab-machine.ts';
import { createLabPki } from './lab-pki.ts';
import { buildLabProfile, labHosts } from './lab-profile.ts';
import { startBottleneck } from './middleboxes/bottleneck.ts';
import { startShaper } from './middleboxes/shaping.ts';
import { startUdpBlackhole } from './middleboxes/udp-blackhole.ts';
import { caData } from './pki.ts';
import {
  BACKHAUL,
  BLOATED_UPLINK,
  BLOCKED_DOMAIN,
  DISTANT_FRONT_DOOR,
  FAR_RESOLVER_ADDRESS,
  INTERCEPTED_SETS,
  inInterceptedSets,
  LAB_PROXY_AUTH,
  type LabParts,
  SCENARIO_WS_HOLD_SECONDS,
  SCENARIOS,
  type ScenarioInfo,
  TEAMS_DEGRADED_LINK,
  WS_RESET_AFTER_MS,
} from './scenarios/catalog.ts';
import { startProxyThread } from './threads/start-proxy-thread.ts';
import { startTeamsRelayThread } from './threads/start-teams-relay-thread.ts';
import { LOOPBACK } from './util/listen.ts';

/** A running lab. */
export interface Lab {
  /** The lab profile: the real Microsoft 365 names on the front door's port, pinned to the lab CAs. */
  profile: ServiceProfile;
  scenarios: ScenarioInfo[];
  /** Probe options for running `scenario` through the lab (throws on an unknown name). */
  probeOptionsFor(scenario: string, overrides?: Partial<ProbeOptions>): ProbeOptions;
  /**
   * curl-style `HOST:PORT:127.0.0.1` pins for every lab host on the front door's port (or `port`),
   * for `ProbeOptions.resolve` / `--resolve` when the lab's DNS resolver is not wanted.
   */
  resolvePins(port?: number): string[];
  /** Part name → `host:port`, for `lab up` and for pointing other tools at the lab. */
  addresses(): Record<string, string>;
  /** Root certificates of the lab's CAs (PEM), by name: what a client must trust for each role. */
  trust: { labRoot: string; zscaler: string; fortinet: string; unknown: string };
  /** The running parts, for tests that inspect a middlebox's counters. */
  parts: LabParts;
  close(): Promise<void>;
}

export interface StartLabOptions {
  log?: (line: string) => void;
}

export async function startLab(opts: StartLabOptions = {}): Promise<Lab> {
  const log = opts.log ?? (() => {});
  const closers: (() => Promise<void>)[] = [];
  const started = performance.now();
  try {
    const hosts = labHosts();
    const pki = await createLabPki(hosts);
    const frontDoor = await startFrontDoor({ certificate: pki.frontDoor, log });
    closers.push(() => frontDoor.close());
    // The whoami name (profile `resolver.whoami`) answers with the resolver's own public address,
    // as Akamai's does: the lab's resolvers say loopback, except the one that stands far away.
    const whoami = loadProfile('m365').resolver?.whoami;
    const recordsAnswering = (me: string) => ({
      ...Object.fromEntries(hosts.map((h) => [h, LOOPBACK])),
      ...(whoami ? { [whoami]: me } : {}),
    });
    const records = recordsAnswering(LOOPBACK);
    const dns = await startDnsResolver({ records, log });
    closers.push(() => dns.close());
    const brokenDns = await startDnsResolver({
      records,
      fail: { suffix: BLOCKED_DOMAIN, mode: 'nxdomain' },
      log,
    });
    closers.push(() => brokenDns.close());
    const farDns = await startDnsResolver({ records: recordsAnswering(FAR_RESOLVER_ADDRESS), log });
    closers.push(() => farDns.close());

    // Every proxy runs on its own thread (threads/) and resolves destinations through the lab's own
    // DNS, as a proxy would through its resolver; one resolves through the broken resolver instead.
    const originTrust = [pki.root.certPem];
    const start = async <T extends { close(): Promise<void> }>(p: Promise<T>): Promise<T> => {
      const part = await p;
      closers.push(() => part.close());
      return part;
    };
    const wsHost = new URL(buildLabProfile({ port: frontDoor.port, ...pki }).websocket.url).hostname;
    const [
      proxy,
      zscaler,
      fortigate,
      blocking,
      wsRefusing,
      wsResetting,
      firewall,
      authProxy,
      upstreamDns,
      impostor,
      zscalerSets,
    ] = await Promise.all([
      start(startProxyThread({ kind: 'plain', name: 'lab-proxy', dnsServer: dns.address }, log)),
      start(
        startProxyThread(
          {
            kind: 'intercepting',
            name: 'zscaler-sim',
            dnsServer: dns.address,
            ca: caData(pki.zscaler.signer),
            originTrust,
            alpn: ['h2', 'http/1.1'],
          },
          log,
        ),
      ),
      start(
        startProxyThread(
          {
            kind: 'intercepting',
            name: 'fortigate-sim',
            dnsServer: dns.address,
            ca: caData(pki.fortinet.signer),
            originTrust,
          },
          log,
        ),
      ),
      start(
        startProxyThread(
          {
            kind: 'blocking',
            name: 'allowlist-proxy',
            dnsServer: dns.address,
            deniedSuffixes: [BLOCKED_DOMAIN],
          },
          log,
        ),
      ),
      start(
        startProxyThread(
          {
            kind: 'ws-refuse',
            name: 'swg-no-websocket',
            dnsServer: dns.address,
            webSocketHosts: [wsHost],
            ca: caData(pki.unknown.signer),
            originTrust,
          },
          log,
        ),
      ),
      start(
        startProxyThread(
          {
            kind: 'ws-reset',
            name: 'session-timer-proxy',
            dnsServer: dns.address,
            webSocketHosts: [wsHost],
            resetAfterMs: WS_RESET_AFTER_MS,
          },
          log,
        ),
      ),
      start(
        startUdpBlackhole({ upstream: { host: frontDoor.host, port: frontDoor.port }, mediaPorts: 4, log }),
      ),
      start(
        startProxyThread(
          { kind: 'plain', name: 'auth-proxy', dnsServer: dns.address, auth: LAB_PROXY_AUTH },
          log,
        ),
      ),
      // Resolves through the broken resolver (its failures are never cached, so every CONNECT asks).
      start(startProxyThread({ kind: 'plain', name: 'proxy-broken-dns', dnsServer: brokenDns.address }, log)),
      start(
        startProxyThread(
          {
            kind: 'intercepting',
            name: 'impostor-inspection',
            dnsServer: dns.address,
            ca: caData(pki.impostor.signer),
            originTrust,
            alpn: ['h2', 'http/1.1'],
          },
          log,
        ),
      ),
      start(
        startProxyThread(
          {
            kind: 'intercepting',
            name: 'zscaler-some-sets',
            dnsServer: dns.address,
            ca: caData(pki.zscaler.signer),
            originTrust,
            alpn: ['h2', 'http/1.1'],
            // Zscaler-style: the bypass list covers every catalog set but these, which are inspected.
            inspectSets: [...INTERCEPTED_SETS],
          },
          log,
        ),
      ),
    ]);
    // The relay and its impaired link run on their own thread, as a relay elsewhere would.
    const { relay: teamsRelay, shaper: teamsShaper } = await startTeamsRelayThread({
      ports: 4,
      degradedLink: TEAMS_DEGRADED_LINK,
      log,
    });
    closers.push(() => teamsRelay.close());
    // WPAD for the lab's search domain: a PAC that sends everything through the plain CONNECT proxy.
    const wpad = await start(
      startWpadServer(
        () => `function FindProxyForURL(url, host) { return "PROXY ${proxy.host}:${proxy.port}"; }\n`,
      ),
    );
    const backhaul = await start(
      startShaper({ upstream: { host: proxy.host, port: proxy.port }, up: BACKHAUL, down: BACKHAUL, log }),
    );
    const bloatedUplink = await start(
      startBottleneck({
        upstream: { host: proxy.host, port: proxy.port },
        up: BLOATED_UPLINK,
        down: BLOATED_UPLINK,
        log,
      }),
    );

    const profile = buildLabProfile({
      port: frontDoor.port,
      root: pki.root,
      issuing: pki.issuing,
      teamsPorts: teamsRelay.ports,
    });
    // The front door's second, slower address: DNS hands it out for the workload hosts in one scenario.
    const distantFrontDoor = await start(
      startShaper({
        upstream: { host: frontDoor.host, port: frontDoor.port },
        host: DISTANT_FRONT_DOOR.address,
        port: frontDoor.port,
        up: { latencyMs: DISTANT_FRONT_DOOR.latencyMs },
        down: { latencyMs: DISTANT_FRONT_DOOR.latencyMs },
        log,
      }),
    );
    const distantHosts = new Set(workloadHosts(profile).flatMap((w) => (w.host ? [w.host] : [])));
    const distantDns = await start(
      startDnsResolver({
        records: {
          ...recordsAnswering(LOOPBACK),
          ...Object.fromEntries([...distantHosts].map((h) => [h, DISTANT_FRONT_DOOR.address])),
        },
        log,
      }),
    );
    const parts: LabParts = {
      profile,
      pki,
      frontDoor,
      dns,
      brokenDns,
      farDns,
      proxy,
      zscaler,
      fortigate,
      blocking,
      wsRefusing,
      wsResetting,
      firewall,
      backhaul,
      authProxy,
      upstreamDns,
      impostor,
      zscalerSets,
      teamsRelay,
      teamsShaper,
      bloatedUplink,
      distantFrontDoor,
      distantDns,
      wpad,
    };
    log(`lab ready in ${Math.round(performance.now() - started)} ms`);

    return {
      profile,
      scenarios: SCENARIOS.map(({ name, description, expected }) => ({ name, description, expected })),
      probeOptionsFor(name, overrides = {}) {
        const scenario = SCENARIOS.find((s) => s.name === name);
        if (!scenario)
          throw new Error(
            `unknown lab scenario "${name}" (known: ${SCENARIOS.map((s) => s.name).join(', ')})`,
          );
        const specific = scenario.options(parts);
        return {
          profile,
          // The lab must not pick up the machine's own proxy settings, resolver or search domain.
          env: {},
          system: labMachine({ dnsServers: [dns.address], wpad }),
          // A scenario that plays the OS resolver (its own `system`) is not run with --dns-server.
          ...(specific.system ? {} : { dnsServers: [dns.address] }),
          wsHoldSeconds: SCENARIO_WS_HOLD_SECONDS,
          ...specific,
          // The simulated machine trusts the lab root as a real one trusts DigiCert, plus
          // whatever enterprise CA the scenario pushed to it.
          extraTrustedCas: [pki.root.certPem, ...(specific.extraTrustedCas ?? [])],
          ...overrides,
        };
      },
      resolvePins: (port = frontDoor.port) => [
        ...hosts.map((h) => `${h}:${port}:${frontDoor.host}`),
        // The whoami name too, so a pinned run asks no resolver at all (its resolver check does not apply).
        ...(whoami ? [`${whoami}:53:${LOOPBACK}`] : []),
        // The Teams relay's name on its UDP ports, wherever a scenario sends them.
        ...(profile.teamsMedia
          ? [...teamsRelay.ports, ...teamsShaper.ports, ...firewall.mediaPorts].map(
              (p) => `${profile.teamsMedia?.host}:${p}:${teamsRelay.host}`,
            )
          : []),
      ],
      addresses: () => ({
        'front door (TCP: HTTPS h2/http1.1 + WSS; UDP: QUIC)': `${frontDoor.host}:${frontDoor.port}`,
        'DNS resolver': dns.address,
        [`DNS resolver failing ${BLOCKED_DOMAIN}`]: brokenDns.address,
        [`DNS resolver far away (whoami answers ${FAR_RESOLVER_ADDRESS})`]: farDns.address,
        'CONNECT proxy': `${proxy.host}:${proxy.port}`,
        'intercepting proxy (Zscaler CA, keeps h2)': `${zscaler.host}:${zscaler.port}`,
        'intercepting proxy (FortiGate CA, http/1.1 only)': `${fortigate.host}:${fortigate.port}`,
        [`blocking proxy (denies ${BLOCKED_DOMAIN})`]: `${blocking.host}:${blocking.port}`,
        'WebSocket-refusing gateway (Contoso CA)': `${wsRefusing.host}:${wsRefusing.port}`,
        [`WebSocket-resetting proxy (after ${WS_RESET_AFTER_MS} ms)`]: `${wsResetting.host}:${wsResetting.port}`,
        'UDP-dropping firewall (TCP forwarded to the front door)': `${firewall.host}:${firewall.port}`,
        'backhauled link to the CONNECT proxy (slow)': `${backhaul.host}:${backhaul.port}`,
        'bloated uplink to the CONNECT proxy (bufferbloat)': `${bloatedUplink.host}:${bloatedUplink.port}`,
        'CONNECT proxy demanding authentication (Negotiate, NTLM, Basic)': `${authProxy.host}:${authProxy.port}`,
        [`CONNECT proxy whose own DNS fails ${BLOCKED_DOMAIN}`]: `${upstreamDns.host}:${upstreamDns.port}`,
        'intercepting proxy posing as the lab issuing CA (Contoso root)': `${impostor.host}:${impostor.port}`,
        [`intercepting proxy (Zscaler CA) for catalog sets ${INTERCEPTED_SETS.join(', ')} only`]: `${zscalerSets.host}:${zscalerSets.port}`,
        [`WPAD server (wpad.${LAB_SEARCH_DOMAIN}, PAC to the CONNECT proxy)`]: `${wpad.host}:${wpad.port}`,
        'STUN responder, the Teams relay (UDP only)': `${teamsRelay.host}:${teamsRelay.ports.join(',')}`,
        'lossy, jittery link to the Teams relay (UDP only)': `${teamsShaper.host}:${teamsShaper.ports.join(',')}`,
        'firewall dropping the Teams media ports (UDP only)': `${firewall.host}:${firewall.mediaPorts.join(',')}`,
        [`front door's second, distant address (+${DISTANT_FRONT_DOOR.latencyMs} ms each way)`]: `${distantFrontDoor.host}:${distantFrontDoor.port}`,
        'DNS resolver sending the workload hosts to the distant front door': distantDns.address,
      }),
      trust: {
        labRoot: pki.root.certPem,
        zscaler: pki.zscaler.trustPem,
        fortinet: pki.fortinet.trustPem,
        unknown: pki.unknown.trustPem,
      },
      parts,
      close: () => closeAll(closers),
    };
  } catch (err) {
    await closeAll(closers);
    throw err;
  }
}

async function closeAll(closers: (() => Promise<void>)[]): Promise<void> {
  const list = closers.splice(0).reverse();
  await Promise.allSettled(list.map((c) => c()));
}
