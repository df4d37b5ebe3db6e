/**
 * @module insights/observation
 * Turns one stored ProbeReport into the compact facts the insight rules need:
 * per-host HTTPS attempts to the critical domains with failure codes,
 * WebSocket attempts, certificate-chain verdicts, QUIC replies while TCP
 * worked, HTTP/2 downgrades, latency and throughput, the device and the
 * egress location, idle and loaded latency, and the Teams media runs (blocked or degraded, with
 * their loss, RTT, jitter, ports answered and TCP fallback). Everything else in the report (timings, headers, chains)
 * stays in the raw report for drill-down; the engine never re-reads it.
 */
import type { CheckResult, ProbeReport, TlsVerdict } from '@netinsights/protocol';
import { hashDevice } from './device-sketch.ts';
import { type FrontDoorSample, frontDoorSamples } from './front-door-facts.ts';
import { hostInDomain } from './kinds.ts';
import { addCount } from './own-keys.ts';
import { type SweptEndpoint, sweptEndpoints } from './required-endpoint-facts.ts';
import type { ResolverSeen } from './resolver-facts.ts';
import { emptyTally, recordAttempt, type Tally } from './tally.ts';

/** Where the collector's GeoIP lookup places the report's egress address. */
export interface EgressGeo {
  latitude: number;
  longitude: number;
  city?: string | null;
  country?: string | null;
}

/** Certificate chains seen, one verdict per host per report. */
export interface TlsFacts {
  /** attempts = hosts with a verdict; failures = hosts served an interceptor's chain. */
  tally: Tally;
  /** interceptor vendor → hosts */
  vendors: Record<string, number>;
  /** interceptor issuer (as the admin will search for it) → hosts */
  issuers: Record<string, number>;
}

/** One Teams media run, when it says something about the UDP path. */
export interface TeamsMediaRun {
  host: string;
  /** `media/udp-blocked` or `media/degraded`; absent when the run met the targets. */
  failureCode?: string;
  /** Set when some port answered. */
  lossPercent?: number;
  rttMs?: number;
  jitterMs?: number;
  mos?: number;
  ports: { port: number; answered: boolean }[];
  /** Whether TCP to the relay connected, when the probe tried. */
  tcpOk?: boolean;
}

/** The insight-relevant facts of one report. */
export interface Observation {
  reportId: string;
  /** When the collector received the report (epoch ms); probe clocks are not trusted for bucketing. */
  at: number;
  /** Hash of the device identity (see device-sketch); the id itself is not kept. */
  device: number;
  /** HTTPS to hosts in the critical domains. */
  https: Tally;
  websocket: Tally;
  tls: TlsFacts;
  /** QUIC probes to hosts whose TCP/443 worked in the same run; failure = no reply on UDP/443. */
  quic: Tally;
  /** HTTP/2 checks where the genuine origin offers h2; failure = the client ended on HTTP/1.1. */
  http2: Tally;
  latencyMs?: number;
  throughputMbps?: number;
  egress?: EgressGeo;
  teamsMedia?: TeamsMediaRun;
  /** The endpoint sweep's hosts, when the report has a sweep. */
  sweep?: SweptEndpoint[];
  /**
   * What the probe's resolver check found: for `whoami` the address a public
   * whoami name answered; for `zone` only that it asked (the collector's own
   * sighting, claimed at record time, names the resolver).
   */
  resolver?: { method: 'zone' | 'whoami'; address?: string };
  /** The resolver, identified and geolocated (set by the engine's record step). */
  resolverSeen?: ResolverSeen;
  /** Direct connections to workload hosts: the front door address each landed on, and its connect time. */
  frontDoors?: FrontDoorSample[];
  /**
   * Latency idle and under load: the latency check's median (idle, alone on
   * the path) and the throughput check's loaded median, when both exist and
   * the download carried at least two loaded samples. Only
   * `latency-under-load` reads it; `latencyMs` above stays the idle one.
   */
  loadLatency?: { idleMs: number; loadedMs: number };
}

export interface ObserveInput {
  report: ProbeReport;
  receivedAt: Date | number | string;
  egressGeo?: EgressGeo | null;
  /** The resolver, identified and geolocated (the engine's record step finds it; tests give it). */
  resolverSeen?: ResolverSeen | null;
}

const VERDICT_RANK: Record<TlsVerdict, number> = { genuine: 0, untrusted: 1, intercepted: 2 };

/**
 * Which identity counts as "a device". The probe sends a random per-install id
 * when the admin allows it; without one we fall back to the hostname, then to
 * the machine's LAN addresses, so two laptops are not counted as one.
 */
