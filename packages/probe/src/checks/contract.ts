/**
 * @module checks/contract
 * The one contract every probe check implements. A run first asks every
 * check which TCP endpoints it dials (their routes — direct, proxy, PAC —
 * are decided before anything is planned, since planning depends on them),
 * then asks each check, in registry order, to plan its tasks. A task claims
 * the slots it will fill and, when run, emits one CheckResult per slot.
 * Failures are data: a task emits outcomes whose layer and class come from
 * protocol's outcome table. What a task throws becomes `probe/internal` for
 * its unfilled slots; a slot still unfilled when the run ends becomes
 * `probe/deadline` (run-probe.ts does both, so a check never has to).
 */
import type { CheckKind, CheckResult, ServiceProfile, Target } from '@netinsights/protocol';
import type { ProbeContext } from '../context.ts';
import type { Route } from '../transport/proxy-selection.ts';
import type { Emit, Slot } from './check-result.ts';

/** A TCP destination a check dials; the run decides its route once. */
export interface Endpoint {
  host: string;
  port: number;
}

/** What a check may ask while it plans; built by checks/plan.ts. */
export interface CheckPlanner {
  /** Every endpoint of every registered check, in registry order. */
  readonly endpoints: readonly Endpoint[];
  /** The route decided for `host:port` (direct when it was not asked for). */
  route(host: string, port: number): Route;
  /**
   * The slot of check id `kind:host[:port]`. Ids are unique per run: asking
   * again for a planned id returns the planned slot, target and all.
   * A `udp` slot's path is always direct (HTTP proxies carry TCP only).
   */
  slot(
    kind: CheckKind,
    host: string,
    port: number,
    target?: Partial<Target>,
    transport?: 'tcp' | 'udp',
  ): Slot;
  /** Whether a slot of `kind` is planned for `host` on any port. */
  has(kind: CheckKind, host: string): boolean;
  /** The zone delegated to the collector, when the run has one (`--resolver-zone`). */
  readonly resolverZone?: string;
}

/** One unit of concurrent work: the slots it fills, and how it fills them. */
export interface CheckTask {
  slots: Slot[];
  /**
   * `idle`: the task runs before every other task starts, with nothing else
   * on the path (idle latency); the rest start when all idle tasks are done.
   */
  phase?: 'idle';
  /** Emits one result per slot; may emit them in any order, as phases end. */
  run(ctx: ProbeContext, emit: Emit): Promise<void>;
}

/**
 * A probe check, registered in `CHECKS` (checks/index.ts). Registry order is
 * plan order, and plan order is the order of results in the report.
 */
export interface Check {
  /** Unique among the registered checks. */
  name: string;
  /** The TCP endpoints this check's tasks dial (their routes are decided before `plan`). */
  endpoints(profile: ServiceProfile): Endpoint[];
  plan(profile: ServiceProfile, planner: CheckPlanner): CheckTask[];
}

/** A task of one slot whose result is one function's return value. */
export function singleResult(
  slot: Slot,
  check: (ctx: ProbeContext, slot: Slot) => Promise<CheckResult>,
): CheckTask {
  return { slots: [slot], run: async (ctx, emit) => emit(await check(ctx, slot)) };
}

/** The endpoint of an `https:` or `wss:` URL (port 443 unless it names one). */
function urlEndpoint(url: string): Endpoint {
  const u = new URL(url);
  return { host: u.hostname.toLowerCase(), port: u.port ? Number(u.port) : 443 };
}

/**
 * A check named after its one kind, with one slot at the endpoint of a URL
 * the profile names; the URL goes into the slot's target.
 */
export function urlCheck(
  kind: CheckKind,
  urlOf: (profile: ServiceProfile) => string,
  check: (ctx: ProbeContext, slot: Slot) => Promise<CheckResult>,
): Check {
  return {
    name: kind,
    endpoints: (profile) => [urlEndpoint(urlOf(profile))],
    plan(profile, planner) {
      const url = urlOf(profile);
      const { host, port } = urlEndpoint(url);
      return [singleResult(planner.slot(kind, host, port, { url: url.slice(0, 2048) }), check)];
    },
  };
}
