/**
 * @module test/insights/helpers/reports
 * Hand-built ProbeReport v1 documents for the insight tests: each helper makes
 * one check result as the probe would, and `report()` wraps them in a report
 * that is validated against the protocol schema, so the tests never feed the
 * engine something the collector would have rejected.
 */
import { randomUUID } from 'node:crypto';
import {
  type CheckResult,
  compileValidator,
  type FailureClass,
  type FailureLayer,
  fail,
  type Outcome,
  ok,
  ProbeReport,
  type TlsDetail,
} from '@netinsights/protocol';

const validator = compileValidator<ProbeReport>(ProbeReport, 'ProbeReport');

export const CRITICAL_HOSTS = {
  'cloud.microsoft': ['m365.cloud.microsoft', 'teams.cloud.microsoft', 'outlook.cloud.microsoft'],
  'static.microsoft': ['res.public.onecdn.static.microsoft', 'tscdn.m365.static.microsoft'],
  'usercontent.microsoft': ['forms.guest.usercontent.microsoft'],
} as const;

export function failure<L extends FailureLayer>(layer: L, cls: FailureClass<L>): Outcome {
  return fail(layer, cls, `${layer}/${cls} in a test`);
}

function genuineTls(): TlsDetail {
  return {
    protocol: 'TLSv1.3',
    alpnOffered: ['h2', 'http/1.1'],
    alpnNegotiated: 'h2',
    chain: [],
    verdict: 'genuine',
    matchedCa: 'DigiCert Global Root G2',
    trustedBySystem: true,
  };
}

/** A chain re-signed by an interceptor the machine trusts (an enterprise CA pushed to endpoints). */
export function interceptedTls(vendor: string, issuer: string): TlsDetail {
  return {
    protocol: 'TLSv1.3',
    alpnOffered: ['h2', 'http/1.1'],
    alpnNegotiated: 'http/1.1',
    chain: [
      {
        subject: 'CN=m365.cloud.microsoft',
        issuer,
        subjectCN: 'm365.cloud.microsoft',
        issuerCN: issuer.replace(/^.*CN=/, ''),
        validFrom: '2026-01-01T00:00:00Z',
        validTo: '2027-01-01T00:00:00Z',
        sha256: 'AA:BB',
        spkiSha256: 'i7WTqTvh0OioIruIfFR4kMPnBqrS2rdiVPl/s2uC/CY=',
      },
    ],
    verdict: 'intercepted',
    vendor,
    issuer,
    trustedBySystem: true,
  };
}

const base = (kind: CheckResult['kind'], host: string, outcome: Outcome) => ({
  id: `${kind}:${host}:${randomUUID().slice(0, 8)}`,
  kind,
  target: { host, port: 443 },
  path: { type: 'direct' as const },
  outcome,
  durationMs: 42,
});

/** HTTPS GET to a host in a critical domain. */
export function https(
  host: string,
  domain: string,
  outcome: Outcome = ok(),
  opts: { tls?: TlsDetail; servedBy?: 'origin' | 'proxy'; status?: number } = {},
): CheckResult {
  const reachedTls = outcome.status === 'ok' || ['tls', 'http'].includes(outcome.layer);
  return {
    ...base('https', host, outcome),
    target: { host, port: 443, domain, url: `https://${host}/` },
    ...(reachedTls ? { tls: opts.tls ?? genuineTls() } : {}),
    ...(outcome.status === 'ok' || outcome.layer === 'http'
      ? { http: { status: opts.status ?? 200, httpVersion: '2', servedBy: opts.servedBy ?? 'origin' } }
      : {}),
  };
}

export function tlsCheck(host: string, tls: TlsDetail): CheckResult {
  const outcome =
    tls.verdict === 'genuine'
      ? ok()
      : failure('tls', tls.verdict === 'intercepted' ? 'intercepted' : 'untrusted');
  return { ...base('tls', host, outcome), tls };
}

