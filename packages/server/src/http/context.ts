/**
 * @module http/context
 * What every route module receives: configuration, the store, the insight
 * hook, and the shared services (authentication, ingest, GeoIP, login
 * throttling, audit).
 */
import { randomUUID } from 'node:crypto';
import type { Authenticator } from '../auth/authenticate.ts';
import type { LoginThrottle } from '../auth/login-throttle.ts';
import { actorName, type Principal } from '../auth/principal.ts';
import type { ServerConfig } from '../config/server-config.ts';
import type { GeoLookup } from '../geo/geo-lookup.ts';
import type { ReportIntake } from '../ingest/report-intake.ts';
import type { InsightsHook } from '../insights-hook.ts';
import type { Store } from '../store/contract.ts';

export interface ServerContext {
  config: ServerConfig;
  store: Store;
  insights: InsightsHook;
  geo: GeoLookup;
  /** Ingest after HTTP: parse and validate (on worker threads by default), map, store. */
  intake: ReportIntake;
  auth: Authenticator;
  throttle: LoginThrottle;
  /** Current time; tests may pin it. */
  now(): Date;
}

/** Appends to the audit log, in the caller's transaction when it passes one. */
export function audit(
  store: Store,
  principal: Principal,
  action: string,
  target: string,
  details?: unknown,
  at = new Date(),
): Promise<void> {
  return store.audit.append({
    tenantId: principal.tenantId,
    id: randomUUID(),
    at: at.toISOString(),
    actor: actorName(principal),
    action,
    target,
    details: details ?? null,
  });
}

/** The caller's principal; routes run only after authentication, so it is there. */
export function principalOf(request: { principal?: Principal }): Principal {
  if (!request.principal) throw new Error('route ran without a principal');
  return request.principal;
}
