/**
 * @module test/helpers/fixture
 * Certificates and a service profile for the probe's tests: a "genuine"
 * service PKI (root + issuing CA, the root pinned in the profile), interceptor
 * CAs named like real vendors' and an unknown one — all generated at test
 * time with the lab's PKI — and helpers to run the probe and pick results.
 */

import { type CertificateAuthority, createRootCa } from '@netinsights/lab/pki.ts';
import type { CheckResult, ProbeReport, ServiceProfile } from '@netinsights/protocol';
import {
  compileValidator,
  DEFAULT_INTERCEPTOR_VENDORS,
  ProbeReport as ProbeReportSchema,
  parseProfile,
} from '@netinsights/protocol';
import type { ProbeOptions } from '../../src/index.ts';
import { runProbe } from '../../src/index.ts';

export const HOSTS = ['a.cloud.test', 'b.cloud.test'];
export const WS_HOST = 'ws.cloud.test';
export const DL_HOST = 'dl.cloud.test';

export interface Pki {
  genuineRoot: CertificateAuthority;
  genuineIssuing: CertificateAuthority;
  zscaler: CertificateAuthority;
  unknownInterceptor: CertificateAuthority;
  stranger: CertificateAuthority;
}

let pki: Promise<Pki> | undefined;

/** One PKI per test file (generation is cheap, but there is no reason to repeat it). */
export function testPki(): Promise<Pki> {
  pki ??= (async () => {
    const genuineRoot = await createRootCa({
      commonName: 'NI Test Genuine Root',
      organization: 'netinsights test service',
    });
    return {
      genuineRoot,
      genuineIssuing: await genuineRoot.issueIntermediate(
        'NI Test Issuing CA 01',
        'netinsights test service',
      ),
      zscaler: await createRootCa({ commonName: 'Zscaler Root CA', organization: 'Zscaler Inc.' }),
      unknownInterceptor: await createRootCa({ commonName: 'Acme Inspection CA', organization: 'Acme Corp' }),
      stranger: await createRootCa({ commonName: 'Somebody Else Root', organization: 'Nobody Ltd' }),
    };
  })();
  return pki;
}

/** Every name the test profile uses, for certificates. */
export const ALL_NAMES = [...HOSTS, WS_HOST, DL_HOST];

export interface ProfileParams {
  port: number;
  quicPort?: number;
  genuineRoot: CertificateAuthority;
  /** Pin the root (default) or name it only. */
  nameOnly?: boolean;
  echo?: boolean;
  holdSeconds?: number;
  maxBytes?: number;
  maxSeconds?: number;
  slowBelowMbps?: number;
  slowAboveMs?: number;
  /** Teams media UDP ports (no Teams media check without them), TCP fallback port (default: `port`) and run length. */
  teamsPorts?: number[];
  teamsTcpPort?: number;
  teamsSeconds?: number;
  teamsThresholds?: { lossPercent: number; rttMs: number; jitterMs: number };
  /** Path requested on the critical hosts (default `/`). */
  path?: string;
}

export function testProfile(p: ProfileParams): ServiceProfile {
  return parseProfile(
    {
      id: 'test',
      name: 'probe test service',
      version: '1',
      criticalDomains: [{ domain: 'cloud.test', hosts: HOSTS, port: p.port, path: p.path ?? '/' }],
      websocket: {
        url: `wss://${WS_HOST}:${p.port}/ws`,
        echo: p.echo ?? true,
        holdSeconds: p.holdSeconds ?? 0.3,
      },
      throughput: {
        url: `https://${DL_HOST}:${p.port}/download`,
        maxBytes: p.maxBytes ?? 1_048_576,
        maxSeconds: p.maxSeconds ?? 1,
        ...(p.slowBelowMbps !== undefined ? { slowBelowMbps: p.slowBelowMbps } : {}),
      },
      quic: { host: HOSTS[0], port: p.quicPort ?? p.port, attempts: 2, waitMs: 200 },
      latency: {
        host: HOSTS[0],
        port: p.port,
        samples: 3,
        ...(p.slowAboveMs !== undefined ? { slowAboveMs: p.slowAboveMs } : {}),
      },
      ...(p.teamsPorts
        ? {
            teamsMedia: {
              host: HOSTS[0],
              ports: p.teamsPorts,
              tcpPort: p.teamsTcpPort ?? p.port,
              durationSeconds: p.teamsSeconds ?? 0.2,
              intervalMs: 20,
              thresholds: p.teamsThresholds ?? { lossPercent: 1, rttMs: 100, jitterMs: 30 },
            },
          }
        : {}),
      http2Hosts: [HOSTS[0]],
      expectedCas: [
        p.nameOnly
          ? { name: p.genuineRoot.commonName, role: 'root' }
          : { name: p.genuineRoot.commonName, role: 'root', spkiSha256: p.genuineRoot.spkiSha256 },
      ],
      interceptorVendors: DEFAULT_INTERCEPTOR_VENDORS,
    },
    'test profile',
  );
}

/** `--resolve` pins sending every test name (and the QUIC port) to loopback. */
export function loopbackPins(port: number, quicPort?: number): string[] {
  const pins = ALL_NAMES.map((h) => `${h}:${port}:127.0.0.1`);
  if (quicPort !== undefined && quicPort !== port) pins.push(`${HOSTS[0]}:${quicPort}:127.0.0.1`);
  return pins;
}

const reportValidator = compileValidator<ProbeReport>(ProbeReportSchema, 'probe report');

/** Runs the probe with test-friendly deadlines and checks the report against the published schema. */
export async function probe(options: ProbeOptions): Promise<ProbeReport> {
  const report = await runProbe({ deadlineMs: 15_000, checkTimeoutMs: 4_000, ...options });
  reportValidator.parse(report);
  return report;
}

export function result(report: ProbeReport, id: string): CheckResult {
  const r = report.results.find((x) => x.id === id);
  if (!r) throw new Error(`no result ${id}; have ${report.results.map((x) => x.id).join(', ')}`);
  return r;
}

/** `layer/class` or `ok`. */
export function code(r: CheckResult): string {
  return r.outcome.status === 'ok' ? 'ok' : `${r.outcome.layer}/${r.outcome.class}`;
}