export function websocket(
  host: string,
  outcome: Outcome = ok(),
  ws: { originAnswered?: boolean; upgradeStatus?: number; heldMs?: number } = {},
): CheckResult {
  return {
    ...base('websocket', host, outcome),
    target: { host, port: 443, url: `wss://${host}/m365Copilot/Chathub/probe` },
    websocket: { holdTargetMs: 5000, ...ws },
  };
}

/** `tcpReachable: 'unknown'` leaves the field out, as a probe that did not test TCP would. */
export function quic(host: string, replies: number, tcpReachable: boolean | 'unknown' = true): CheckResult {
  return {
    ...base('quic', host, replies > 0 ? ok() : failure('quic', 'no-reply')),
    target: { host, port: 443, transport: 'udp' },
    quic: {
      attempts: 3,
      replies,
      versions: replies > 0 ? ['00000001'] : [],
      ...(tcpReachable === 'unknown' ? {} : { tcpReachable }),
    },
  };
}

export function http2(host: string, originOffersH2: boolean | null, negotiated: string | null): CheckResult {
  const downgraded = originOffersH2 === true && negotiated === 'http/1.1';
  return {
    ...base('http2', host, downgraded ? failure('http', 'downgraded') : ok()),
    http2: { originOffersH2, negotiated, downgraded },
  };
}

/** A Teams media run to the relay on UDP 3478–3481: answered, blocked (no answer, TCP works) or degraded. */
export function teamsMedia(state: 'ok' | 'blocked' | 'degraded'): CheckResult {
  const host = 'worldaz.tr.teams.microsoft.com';
  const answered = state === 'blocked' ? 0 : state === 'degraded' ? 90 : 125;
  const outcome =
    state === 'ok'
      ? ok()
      : state === 'blocked'
        ? failure('media', 'udp-blocked')
        : failure('media', 'degraded');
  return {
    ...base('teams-media', host, outcome),
    target: { host, port: 3478, transport: 'udp' },
    teamsMedia: {
      host,
      intervalMs: 20,
      durationMs: 2500,
      ports: [3478, 3479, 3480, 3481].map((port) => ({
        port,
        sent: 125,
        answered,
        lossPercent: ((125 - answered) / 125) * 100,
      })),
      sent: 500,
      answered: answered * 4,
      lossPercent: state === 'blocked' ? 100 : ((125 - answered) / 125) * 100,
      ...(answered > 0
        ? {
            rttMedianMs: state === 'degraded' ? 180 : 24,
            rttP95Ms: state === 'degraded' ? 260 : 30,
            jitterMs: state === 'degraded' ? 45 : 3,
            mos: state === 'degraded' ? 3.1 : 4.38,
            reflexive: '203.0.113.7:50000',
          }
        : {}),
      reordered: 0,
      badAnswers: 0,
      tcpFallback: { port: 443, ok: true, via: 'direct' },
      thresholds: { lossPercent: 1, rttMs: 100, jitterMs: 30 },
    },
  };
}

export function latency(medianMs: number): CheckResult {
  return {
    ...base('latency', 'm365.cloud.microsoft', ok()),
    latency: { method: 'tcp-connect', samplesMs: [medianMs - 1, medianMs, medianMs + 1], medianMs },
  };
}

export function throughput(mbps: number, loadedMedianMs?: number): CheckResult {
  const durationMs = 2000;
  return {
    ...base('throughput', 'res.public.onecdn.static.microsoft', ok()),
    throughput: {
      bytes: Math.round((mbps * 1e6 * durationMs) / 8000),
      durationMs,
      mbps,
      limitedBy: 'time',
      ...(loadedMedianMs !== undefined
        ? {
            loadedLatency: {
              method: 'tcp-connect' as const,
              samplesMs: [loadedMedianMs - 2, loadedMedianMs, loadedMedianMs + 2],
              medianMs: loadedMedianMs,
            },
          }
        : {}),
    },
  };
}

/** A resolver check that identified the resolver as `address` by `method`. */
export function resolverCheck(method: 'zone' | 'whoami', address: string): CheckResult {
  const name = method === 'zone' ? 'probe.example.net' : 'whoami.akamai.net';
  return { ...base('resolver', name, ok()), resolver: { method, name, address } };
}

