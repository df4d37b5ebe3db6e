/**
 * @module context
 * What every check of one run shares: the profile, the resolver, the routes
 * per host, the trust store, deadlines and the run's abort signal; and,
 * per check, the meter its sockets are counted on.
 */
import type { ServiceProfile } from '@netinsights/protocol';
import type { Pins } from './transport/pins.ts';
import type { Route } from './transport/proxy-selection.ts';
import type { DnsClient } from './transport/resolve.ts';
import type { TrafficMeter } from './transport/traffic-meter.ts';
import type { TrustStore } from './verdicts/trust-store.ts';

export interface ProbeContext {
  profile: ServiceProfile;
  dns: DnsClient;
  pins: Pins;
  /** Route per `host:port`, decided once before the checks start. */
  routes: ReadonlyMap<string, Route>;
  trust: TrustStore;
  /** Aborted when the whole run's deadline passes. */
  runSignal: AbortSignal;
  checkTimeoutMs: number;
  wsHoldMs: number;
  /** Counts the bytes of the check this context was handed to (run-probe gives each check its own). */
  traffic?: TrafficMeter;
  /** The id the run's report will carry (made at the start, so checks may name it). */
  reportId: string;
  /** The zone delegated to the collector and the key of this report's name in it (`--resolver-zone`). */
  resolverZone?: { zone: string; key: string };
}

export function routeOf(ctx: ProbeContext, host: string, port: number): Route {
  return ctx.routes.get(`${host.toLowerCase()}:${port}`) ?? { type: 'direct', source: 'none' };
}

/** A signal for one phase: its own deadline, or the run's, whichever comes first. */
export function phaseSignal(ctx: ProbeContext, ms = ctx.checkTimeoutMs): AbortSignal {
  return AbortSignal.any([ctx.runSignal, AbortSignal.timeout(ms)]);
}