export function deviceIdentity(report: ProbeReport): string {
  const env = report.environment;
  if (env.deviceId) return `id:${env.deviceId}`;
  if (env.hostname) return `host:${env.hostname.toLowerCase()}`;
  const addrs = env.localAddresses
    .map((a) => a.address)
    .sort()
    .join(',');
  return addrs ? `addr:${addrs}` : 'unknown';
}

/** Outcomes that say nothing about the network: the probe cut or skipped the check itself. */
function isProbeArtefact(r: CheckResult): boolean {
  return r.outcome.status === 'fail' && r.outcome.layer === 'probe';
}

/**
 * A chain the machine itself does not trust, served where the probe could
 * still look past it: the probe carries on to see what is behind, but the
 * user's apps stop at the certificate error.
 */
function untrustedChain(r: CheckResult): string | undefined {
  const t = r.tls;
  if (!t || t.trustedBySystem || t.verdict === 'genuine') return undefined;
  return `tls/${t.verdict}`;
}

/**
 * Whether an HTTPS check means the user could not reach the service.
 * Not a connectivity failure: a slow answer (perf/*), an error status the
 * genuine origin itself sent (anonymous requests get 4xx; that is the service,
 * not the path), and an interceptor's chain that the machine trusts (the
 * request went through; tls-interception reports that). A chain the machine
 * does not trust is one, even when the probe's request went through.
 */
function httpsFailure(r: CheckResult): string | undefined {
  if (r.outcome.status === 'ok') return untrustedChain(r);
  const code = `${r.outcome.layer}/${r.outcome.class}`;
  if (r.outcome.layer === 'perf') return undefined;
  if (code === 'http/status' && r.http?.servedBy === 'origin') return undefined;
  if (code === 'tls/intercepted' && r.tls?.trustedBySystem) return undefined;
  return code;
}

function websocketFailure(r: CheckResult): string | undefined {
  if (r.outcome.status === 'ok') return untrustedChain(r);
  if (r.outcome.layer === 'perf') return undefined;
  // A genuine origin answering the upgrade with 401/403 crossed the path: a pass for the network question.
  if (r.websocket?.originAnswered && r.outcome.layer === 'ws' && r.outcome.class === 'upgrade-refused')
    return undefined;
  if (r.outcome.layer === 'tls' && r.outcome.class === 'intercepted' && r.tls?.trustedBySystem)
    return undefined;
  return `${r.outcome.layer}/${r.outcome.class}`;
}

function receivedMs(v: Date | number | string): number {
  const ms = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Date.parse(v);
  if (!Number.isFinite(ms)) throw new TypeError(`receivedAt is not a valid time: ${String(v)}`);
  return ms;
}

