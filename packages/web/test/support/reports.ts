/**
 * @module test/support/reports
 * ProbeReports (protocol v1) as a probe in an office behind a filtering proxy
 * would send them: HTTPS to hosts of the three critical Microsoft domains,
 * where the proxy refuses CONNECT to `*.static.microsoft` (proxy/forbidden)
 * in a blocked office, a trusted interceptor (Zscaler) re-signs every chain
 * in an intercepted office, and everything passes in a healthy one; plus a
 * TLS chain check and latency / throughput samples. Used to seed the real
 * server through POST /api/v1/reports with an agent token.
 */
import { randomUUID } from 'node:crypto';
import type { CertificateInfo, CheckResult, ProbeReport } from '@netinsights/protocol';

const HOSTS: { host: string; domain: string }[] = [
  { host: 'm365.cloud.microsoft', domain: 'cloud.microsoft' },
  { host: 'teams.cloud.microsoft', domain: 'cloud.microsoft' },
  { host: 'res.public.onecdn.static.microsoft', domain: 'static.microsoft' },
  { host: 'teams.public.onecdn.static.microsoft', domain: 'static.microsoft' },
  { host: 'forms.guest.usercontent.microsoft', domain: 'usercontent.microsoft' },
];

const PROXY = 'http://proxy.corp.example:3128';
/** Every check goes through the office's proxy, configured in the environment. */
const VIA_PROXY = { type: 'proxy', proxy: PROXY, source: 'env' } as const;

const DAY = 86_400_000;
const fingerprint = (seed: number) =>
  Array.from({ length: 32 }, (_, i) => ((i * seed + 11) % 256).toString(16).padStart(2, '0'))
    .join(':')
    .toUpperCase();

/**
 * One certificate of a chain: valid from `days[0]` days before `now` to
 * `days[1]` days after it, with a fingerprint made from `seed`.
 */
function cert(
  now: number,
  c: Omit<CertificateInfo, 'validFrom' | 'validTo' | 'sha256'> & { days: [number, number]; seed: number },
): CertificateInfo {
  const { days, seed, spkiSha256, subjectAltNames, isCA, ...names } = c;
  return {
    ...names,
    validFrom: new Date(now - days[0] * DAY).toISOString(),
    validTo: new Date(now + days[1] * DAY).toISOString(),
    sha256: fingerprint(seed),
    spkiSha256,
    ...(subjectAltNames ? { subjectAltNames } : {}),
    ...(isCA ? { isCA } : {}),
  };
}

/** What a Zscaler-style interceptor trusted by the machine serves instead of the service's chain. */
function interceptedTls(host: string, now: number): NonNullable<CheckResult['tls']> {
  const issuer = 'CN=Zscaler Intermediate Root CA (zscaler.net), O=Zscaler Inc., C=US';
  return {
    protocol: 'TLSv1.3',
    alpnOffered: ['h2', 'http/1.1'],
    alpnNegotiated: 'h2',
    verdict: 'intercepted',
    vendor: 'Zscaler',
    issuer,
    trustedBySystem: true,
    chain: [
      cert(now, {
        subject: `CN=${host}`,
        issuer,
        subjectCN: host,
        issuerCN: 'Zscaler Intermediate Root CA (zscaler.net)',
        issuerO: 'Zscaler Inc.',
        days: [2, 12],
        seed: 41,
        spkiSha256: 'aW50ZXJjZXB0ZWQgbGVhZiBrZXkgZm9yIHRlc3RzIQ==',
        subjectAltNames: [host],
      }),
      cert(now, {
        subject: issuer,
        issuer: 'CN=Zscaler Root CA, O=Zscaler Inc., C=US',
        subjectCN: 'Zscaler Intermediate Root CA (zscaler.net)',
        issuerCN: 'Zscaler Root CA',
        days: [400, 2000],
        seed: 59,
        spkiSha256: 'enNjYWxlciBpbnRlcm1lZGlhdGUga2V5IGZvciB0ZXN0',
        isCA: true,
      }),
    ],
  };
}

function httpsCheck(
  host: string,
  domain: string,
  blocked: boolean,
  intercepted: boolean,
  now: number,
): CheckResult {
  const refused = blocked && domain === 'static.microsoft';
  const check = {
    id: `https:${host}`,
    kind: 'https',
    target: { host, port: 443, url: `https://${host}/`, domain },
    path: VIA_PROXY,
  } as const;
  if (intercepted)
    return {
      ...check,
      outcome: {
        status: 'fail',
        layer: 'tls',
        class: 'intercepted',
        message: 'the certificate chain was issued by Zscaler Intermediate Root CA, not a Microsoft CA',
      },
      durationMs: 160,
      tls: interceptedTls(host, now),
      http: { method: 'GET', status: 200, httpVersion: '2', servedBy: 'proxy' },
    };
  return {
    ...check,
    outcome: refused
      ? {
          status: 'fail',
          layer: 'proxy',
          class: 'forbidden',
          message: `the proxy answered CONNECT ${host}:443 with 403 Forbidden`,
        }
      : { status: 'ok' },
    durationMs: refused ? 18 : 140,
    timings: refused ? { connectMs: 2, proxyConnectMs: 16 } : { connectMs: 2, proxyConnectMs: 20, tlsMs: 60 },
    http: refused
      ? {
          method: 'CONNECT',
          status: 403,
          servedBy: 'proxy',
          proxyEvidence: ['the CONNECT request itself was refused'],
          headers: { 'proxy-agent': 'corp-proxy' },
        }
      : { method: 'GET', status: 200, httpVersion: '2', servedBy: 'origin' },
  };
}

