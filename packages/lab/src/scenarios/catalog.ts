/**
 * @module catalog
 * The lab's scenarios: for each, which middleboxes the probe goes through,
 * what the simulated machine trusts, and the verdicts the probe must reach.
 * Names are stable (tests, the demo and the docs refer to them).
 */
import type { ProbeOptions } from '@netinsights/probe';
import type { ServiceProfile } from '@netinsights/protocol';
import { hostMatches } from '@netinsights/protocol/catalog/host-pattern.ts';
import { snapshotSets } from '@netinsights/protocol/catalog/snapshot.ts';
import type { LabDnsResolver } from '../dns-resolver.ts';
import type { FrontDoor } from '../front-door.ts';
import { LAB_WPAD_URL, labMachine, type WpadServer } from '../lab-machine.ts';
import { LAB_ISSUING_NAME, type LabPki } from '../lab-pki.ts';
import { labHosts, retargetProfile, retargetTeamsMedia } from '../lab-profile.ts';
import type { Bottleneck, BottleneckLink } from '../middleboxes/bottleneck.ts';
import type { ConnectProxy, ProxyAuth } from '../middleboxes/connect-proxy.ts';
import type { InterceptingProxy } from '../middleboxes/intercepting-proxy.ts';
import type { Shaper } from '../middleboxes/shaping.ts';
import type { UdpBlackhole } from '../middleboxes/udp-blackhole.ts';
import type { UdpImpairment, UdpShaper } from '../middleboxes/udp-shaping.ts';
import type { WebSocketBreakingProxy } from '../middleboxes/websocket-breaking-proxy.ts';
import type { StunResponder } from '../stun-responder.ts';
import type { ExpectedVerdict } from './expected-verdict.ts';

/** Every running part of the lab a scenario may route the probe through. */
export interface LabParts {
  profile: ServiceProfile;
  pki: LabPki;
  frontDoor: FrontDoor;
  /** The healthy resolver. */
  dns: LabDnsResolver;
  /** A resolver that fails `static.microsoft` with NXDOMAIN. */
  brokenDns: LabDnsResolver;
  /** A resolver whose public address, as the whoami name reports it, is FAR_RESOLVER_ADDRESS. */
  farDns: LabDnsResolver;
  /** A plain CONNECT proxy. */
  proxy: ConnectProxy;
  /** Zscaler-named TLS inspection that keeps HTTP/2. */
  zscaler: InterceptingProxy;
  /** FortiGate-named TLS inspection that offers only HTTP/1.1. */
  fortigate: InterceptingProxy;
  /** An allow-list proxy that denies `static.microsoft`. */
  blocking: ConnectProxy;
  /** A gateway that inspects the WebSocket host and refuses upgrades (unknown corporate CA). */
  wsRefusing: WebSocketBreakingProxy;
  /** A proxy that kills WebSocket tunnels after a fixed time. */
  wsResetting: WebSocketBreakingProxy;
  /** TCP passes, UDP is dropped. */
  firewall: UdpBlackhole;
  /** A slow WAN link (latency + bandwidth cap) in front of the plain proxy: backhauled egress. */
  backhaul: Shaper;
  /** A CONNECT proxy that demands authentication (LAB_PROXY_AUTH). */
  authProxy: ConnectProxy;
  /** A CONNECT proxy that allows every tunnel but resolves through the broken resolver. */
  upstreamDns: ConnectProxy;
  /** TLS inspection whose sub-CA carries the lab issuing CA's name, under the Contoso root. */
  impostor: InterceptingProxy;
  /** Zscaler-named TLS inspection of the hosts of INTERCEPTED_SETS only; everything else is tunnelled. */
  zscalerSets: InterceptingProxy;
  /** The Teams relay: STUN on four UDP ports. */
  teamsRelay: StunResponder;
  /** The front door's second, slower address (DISTANT_FRONT_DOOR), on the front door's port. */
  distantFrontDoor: Shaper;
  /** A resolver that hands out the distant address for the core workloads' hosts. */
  distantDns: LabDnsResolver;
  /** A lossy, jittery link in front of the Teams relay. */
  teamsShaper: UdpShaper;
  /** An uplink with a bloated buffer, shared by every connection, in front of the plain proxy. */
  bloatedUplink: Bottleneck;
  /** The WPAD server of the lab machine's search domain: its PAC sends everything to `proxy`. */
  wpad: WpadServer;
}

