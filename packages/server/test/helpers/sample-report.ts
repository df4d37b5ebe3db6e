/**
 * @module test/helpers/sample-report
 * Builds valid ProbeReport v1 documents for tests and the ingest benchmark:
 * a mix of DNS, TCP, TLS, HTTPS, WebSocket, QUIC and latency checks against
 * the m365 hosts, with chosen failures.
 */
import { type CheckResult, newReportId, type ProbeReport } from '@netinsights/protocol';

const HOSTS = [
  'm365.cloud.microsoft',
  'teams.cloud.microsoft',
  'outlook.cloud.microsoft',
  'res.public.onecdn.static.microsoft',
  'forms.guest.usercontent.microsoft',
];

export interface SampleOptions {
  reportId?: string;
  checks?: number;
  deviceId?: string;
  officeId?: string;
  localAddress?: string;
  /** Share of HTTPS checks that fail with proxy/forbidden (0..1). */
  failShare?: number;
}

function check(i: number, fail: boolean): CheckResult {
  const host = HOSTS[i % HOSTS.length]!;
  const kinds = ['dns', 'tcp', 'tls', 'https', 'latency'] as const;
  const kind = kinds[Math.floor(i / HOSTS.length) % kinds.length]!;
  const base = {
    id: `${kind}:${host}:${i}`,
    kind,
    target: { host, port: 443, domain: host.split('.').slice(-2).join('.') },
    path: { type: 'direct' as const, source: 'none' as const },
    durationMs: 12.5 + (i % 7),
    timings: { dnsMs: 1.2, connectMs: 8.4, tlsMs: 14.1, firstByteMs: 30.2, totalMs: 52.9 },
  };
  if (fail)
    return {
      ...base,
      outcome: {
        status: 'fail',
        layer: 'proxy',
        class: 'forbidden',
        message: 'the proxy answered 403 to CONNECT',
      },
    };
  if (kind === 'tls' || kind === 'https')
    return {
      ...base,
      outcome: { status: 'ok' },
      tls: {
        protocol: 'TLSv1.3',
        alpnOffered: ['h2', 'http/1.1'],
        alpnNegotiated: 'h2',
        chain: [
          {
            subject: `CN=${host}`,
            issuer: 'CN=Microsoft Azure RSA TLS Issuing CA 04, O=Microsoft Corporation, C=US',
            validFrom: '2026-01-01T00:00:00Z',
            validTo: '2026-12-31T00:00:00Z',
            sha256:
              'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89',
            spkiSha256: 'i7WTqTvh0OioIruIfFR4kMPnBqrS2rdiVPl/s2uC/CY=',
          },
        ],
        verdict: 'genuine',
        matchedCa: 'DigiCert Global Root G2',
        trustedBySystem: true,
      },
      ...(kind === 'https'
        ? {
            http: {
              method: 'GET',
              status: 200,
              httpVersion: '2',
              servedBy: 'origin' as const,
              headers: { server: 'Microsoft-IIS/10.0' },
            },
          }
        : {}),
    };
  if (kind === 'latency')
    return {
      ...base,
      outcome: { status: 'ok' },
      latency: { method: 'tcp-connect', samplesMs: [20.1, 21.4, 19.8, 22.0, 20.6], medianMs: 20.6 },
    };
  if (kind === 'dns') return { ...base, outcome: { status: 'ok' }, dns: { answers: ['52.123.129.14'] } };
  return { ...base, outcome: { status: 'ok' }, tcp: { remoteAddress: '52.123.129.14', remotePort: 443 } };
}

export function sampleReport(opts: SampleOptions = {}): ProbeReport {
  const n = opts.checks ?? 25;
  const failEvery = opts.failShare ? Math.max(1, Math.round(1 / opts.failShare)) : 0;
  const results = Array.from({ length: n }, (_, i) => check(i, failEvery > 0 && i % failEvery === 0));
  return {
    schema: 'netinsights.probe-report/v1',
    reportId: opts.reportId ?? newReportId(),
    probe: { version: '0.1.0', profile: 'm365', profileVersion: '2026-08-14' },
    startedAt: '2026-11-23T10:00:00.000Z',
    finishedAt: '2026-11-23T10:00:05.000Z',
    environment: {
      os: { platform: 'linux', release: '6.8.0', arch: 'x64' },
      deviceId: opts.deviceId ?? 'device-1',
      proxy: { mode: 'direct', source: 'none' },
      dnsResolvers: ['10.0.0.53'],
      localAddresses: [
        {
          interface: 'eth0',
          address: opts.localAddress ?? '192.168.77.10',
          cidr: '192.168.77.10/24',
          family: 'IPv4',
        },
      ],
      ...(opts.officeId ? { officeId: opts.officeId } : {}),
    },
    results,
  };
}
