/**
 * @module test/helpers/teams-media-run
 * Runs the Teams media check once, outside a full probe run: names pinned to
 * loopback on every UDP port and the TCP fallback port, the result validated
 * against the report schema.
 */

import type { CertificateAuthority } from '@netinsights/lab/pki.ts';
import {
  type CheckResult,
  CheckResult as CheckResultSchema,
  compileValidator,
  newReportId,
} from '@netinsights/protocol';
import { checkId, type Slot } from '../../src/checks/check-result.ts';
import { runTeamsMedia } from '../../src/checks/teams-media.ts';
import type { ProbeContext } from '../../src/context.ts';
import { parsePins } from '../../src/transport/pins.ts';
import type { Route } from '../../src/transport/proxy-selection.ts';
import { DnsClient } from '../../src/transport/resolve.ts';
import { createTrustStore } from '../../src/verdicts/trust-store.ts';
import { HOSTS, testProfile } from './fixture.ts';

const A = HOSTS[0] as string;
/**
 * Thresholds a loaded test machine cannot trip (a stalled event loop delays
 * answers by hundreds of ms): for tests about what was answered, not how fast.
 */
export const LENIENT = { lossPercent: 50, rttMs: 5_000, jitterMs: 5_000 };

const validate = compileValidator<CheckResult>(CheckResultSchema, 'check result');

/** Runs the check against `ports` with the fallback TCP port given, names pinned to loopback. */
export async function runAgainst(
  ports: number[],
  fallbackPort: number,
  opts: {
    route?: Route;
    seconds?: number;
    genuineRoot: CertificateAuthority;
    /** Microsoft's targets unless given; tests of what was answered pass `LENIENT`. */
    thresholds?: { lossPercent: number; rttMs: number; jitterMs: number };
  },
): Promise<CheckResult> {
  const profile = testProfile({
    port: fallbackPort,
    teamsPorts: ports,
    teamsTcpPort: fallbackPort,
    teamsSeconds: opts.seconds ?? 0.3,
    genuineRoot: opts.genuineRoot,
    ...(opts.thresholds ? { teamsThresholds: opts.thresholds } : {}),
  });
  const pins = parsePins([...ports, fallbackPort].map((p) => `${A}:${p}:127.0.0.1`));
  const runAbort = new AbortController();
  const ctx: ProbeContext = {
    profile,
    dns: new DnsClient({ servers: ['127.0.0.1:9'], pins, timeoutMs: 1_000, runSignal: runAbort.signal }),
    pins,
    routes: new Map(opts.route ? [[`${A}:${fallbackPort}`, opts.route]] : []),
    trust: createTrustStore(),
    runSignal: runAbort.signal,
    checkTimeoutMs: 1_000,
    wsHoldMs: 100,
    reportId: newReportId(),
  };
  const port = ports[0] ?? 3478;
  // A UDP slot's path is direct whatever the TCP route (checks/plan.ts).
  const slot: Slot = {
    id: checkId('teams-media', A, port),
    kind: 'teams-media',
    target: { host: A, port, transport: 'udp' },
    path: { type: 'direct', source: 'none' },
  };
  try {
    const r = await runTeamsMedia(ctx, slot);
    validate.parse(r, r.id);
    return r;
  } finally {
    runAbort.abort();
  }
}