/** The common head of a check that passed. */
function passed<K extends CheckResult['kind']>(
  id: string,
  kind: K,
  target: CheckResult['target'],
  durationMs: number,
) {
  return { id, kind, target, path: VIA_PROXY, outcome: { status: 'ok' }, durationMs } as const;
}

function tlsCheck(now: number): CheckResult {
  return {
    ...passed(
      'tls:teams.cloud.microsoft',
      'tls',
      { host: 'teams.cloud.microsoft', port: 443, domain: 'cloud.microsoft' },
      90,
    ),
    tls: {
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
      alpnOffered: ['h2', 'http/1.1'],
      alpnNegotiated: 'h2',
      verdict: 'genuine',
      matchedCa: 'Microsoft Azure RSA TLS Issuing CA 04',
      trustedBySystem: true,
      chain: [
        cert(now, {
          subject: 'CN=teams.cloud.microsoft',
          issuer: 'CN=Microsoft Azure RSA TLS Issuing CA 04, O=Microsoft Corporation, C=US',
          subjectCN: 'teams.cloud.microsoft',
          issuerCN: 'Microsoft Azure RSA TLS Issuing CA 04',
          issuerO: 'Microsoft Corporation',
          days: [30, 150],
          seed: 37,
          spkiSha256: 'dGVhbXMuY2xvdWQubWljcm9zb2Z0IHRlc3Qga2V5IQ==',
          subjectAltNames: ['teams.cloud.microsoft', '*.teams.cloud.microsoft'],
        }),
        cert(now, {
          subject: 'CN=Microsoft Azure RSA TLS Issuing CA 04, O=Microsoft Corporation, C=US',
          issuer: 'CN=DigiCert Global Root G2, OU=www.digicert.com, O=DigiCert Inc, C=US',
          subjectCN: 'Microsoft Azure RSA TLS Issuing CA 04',
          issuerCN: 'DigiCert Global Root G2',
          days: [900, 600],
          seed: 53,
          spkiSha256: 'bWljcm9zb2Z0IGF6dXJlIGlzc3VpbmcgQ0EgMDQhIQ==',
          isCA: true,
        }),
      ],
    },
  };
}

/**
 * One probe run. `blocked` puts the office behind a proxy that refuses
 * `*.static.microsoft`; `latencyMs` / `mbps` shape its performance samples.
 */
export function probeReport(opts: {
  deviceId: string;
  blocked: boolean;
  intercepted?: boolean;
  latencyMs?: number;
  mbps?: number;
  /** The download object ended at this many bytes, too few to time: no speed. */
  tooSmallBytes?: number;
  at?: number;
}): ProbeReport {
  const now = opts.at ?? Date.now();
  const latency = opts.latencyMs ?? 35;
  const mbps = opts.mbps ?? 90;
  const results: CheckResult[] = [
    ...HOSTS.map((h) => httpsCheck(h.host, h.domain, opts.blocked, opts.intercepted ?? false, now)),
    tlsCheck(now),
    {
      ...passed(
        'latency:teams.cloud.microsoft',
        'latency',
        { host: 'teams.cloud.microsoft', port: 443 },
        latency * 5,
      ),
      latency: {
        method: 'tcp-connect',
        samplesMs: [latency - 2, latency, latency + 1, latency + 3, latency - 1],
        medianMs: latency,
        jitterMs: 2,
      },
    },
    {
      ...passed(
        'throughput:res.public.onecdn.static.microsoft',
        'throughput',
        { host: 'm365.cloud.microsoft', port: 443, domain: 'cloud.microsoft' },
        800,
      ),
      throughput: { bytes: Math.round((mbps * 1e6 * 0.8) / 8), durationMs: 800, mbps, limitedBy: 'time' },
    },
  ];
  if (opts.tooSmallBytes !== undefined) {
    const t = results[results.length - 1]!;
    t.outcome = {
      status: 'fail',
      layer: 'probe',
      class: 'not-measured',
      message: `object too small (${opts.tooSmallBytes} bytes): a speed needs at least 256 KiB`,
    };
    t.throughput = {
      bytes: opts.tooSmallBytes,
      durationMs: 40,
      limitedBy: 'eof',
      tooSmall: { minBytes: 262_144 },
    };
  }
  return {
    schema: 'netinsights.probe-report/v1',
    reportId: randomUUID(),
    probe: { version: '0.1.0', profile: 'm365' },
    startedAt: new Date(now - 4000).toISOString(),
    finishedAt: new Date(now).toISOString(),
    environment: {
      os: { platform: 'linux', release: '6.12.0', arch: 'x64' },
      deviceId: opts.deviceId,
      proxy: { mode: 'proxy', proxy: PROXY, source: 'env' },
      dnsResolvers: ['10.0.0.53'],
      localAddresses: [],
    },
    results,
  };
}
