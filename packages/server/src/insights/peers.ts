/**
 * @module insights/peers
 * "Other users in your area", built so that no tenant learns or moves
 * another's figures:
 * - Peers are other tenants' offices in the same city, never the asking
 *   tenant's own (store: `peerFigures`), and only offices that still exist.
 * - A comparison needs at least PEER_MIN_OFFICES offices from at least
 *   PEER_MIN_TENANTS other tenants; a tenant's `minPeerOffices` setting can
 *   raise the office floor, never lower it. With one peer office allowed,
 *   a tenant with a single office in a city read another tenant's exact
 *   median latency and throughput.
 * - Robust statistics: each tenant's offices are reduced to that tenant's
 *   median first, and the baseline is the median of those per-tenant
 *   medians. One tenant (however many fake offices it adds) contributes one
 *   value of at least three, so it cannot push the baseline outside the
 *   range of the other tenants' values, and so cannot close another
 *   tenant's insight by reporting an implausible city average.
 * - Values are never shown individually: the baseline is rounded to
 *   coarse steps (PEER_LATENCY_STEP_MS, PEER_THROUGHPUT_STEP_MBPS) before
 *   any rule sees it, so neither the figure shown nor a percentage derived
 *   from it gives back one office's or one tenant's exact value.
 */
import type { PeerStats } from './rules/contract.ts';
import type { PeerFigure } from './store-contract.ts';

export const PEER_MIN_OFFICES = 5;
export const PEER_MIN_TENANTS = 3;
/** Rounding of the baseline; the rule ignores gaps under 10 ms and 5 Mbit/s anyway. */
export const PEER_LATENCY_STEP_MS = 5;
export const PEER_THROUGHPUT_STEP_MBPS = 5;

export function medianOf(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? null) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** The number of peer offices a comparison needs: the tenant's setting, but never under the floor. */
export function peerFloor(minPeerOffices: number | undefined): number {
  return Math.max(PEER_MIN_OFFICES, minPeerOffices ?? 0);
}

export const coarse = (x: number | null, step: number) =>
  x === null ? null : Math.max(step, Math.round(x / step) * step);

/** Median of per-tenant medians of one figure, over tenants that have it. */
function tenantMedian(
  byTenant: Map<string, PeerFigure[]>,
  pick: (f: PeerFigure) => number | null,
): number | null {
  const perTenant: number[] = [];
  for (const figures of byTenant.values()) {
    const m = medianOf(figures.flatMap((f) => (pick(f) === null ? [] : [pick(f) as number])));
    if (m !== null) perTenant.push(m);
  }
  return perTenant.length >= PEER_MIN_TENANTS ? medianOf(perTenant) : null;
}

/**
 * The peer baseline, or null when the figures come from fewer than
 * PEER_MIN_OFFICES offices or PEER_MIN_TENANTS tenants.
 */
export function peerStats(figures: PeerFigure[]): PeerStats | null {
  const byTenant = new Map<string, PeerFigure[]>();
  for (const f of figures) {
    const list = byTenant.get(f.tenantId);
    if (list) list.push(f);
    else byTenant.set(f.tenantId, [f]);
  }
  if (figures.length < PEER_MIN_OFFICES || byTenant.size < PEER_MIN_TENANTS) return null;
  return {
    offices: figures.length,
    tenants: byTenant.size,
    latencyMedianMs: coarse(
      tenantMedian(byTenant, (f) => f.latencyMedianMs),
      PEER_LATENCY_STEP_MS,
    ),
    throughputMbps: coarse(
      tenantMedian(byTenant, (f) => f.throughputMbps),
      PEER_THROUGHPUT_STEP_MBPS,
    ),
  };
}