/** What `lab list` shows and tests iterate over. */
export interface ScenarioInfo {
  name: string;
  description: string;
  expected: ExpectedVerdict[];
}

export interface ScenarioDefinition extends ScenarioInfo {
  /** The probe options for this scenario, beyond the lab-wide defaults. */
  options(parts: LabParts): Partial<ProbeOptions>;
}

/**
 * The public address the far resolver's whoami answer names (RFC 5737
 * documentation range): a geo table placing it far from the office makes
 * the `resolver-far` scenario's office raise distant-resolver.
 */
export const FAR_RESOLVER_ADDRESS = '192.0.2.53';

/** Domain the blocking proxy and the broken resolver single out. */
export const BLOCKED_DOMAIN = 'static.microsoft';
/** The WebSocket tunnel is killed this long after it opens; the hold in that scenario is longer. */
export const WS_RESET_AFTER_MS = 1_000;
export const WS_RESET_HOLD_SECONDS = 2.5;
/**
 * The backhauled link of `slow-path`, each way: its round trip alone is
 * 2.7× the lab profile's latency threshold, and its cap is an eighth of the
 * throughput threshold (see LAB_THRESHOLDS).
 */
export const BACKHAUL = { latencyMs: 200, bytesPerSecond: 250_000 } as const;
/**
 * What the authenticating proxy offers (Negotiate and NTLM first, as Windows
 * proxies list them) and the one Basic user it accepts.
 */
export const LAB_PROXY_AUTH: ProxyAuth = {
  challenges: ['Negotiate', 'NTLM', 'Basic realm="lab"'],
  basic: { user: 'lab-user', password: 'lab pass:word' },
};

/**
 * The impaired link of `teams-degraded`, towards the relay: RTT ≥ 120 ms
 * (about 160 ms median) against the lab's 100 ms limit, 15 % loss against
 * 5 % (seeded, so the same requests are dropped on every run), and up to
 * 80 ms of random extra delay, which also reorders (see LAB_TEAMS_MEDIA).
 */
export const TEAMS_DEGRADED_LINK: UdpImpairment = { latencyMs: 60, jitterMs: 80, lossPercent: 15, seed: 14 };
/**
 * The catalog sets the `sets-intercepted` proxy inspects: 46 (Office for the
 * web, Common) and 64 (security and compliance portals, Common). None of
 * their hosts is a critical host of the profile, so only the sweep sees it.
 */
export const INTERCEPTED_SETS = [46, 64] as const;

/** Whether `host` is covered by a URL entry of one of `sets` in the shipped catalog. */
export function inCatalogSets(host: string, sets: readonly number[]): boolean {
  return snapshotSets().some((s) => sets.includes(s.id) && s.urls.some((p) => hostMatches(host, p)));
}

/** Whether `host` is covered by a URL entry of one of INTERCEPTED_SETS in the shipped catalog. */
export function inInterceptedSets(host: string): boolean {
  return inCatalogSets(host, INTERCEPTED_SETS);
}

/**
 * The front door's second address, as DNS hands out a distant entry point:
 * another loopback address on the same port, whose link adds 75 ms each
 * way (a 150 ms longer round trip, as from Lisbon to a front door across
 * the Atlantic). The lab's latency check goes to the near address, so only
 * the comparison with the front door nearby can tell; 150 ms stays well
 * above what a loaded machine's event loop adds to a handshake.
 */
export const DISTANT_FRONT_DOOR = { address: '127.0.0.2', latencyMs: 75 } as const;