function medianOf(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/**
 * A Teams media run counts when it judged the UDP path: some port answered,
 * or none did while TCP to the relay worked (blocked). Silence with TCP
 * failing too (the relay is unreachable, not UDP), a send failure on the
 * machine and a failed lookup say nothing about UDP, and are left out.
 */
function teamsMediaRun(r: CheckResult, host: string): TeamsMediaRun | undefined {
  const t = r.teamsMedia;
  if (!t) return undefined;
  const code = r.outcome.status === 'fail' ? `${r.outcome.layer}/${r.outcome.class}` : undefined;
  if (code !== undefined && code !== 'media/udp-blocked' && code !== 'media/degraded') return undefined;
  if (t.answered === 0 && code !== 'media/udp-blocked') return undefined;
  return {
    host,
    ...(code ? { failureCode: code } : {}),
    ...(t.answered > 0
      ? {
          lossPercent: t.lossPercent,
          ...(t.rttMedianMs !== undefined ? { rttMs: t.rttMedianMs } : {}),
          ...(t.jitterMs !== undefined ? { jitterMs: t.jitterMs } : {}),
          ...(t.mos !== undefined ? { mos: t.mos } : {}),
        }
      : {}),
    ports: t.ports.slice(0, 16).map((p) => ({ port: p.port, answered: p.answered > 0 })),
    ...(t.tcpFallback ? { tcpOk: t.tcpFallback.ok } : {}),
  };
}

/** Extracts the insight facts from one report. Pure: same report, same facts. */
export function observe(input: ObserveInput): Observation {
  const { report } = input;
  const at = receivedMs(input.receivedAt);
  const device = hashDevice(deviceIdentity(report));
  const reportId = report.reportId;
  const obs: Observation = {
    reportId,
    at,
    device,
    https: emptyTally(),
    websocket: emptyTally(),
    tls: { tally: emptyTally(), vendors: {}, issuers: {} },
    quic: emptyTally(),
    http2: emptyTally(),
  };
  const base = { device, at, reportId };
  const chains = new Map<
    string,
    { verdict: TlsVerdict; vendor?: string; issuer?: string; workload?: string }
  >();
  const latencies: number[] = [];
  const throughputs: number[] = [];
  let loadedMs: number | undefined;

  for (const r of report.results) {
    if (isProbeArtefact(r)) continue;
    const host = r.target.host.toLowerCase();

    if (r.tls) {
      const prev = chains.get(host);
      if (!prev || VERDICT_RANK[r.tls.verdict] > VERDICT_RANK[prev.verdict]) {
        chains.set(host, {
          verdict: r.tls.verdict,
          ...(r.tls.vendor ? { vendor: r.tls.vendor } : {}),
          ...(r.tls.issuer ? { issuer: r.tls.issuer } : {}),
          ...(r.target.workload ? { workload: r.target.workload } : {}),
        });
      }
    }

    switch (r.kind) {
      case 'https': {
        const domain = r.target.domain?.toLowerCase();
        if (!domain || !hostInDomain(host, domain)) break;
        const failureCode = httpsFailure(r);
        recordAttempt(obs.https, { ...base, host, domain, ...(failureCode ? { failureCode } : {}) });
        break;
      }
      case 'websocket': {
        const failureCode = websocketFailure(r);
        recordAttempt(obs.websocket, {
          ...base,
          host,
          ...(r.target.workload ? { workload: r.target.workload } : {}),
          ...(failureCode ? { failureCode } : {}),
        });
        break;
      }
      case 'http2': {
        if (r.http2?.originOffersH2 !== true) break;
        const downgraded = r.http2.downgraded || (r.http2.negotiated !== null && r.http2.negotiated !== 'h2');
        recordAttempt(obs.http2, {
          ...base,
          host,
          ...(r.target.workload ? { workload: r.target.workload } : {}),
          ...(downgraded ? { failureCode: 'http/downgraded' } : {}),
        });
        break;
      }
      case 'quic': {
        // Silence on UDP/443 only means "blocked" when TCP/443 to the same host worked in this run.
        if (r.quic?.tcpReachable !== true || r.quic.attempts === 0) break;
        if (r.outcome.status === 'fail' && r.outcome.class === 'send-failed') break;
        const blocked = r.quic.replies === 0;
        recordAttempt(obs.quic, { ...base, host, ...(blocked ? { failureCode: 'quic/no-reply' } : {}) });
        break;
      }
      case 'latency': {
        const m = r.latency?.medianMs ?? medianOf(r.latency?.samplesMs ?? []);
        if (m !== undefined) latencies.push(m);
        break;
      }
      case 'throughput': {
        const t = r.throughput;
        // A download too small to time carries no speed (and is a probe-layer outcome, skipped above).
        if (t?.mbps !== undefined && t.bytes > 0 && t.durationMs > 0) throughputs.push(t.mbps);
        // One sample says too little: a single stalled connect would read as a queue.
        if ((t?.loadedLatency?.samplesMs.length ?? 0) >= 2)
          loadedMs = t?.loadedLatency?.medianMs ?? medianOf(t?.loadedLatency?.samplesMs ?? []);
        break;
      }
      case 'teams-media': {
        const run = teamsMediaRun(r, host);
        if (run) obs.teamsMedia = run;
        break;
      }
      default:
        break;
    }
  }

  for (const [host, c] of chains) {
    const intercepted = c.verdict === 'intercepted';
    recordAttempt(obs.tls.tally, {
      ...base,
      host,
      ...(c.workload ? { workload: c.workload } : {}),
      ...(intercepted ? { failureCode: 'tls/intercepted' } : {}),
    });
    if (!intercepted) continue;
    const vendor = c.vendor ?? 'unknown interceptor';
    addCount(obs.tls.vendors, vendor);
    if (c.issuer) addCount(obs.tls.issuers, c.issuer);
  }
  const latencyMs = medianOf(latencies);
  if (latencyMs !== undefined) obs.latencyMs = latencyMs;
  const throughputMbps = medianOf(throughputs);
  if (throughputMbps !== undefined) obs.throughputMbps = throughputMbps;
  const swept = sweptEndpoints(report);
  if (swept) obs.sweep = swept;
  const doors = frontDoorSamples(report.results);
  if (doors.length > 0) obs.frontDoors = doors;
  if (latencyMs !== undefined && loadedMs !== undefined) obs.loadLatency = { idleMs: latencyMs, loadedMs };
  const g = input.egressGeo;
  if (g && Number.isFinite(g.latitude) && Number.isFinite(g.longitude)) obs.egress = { ...g };
  const resolver = input.report.results.find(
    (r) => r.kind === 'resolver' && r.outcome.status === 'ok',
  )?.resolver;
  if (resolver)
    obs.resolver = { method: resolver.method, ...(resolver.address ? { address: resolver.address } : {}) };
  if (input.resolverSeen) obs.resolverSeen = { ...input.resolverSeen };
  return obs;
}
