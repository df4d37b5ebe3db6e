/**
 * @module insights/front-door-area
 * "The best front door in your area", with the peer comparison's guarantees
 * (insights/peers.ts), so that no tenant learns or moves another's figures:
 * - Figures come from other tenants' offices in the same city only, never
 *   the asking tenant's own (store: `frontDoors.areaFigures`).
 * - A front door is a candidate only when at least PEER_MIN_OFFICES offices
 *   of at least PEER_MIN_TENANTS other tenants landed on it for that
 *   workload; with fewer, nothing about it is used.
 * - Its latency is the median of per-tenant medians (one tenant's many
 *   offices count as one value), rounded to PEER_LATENCY_STEP_MS.
 * - The best front door of a workload is the candidate with the lowest such
 *   latency. Only it leaves this module: its address (a Microsoft edge
 *   address, not a tenant's), where it is, its rounded latency and how many
 *   offices back it — never one office's or one tenant's figure.
 */
import type { FrontDoorFigure } from './front-door-store-contract.ts';
import { coarse, medianOf, PEER_LATENCY_STEP_MS, PEER_MIN_OFFICES, PEER_MIN_TENANTS } from './peers.ts';

/** The area's best front door for one workload. */
export interface AreaFrontDoor {
  workload: string;
  address: string;
  /** Median of per-tenant median connect times, rounded to PEER_LATENCY_STEP_MS. */
  latencyMs: number;
  /** Offices (of other tenants) whose devices landed on it. */
  offices: number;
  city: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
}

/** Workload → its best front door, for workloads that have a candidate. */
export type AreaFrontDoors = Record<string, AreaFrontDoor>;

/** The best front door per workload over the figures, or none where the floors are not met. */
export function bestFrontDoors(figures: FrontDoorFigure[]): AreaFrontDoors {
  const groups = new Map<string, FrontDoorFigure[]>();
  for (const f of figures) {
    const key = `${f.workload}\n${f.address}`;
    const list = groups.get(key);
    if (list) list.push(f);
    else groups.set(key, [f]);
  }
  const best: AreaFrontDoors = {};
  for (const list of groups.values()) {
    const byTenant = new Map<string, number[]>();
    for (const f of list) byTenant.set(f.tenantId, [...(byTenant.get(f.tenantId) ?? []), f.latencyMedianMs]);
    if (list.length < PEER_MIN_OFFICES || byTenant.size < PEER_MIN_TENANTS) continue;
    const perTenant = [...byTenant.values()].map((v) => medianOf(v) ?? 0);
    const latencyMs = coarse(medianOf(perTenant), PEER_LATENCY_STEP_MS) ?? 0;
    const first = list[0]!;
    const located = list.find((f) => f.latitude !== null && f.longitude !== null) ?? first;
    const current = Object.hasOwn(best, first.workload) ? best[first.workload] : undefined;
    if (current && current.latencyMs <= latencyMs) continue;
    Object.defineProperty(best, first.workload, {
      value: {
        workload: first.workload,
        address: first.address,
        latencyMs,
        offices: list.length,
        city: located.city,
        country: located.country,
        latitude: located.latitude,
        longitude: located.longitude,
      },
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return best;
}