/**
 * The bloated uplink of `bufferbloat`, each way: 32 Mbit/s (twice the lab's
 * throughput threshold, so the download itself passes) behind a 1 MB FIFO.
 * A download keeps the FIFO nearly full, so whatever crosses the link
 * meanwhile waits about 190–250 ms (0.75–1 MB at 4 MB/s) — over the 100 ms
 * of added latency Microsoft documents as bufferbloat. Idle, the link adds
 * 2 ms each way.
 */
export const BLOATED_UPLINK: BottleneckLink = {
  bytesPerSecond: 4_000_000,
  bufferBytes: 1_000_000,
  latencyMs: 2,
};
/** What the bufferbloat scenario's report must show as loaded minus idle median, at least. */
export const BUFFERBLOAT_MIN_MS = 100;
/** The hold used by every other scenario. */
export const SCENARIO_WS_HOLD_SECONDS = 1;

const ALL_OK: ExpectedVerdict[] = [
  { checkKind: 'tls', code: 'ok' },
  { checkKind: 'https', code: 'ok' },
  { checkKind: 'http2', code: 'ok' },
  { checkKind: 'websocket', code: 'ok' },
  { checkKind: 'quic', code: 'ok' },
  { checkKind: 'latency', code: 'ok' },
  { checkKind: 'throughput', code: 'ok' },
  { checkKind: 'teams-media', code: 'ok' },
];

/** Through an explicit proxy no client uses QUIC: the check must say it does not apply. */
const PROXIED_OK: ExpectedVerdict[] = [
  ...ALL_OK.filter((e) => e.checkKind !== 'quic'),
  { checkKind: 'quic', code: 'probe/not-applicable' },
  { checkKind: 'tcp', code: 'ok', path: 'proxy' },
];

/** A check whose host failed earlier is skipped; the HTTPS result carries the first failure. */
const blockedCascade = (
  code: 'dns/nxdomain' | 'proxy/forbidden' | 'proxy/upstream-dns',
): ExpectedVerdict[] => [
  ...(code === 'dns/nxdomain' ? [{ checkKind: 'dns', host: BLOCKED_DOMAIN, code } as const] : []),
  { checkKind: 'tcp', host: BLOCKED_DOMAIN, code: code === 'dns/nxdomain' ? 'probe/skipped' : code },
  { checkKind: 'tls', host: BLOCKED_DOMAIN, code: 'probe/skipped' },
  { checkKind: 'http2', host: BLOCKED_DOMAIN, code: 'probe/skipped' },
  { checkKind: 'https', host: BLOCKED_DOMAIN, code },
  // The profile's download object lives on res.public.onecdn.static.microsoft.
  { checkKind: 'throughput', code },
];