/**
 * A workload host's TCP connection (landed on `address`, direct or through a
 * proxy) and its HTTPS check, whose TLS handshake took `handshakeMs` (what
 * front doors are read from).
 */
export function workloadDoor(
  host: string,
  workload: string,
  address: string | undefined,
  handshakeMs: number,
  opts: { via?: 'direct' | 'proxy'; tls?: TlsDetail } = {},
): CheckResult[] {
  const path: CheckResult['path'] =
    (opts.via ?? 'direct') === 'direct'
      ? { type: 'direct' }
      : { type: 'proxy', proxy: 'http://proxy.example:3128' };
  const target = { host, port: 443, workload };
  return [
    {
      ...base('tcp', host, ok()),
      target,
      path,
      timings: { connectMs: 1 },
      tcp: address === undefined ? {} : { remoteAddress: address, remotePort: 443 },
    },
    {
      ...base('https', host, ok()),
      target: { ...target, url: `https://${host}/` },
      path,
      timings: { connectMs: 1, tlsMs: handshakeMs },
      tls: opts.tls ?? genuineTls(),
      http: { status: 401, httpVersion: '2', servedBy: 'origin' },
    },
  ];
}

export function probeArtefact(kind: CheckResult['kind'], host: string): CheckResult {
  return base(kind, host, failure('probe', 'deadline'));
}

/** Wraps check results in a schema-valid report from `deviceId`. */
export function report(
  deviceId: string | undefined,
  results: CheckResult[],
  env: { hostname?: string; localAddress?: string } = {},
): ProbeReport {
  const doc: ProbeReport = {
    schema: 'netinsights.probe-report/v1',
    reportId: randomUUID(),
    probe: { version: '0.1.0', profile: 'm365', profileVersion: '2026-11-23' },
    startedAt: '2026-11-23T10:00:00.000Z',
    finishedAt: '2026-11-23T10:00:05.000Z',
    environment: {
      os: { platform: 'linux', release: '6.8.0', arch: 'x64' },
      ...(deviceId ? { deviceId } : {}),
      ...(env.hostname ? { hostname: env.hostname } : {}),
      proxy: { mode: 'direct', source: 'none' },
      dnsResolvers: ['10.0.0.53'],
      localAddresses: env.localAddress
        ? [{ interface: 'eth0', address: env.localAddress, cidr: `${env.localAddress}/24`, family: 'IPv4' }]
        : [],
    },
    results,
  };
  return validator.parse(doc);
}

/** A report where every critical host is tried once over HTTPS with `outcome`. */
export function criticalRound(deviceId: string, outcome: (host: string) => Outcome): ProbeReport {
  const results = Object.entries(CRITICAL_HOSTS).flatMap(([domain, hosts]) =>
    hosts.map((h) => https(h, domain, outcome(h))),
  );
  return report(deviceId, results);
}

/**
 * A report whose endpoint sweep found these hosts (`ok`, or a failure code
 * with its set and area), validated like every report here.
 */
export function sweepReport(
  deviceId: string | undefined,
  hosts: { host: string; code: string; sets: number[]; serviceArea: string; vendor?: string }[],
): ProbeReport {
  const doc: ProbeReport = {
    ...report(deviceId, []),
    sweep: {
      catalog: { source: 'snapshot' },
      concurrency: 16,
      durationMs: 900,
      hosts: hosts.map((h) => ({
        host: h.host,
        port: 443,
        sets: h.sets,
        serviceAreas: [h.serviceArea],
        category: 'Allow',
        route: 'proxy',
        proxy: 'http://proxy.contoso.example:8080',
        code: h.code,
        totalMs: 120,
        ...(h.code === 'tls/intercepted'
          ? { tls: { verdict: 'intercepted', ...(h.vendor ? { vendor: h.vendor } : {}) } }
          : h.code === 'ok'
            ? { tls: { verdict: 'genuine' } }
            : {}),
        ...(h.code === 'proxy/forbidden' ? { status: 403, servedBy: 'proxy' } : {}),
      })),
      skipped: [],
    },
  };
  return validator.parse(doc);
}
