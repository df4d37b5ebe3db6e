/**
 * @module checks/plan
 * Planning a run from the registered checks: first every check's endpoints
 * (so the run can decide their routes), then every check's tasks, in
 * registry order, over one table of slots. No network here: the shared
 * check suite plans with it directly.
 */
import type { ServiceProfile } from '@netinsights/protocol';
import { networkPath, type Route } from '../transport/proxy-selection.ts';
import { checkId, type Slot } from './check-result.ts';
import type { Check, CheckPlanner, CheckTask, Endpoint } from './contract.ts';

/** A planned task and the check that planned it. */
export interface PlannedTask extends CheckTask {
  check: string;
}

export interface RunPlan {
  /** Every slot, in plan order (which is the report's order). */
  slots: ReadonlyMap<string, Slot>;
  /** Every task, in plan order (which is the order they start in). */
  tasks: PlannedTask[];
}

/** The endpoints of every check, in registry order (duplicates kept). */
export function runEndpoints(checks: readonly Check[], profile: ServiceProfile): Endpoint[] {
  return checks.flatMap((c) => c.endpoints(profile));
}

export function planRun(
  checks: readonly Check[],
  profile: ServiceProfile,
  endpoints: readonly Endpoint[],
  routes: ReadonlyMap<string, Route>,
  resolverZone?: string,
): RunPlan {
  const slots = new Map<string, Slot>();
  const route = (host: string, port: number): Route =>
    routes.get(`${host}:${port}`) ?? { type: 'direct', source: 'none' };
  const planner: CheckPlanner = {
    endpoints,
    route,
    ...(resolverZone ? { resolverZone } : {}),
    slot(kind, host, port, extra = {}, transport = 'tcp') {
      const id = checkId(kind, host, port);
      const existing = slots.get(id);
      if (existing) return existing;
      const s: Slot = {
        id,
        kind,
        target: { host, port, ...extra, ...(transport === 'udp' ? { transport } : {}) },
        path: transport === 'udp' ? { type: 'direct', source: 'none' } : networkPath(route(host, port)),
      };
      slots.set(id, s);
      return s;
    },
    has(kind, host) {
      for (const s of slots.values()) if (s.kind === kind && s.target.host === host) return true;
      return false;
    },
  };
  const tasks = checks.flatMap((c) => c.plan(profile, planner).map((t) => ({ ...t, check: c.name })));
  return { slots, tasks };
}