export const SCENARIOS: ScenarioDefinition[] = [
  {
    name: 'healthy-direct',
    description: 'No middlebox: the lab resolver and the front door straight on. Everything must pass.',
    expected: [...ALL_OK, { checkKind: 'dns', code: 'ok' }, { checkKind: 'tcp', code: 'ok', path: 'direct' }],
    options: () => ({}),
  },
  {
    name: 'healthy-proxy',
    description:
      'A plain CONNECT proxy that tunnels everything untouched. Everything must pass, via the proxy; QUIC does not apply behind it.',
    expected: PROXIED_OK,
    options: (p) => ({ proxy: p.proxy.url }),
  },
  {
    name: 'intercepted',
    description:
      'A Zscaler-style TLS inspection proxy re-signs every site with its own CA, which the machine trusts. HTTP/2 is kept. The probe must call the TLS intercepted and name Zscaler.',
    expected: [
      { checkKind: 'tls', code: 'tls/intercepted', vendor: 'Zscaler' },
      { checkKind: 'https', code: ['ok', 'tls/intercepted'] },
      { checkKind: 'websocket', code: ['ok', 'tls/intercepted'] },
      { checkKind: 'http2', code: 'ok' },
    ],
    options: (p) => ({ proxy: p.zscaler.url, extraTrustedCas: [p.pki.zscaler.trustPem] }),
  },
  {
    name: 'static-blocked',
    description:
      'A proxy whose allow-list predates *.static.microsoft answers CONNECT for those hosts with 403 and a block page; other domains pass.',
    expected: blockedCascade('proxy/forbidden'),
    options: (p) => ({ proxy: p.blocking.url }),
  },
  {
    name: 'proxied-no-local-dns',
    description:
      'Behind an explicit proxy, the machine has no working resolver of its own (common where only the proxy reaches the internet): clients need none for proxied hosts, so everything must pass via the proxy, QUIC is not applicable and no DNS finding is raised for them. Teams media is the exception: its UDP goes direct, so the client must resolve the relay itself, and here it cannot (calls fall back to TCP through the proxy).',
    expected: [
      ...PROXIED_OK.filter((e) => e.checkKind !== 'teams-media'),
      { checkKind: 'teams-media', code: 'dns/unreachable' },
      // Nor can it find out which resolver it uses.
      { checkKind: 'resolver', code: 'dns/unreachable' },
    ],
    // UDP port 1 on loopback: nothing answers there, so any local lookup would fail at once.
    options: (p) => ({ proxy: p.proxy.url, dnsServers: ['127.0.0.1:1'] }),
  },
  {
    name: 'proxy-upstream-dns',
    description: `A proxy that allows every tunnel but whose own resolver answers NXDOMAIN for *.${BLOCKED_DOMAIN}: the probe must blame the proxy's DNS, not a deny rule.`,
    expected: blockedCascade('proxy/upstream-dns'),
    options: (p) => ({ proxy: p.upstreamDns.url }),
  },
  {
    name: 'proxy-auth',
    description:
      'A proxy that demands authentication (Negotiate, NTLM, Basic) and the probe has no credentials: every tunnel is proxy/auth-required, with the schemes named.',
    expected: [
      { checkKind: 'tcp', code: 'proxy/auth-required', path: 'proxy' },
      { checkKind: 'https', code: 'proxy/auth-required' },
      { checkKind: 'websocket', code: 'proxy/auth-required' },
      { checkKind: 'throughput', code: 'proxy/auth-required' },
      { checkKind: 'latency', code: 'proxy/auth-required' },
      { checkKind: 'tls', code: 'probe/skipped' },
      { checkKind: 'http2', code: 'probe/skipped' },
    ],
    options: (p) => ({ proxy: p.authProxy.url }),
  },
  {
    name: 'proxy-auth-basic',
    description:
      'The same authenticating proxy, with Basic credentials in the proxy URL: everything must pass, via the proxy.',
    expected: PROXIED_OK,
    options: (p) => {
      const url = new URL(p.authProxy.url);
      url.username = encodeURIComponent(LAB_PROXY_AUTH.basic?.user ?? '');
      url.password = encodeURIComponent(LAB_PROXY_AUTH.basic?.password ?? '');
      return { proxy: url.href };
    },
  },
  {
    name: 'dns-failure',
    description:
      'The resolver answers NXDOMAIN for *.static.microsoft (a broken split-horizon zone); other names resolve.',
    expected: blockedCascade('dns/nxdomain'),
    options: (p) => ({ dnsServers: [p.brokenDns.address] }),
  },
  {
    name: 'os-only-name',
    description: `The machine's hosts file lists the *.${BLOCKED_DOMAIN} hosts, while the DNS servers it is configured with answer NXDOMAIN for them: applications, which ask the OS, reach them, so everything must pass, and the DNS check must record that the servers disagree with the OS.`,
    expected: [
      ...ALL_OK,
      { checkKind: 'tcp', code: 'ok', path: 'direct' },
      { checkKind: 'dns', host: BLOCKED_DOMAIN, code: 'ok', osDisagrees: true },
      { checkKind: 'dns', code: 'ok' },
    ],
    options: (p) => ({
      system: labMachine({
        hostsFile: Object.fromEntries(
          labHosts()
            .filter((h) => h === BLOCKED_DOMAIN || h.endsWith(`.${BLOCKED_DOMAIN}`))
            .map((h) => [h, p.frontDoor.host]),
        ),
        dnsServers: [p.brokenDns.address],
        wpad: p.wpad,
      }),
    }),
  },
  {
    name: 'wpad',
    description: `Nothing is configured but \`--proxy auto\`: no proxy variables, no desktop settings, only the DNS search domain, under which ${LAB_WPAD_URL} (served by the lab) names the CONNECT proxy. The probe must find it and go through it.`,
    expected: PROXIED_OK,
    options: () => ({ proxy: 'auto' }),
  },
  {
    name: 'impersonated-intermediate',
    description:
      "A TLS inspection proxy signs with a sub-CA named exactly like the service's issuing CA, under a corporate root the machine trusts: the probe must call it intercepted and impersonating, never genuine.",
    expected: [
      {
        checkKind: 'tls',
        code: 'tls/intercepted',
        vendor: 'unknown interceptor',
        impersonates: LAB_ISSUING_NAME,
      },
      { checkKind: 'https', code: ['ok', 'tls/intercepted'] },
      { checkKind: 'websocket', code: ['ok', 'tls/intercepted'] },
      { checkKind: 'http2', code: 'ok' },
    ],
    options: (p) => ({ proxy: p.impostor.url, extraTrustedCas: [p.pki.impostor.trustPem] }),
  },
  {
    name: 'sets-intercepted',
    description: `A Zscaler-style TLS inspection proxy whose bypass list covers every catalog set but ${INTERCEPTED_SETS.join(' and ')}: the endpoint sweep must find exactly those sets' hosts intercepted, naming Zscaler, while the critical hosts and every other required endpoint stay genuine.`,
    expected: [
      ...PROXIED_OK,
      {
        checkKind: 'sweep',
        sets: [...INTERCEPTED_SETS],
        code: 'tls/intercepted',
        vendor: 'Zscaler',
        path: 'proxy',
      },
    ],
    options: (p) => ({ proxy: p.zscalerSets.url, extraTrustedCas: [p.pki.zscaler.trustPem], sweep: {} }),
  },
  {
    name: 'ws-refused',
    description:
      'A secure web gateway inspects the WebSocket host with a corporate CA the machine trusts and answers the upgrade with 403; plain HTTPS is untouched.',
    // The gateway's CA matches no vendor in the table: the probe must say so rather than guess.
    expected: [{ checkKind: 'websocket', code: 'ws/upgrade-refused', vendor: 'unknown interceptor' }],
    options: (p) => ({ proxy: p.wsRefusing.url, extraTrustedCas: [p.pki.unknown.trustPem] }),
  },
  {
    name: 'ws-reset',
    description: `A proxy tunnels the WebSocket fine, then kills it ${WS_RESET_AFTER_MS / 1000} s after it opened, while the probe holds it.`,
    expected: [{ checkKind: 'websocket', code: 'ws/reset-after-open' }],
    options: (p) => ({ proxy: p.wsResetting.url, wsHoldSeconds: WS_RESET_HOLD_SECONDS }),
  },
  {
    name: 'quic-blocked',
    description:
      'A firewall passes TCP to the front door but drops UDP: QUIC gets no answer while HTTPS works.',
    expected: [{ checkKind: 'quic', code: 'quic/no-reply' }],
    options: (p) => ({
      profile: retargetProfile(p.profile, { tcpPort: p.firewall.port, udpPort: p.firewall.port }),
    }),
  },
  {
    name: 'h2-downgraded',
    description:
      'A FortiGate-style inspection proxy re-signs with its CA and offers only HTTP/1.1: the probe must see the interception and the HTTP/2 downgrade.',
    expected: [
      { checkKind: 'http2', code: 'http/downgraded' },
      { checkKind: 'tls', code: 'tls/intercepted', vendor: 'Fortinet FortiGate' },
      { checkKind: 'https', code: ['ok', 'tls/intercepted'] },
      { checkKind: 'websocket', code: ['ok', 'tls/intercepted'] },
    ],
    options: (p) => ({ proxy: p.fortigate.url, extraTrustedCas: [p.pki.fortinet.trustPem] }),
  },
  {
    name: 'slow-path',
    description: `Traffic is backhauled over a slow WAN link (${BACKHAUL.latencyMs} ms each way, ${(BACKHAUL.bytesPerSecond * 8) / 1e6} Mbit/s) to a proxy: latency and throughput must be reported as slow.`,
    expected: [
      { checkKind: 'latency', code: 'perf/slow-latency' },
      { checkKind: 'throughput', code: 'perf/slow-throughput' },
    ],
    options: (p) => ({ proxy: `http://${p.backhaul.host}:${p.backhaul.port}` }),
  },
  {
    name: 'resolver-far',
    description: `The office's resolver forwards to a DNS service far away: the probe's lookups work, and the whoami name reports the resolver as ${FAR_RESOLVER_ADDRESS}, which the collector's geo table places far from the office (the probe cannot judge distance; the collector does).`,
    expected: [{ checkKind: 'resolver', code: 'ok', resolverAddress: FAR_RESOLVER_ADDRESS }],
    options: (p) => ({ dnsServers: [p.farDns.address] }),
  },
  {
    name: 'teams-blocked',
    description:
      'A firewall drops UDP 3478–3481 to the Teams relay while TCP 443 to it passes: the STUN requests get no answer and calls would relay over TCP.',
    expected: [{ checkKind: 'teams-media', code: 'media/udp-blocked' }],
    options: (p) => ({
      profile: retargetTeamsMedia(p.profile, { udpPorts: p.firewall.mediaPorts, tcpPort: p.firewall.port }),
    }),
  },
  {
    name: 'distant-front-door',
    description: `DNS sends the core workloads (sign-in, Exchange, SharePoint, Teams) to a distant front door: the lab front door's second address, ${DISTANT_FRONT_DOOR.address}, ${DISTANT_FRONT_DOOR.latencyMs} ms farther each way. Every check passes; the workloads' connections land on ${DISTANT_FRONT_DOOR.address}, which the collector compares with the front door other offices nearby use.`,
    expected: [
      { checkKind: 'tcp', workloads: true, code: 'ok', landedOn: DISTANT_FRONT_DOOR.address },
      { checkKind: 'https', workloads: true, code: 'ok' },
    ],
    options: (p) => ({ dnsServers: [p.distantDns.address] }),
  },
  {
    name: 'teams-degraded',
    description: `Teams media crosses a congested link (${TEAMS_DEGRADED_LINK.latencyMs} ms each way, up to ${TEAMS_DEGRADED_LINK.jitterMs} ms of jitter, ${TEAMS_DEGRADED_LINK.lossPercent} % loss): the relay answers, but with loss and round trips over Microsoft's targets (loss < 1 %, RTT < 100 ms).`,
    expected: [{ checkKind: 'teams-media', code: 'media/degraded' }],
    options: (p) => ({ profile: retargetTeamsMedia(p.profile, { udpPorts: p.teamsShaper.ports }) }),
  },
  {
    name: 'bufferbloat',
    description: `The office uplink (${(BLOATED_UPLINK.bytesPerSecond * 8) / 1e6} Mbit/s) queues up to ${BLOATED_UPLINK.bufferBytes / 1e6} MB in front of the proxy: idle, round trips are short and the download runs fast enough, but while it runs everything else waits behind its queued bytes — the latency under load must exceed the idle latency by at least ${BUFFERBLOAT_MIN_MS} ms.`,
    expected: [
      ...PROXIED_OK.filter((e) => e.checkKind !== 'throughput'),
      { checkKind: 'throughput', code: 'ok', bufferbloatMs: { min: BUFFERBLOAT_MIN_MS } },
    ],
    options: (p) => ({ proxy: `http://${p.bloatedUplink.host}:${p.bloatedUplink.port}` }),
  },
];
