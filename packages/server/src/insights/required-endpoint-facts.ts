/**
 * @module insights/required-endpoint-facts
 * What the rollup keeps of endpoint sweeps (`ProbeReport.sweep`): a tally
 * whose attempts are swept hosts and whose failures are hosts intercepted or
 * unreachable, per catalog set the hosts swept and failing (with the set's
 * service area), the interceptor vendors seen, and how many sweeps there
 * were. The `required-endpoints` rule reads its metric from the tally and
 * names the sets in its evidence.
 */
import type { ProbeReport, RequiredEndpointsEvidence } from '@netinsights/protocol';
import { addCount, own, setOwn } from './own-keys.ts';
import { emptyTally, mergeTally, recordAttempt, type Tally } from './tally.ts';

/** Catalog sets tracked per rollup (the shipped catalog has 63). */
const MAX_SETS = 128;
/** Vendor names tracked per rollup. */
const MAX_VENDORS = 16;

/** One swept host of one report, as the rule needs it. */
export interface SweptEndpoint {
  host: string;
  /** `layer/class` when intercepted or unreachable. */
  failureCode?: string;
  sets: number[];
  serviceAreas: string[];
  vendor?: string;
}

export interface RequiredEndpointFacts {
  sweeps: number;
  tally: Tally;
  /** set id → service area, hosts swept (`a`) and failing (`f`). */
  sets: Record<string, { area: string; a: number; f: number }>;
  vendors: Record<string, number>;
}

export function emptyRequiredEndpoints(): RequiredEndpointFacts {
  return { sweeps: 0, tally: emptyTally(), sets: {}, vendors: {} };
}

/**
 * The sweep's hosts that say something about the network: a host the
 * deadline cut off or the probe could not route (`probe/*`) is left out.
 * Intercepted counts whatever the machine trusts: the issue is that a
 * required endpoint does not reach Microsoft unaltered.
 */
export function sweptEndpoints(report: ProbeReport): SweptEndpoint[] | undefined {
  if (!report.sweep) return undefined;
  return report.sweep.hosts
    .filter((h) => !h.code.startsWith('probe/'))
    .map((h) => ({
      host: h.host.toLowerCase(),
      ...(h.code !== 'ok' ? { failureCode: h.code } : {}),
      sets: h.sets,
      serviceAreas: h.serviceAreas,
      ...(h.code === 'tls/intercepted' ? { vendor: h.tls?.vendor ?? 'unknown interceptor' } : {}),
    }));
}

function addSet(into: RequiredEndpointFacts['sets'], id: string, area: string, a: number, f: number): void {
  const slot = own(into, id);
  if (slot) {
    slot.a += a;
    slot.f += f;
  } else if (Object.keys(into).length < MAX_SETS) setOwn(into, id, { area, a, f });
}

function addVendor(into: Record<string, number>, name: string, n: number): void {
  if (own(into, name) === undefined && Object.keys(into).length >= MAX_VENDORS) return;
  addCount(into, name, n);
}

/** Folds one report's sweep in (mutates `into`). */
export function addSweep(
  into: RequiredEndpointFacts,
  hosts: readonly SweptEndpoint[],
  from: { device: number; at: number; reportId: string },
): void {
  into.sweeps += 1;
  for (const h of hosts) {
    recordAttempt(into.tally, {
      ...from,
      host: h.host,
      ...(h.failureCode ? { failureCode: h.failureCode } : {}),
    });
    const failed = h.failureCode ? 1 : 0;
    // A set's area is the first the host names; Microsoft gives every set exactly one.
    for (const id of h.sets) addSet(into.sets, String(id), h.serviceAreas[0] ?? 'unknown', 1, failed);
    if (h.vendor) addVendor(into.vendors, h.vendor, 1);
  }
}

/** Adds `from` into `into` (exact). */
export function mergeRequiredEndpoints(into: RequiredEndpointFacts, from: RequiredEndpointFacts): void {
  into.sweeps += from.sweeps;
  mergeTally(into.tally, from.tally);
  for (const [id, s] of Object.entries(from.sets)) addSet(into.sets, id, s.area, s.a, s.f);
  for (const [name, n] of Object.entries(from.vendors)) addVendor(into.vendors, name, n);
}

/** The evidence the insight quotes. */
export function requiredEndpointsEvidence(f: RequiredEndpointFacts): RequiredEndpointsEvidence {
  const intercepted = own(f.tally.codes, 'tls/intercepted') ?? 0;
  return {
    sweeps: f.sweeps,
    intercepted,
    unreachable: f.tally.failures - intercepted,
    sets: Object.entries(f.sets)
      .filter(([, s]) => s.f > 0)
      .map(([id, s]) => ({ id: Number(id), serviceArea: s.area, swept: s.a, failures: s.f }))
      .sort((a, b) => b.failures - a.failures || a.id - b.id),
  };
}
