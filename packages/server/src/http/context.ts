/**
 * @module http/context
 * What every route module receives: configuration, the store, the insight
 * hook, and the shared services (authentication, ingest, GeoIP, login
 * throttling).
 */
import type { Authenticator } from '../auth/authenticate.ts';
import type { LoginThrottle } from '../auth/login-throttle.ts';
import type { ServerConfig } from '../config/server-config.ts';
import type { ZoneListener } from '../dns/zone-listener.ts';
import type { GeoLookup } from '../geo/geo-lookup.ts';
import type { ReportIntake } from '../ingest/report-intake.ts';
import type { InsightsHook } from '../insights-hook.ts';
import type { SecretBox } from '../notify/secret-box.ts';
import type { Store } from '../store/contract.ts';

/** The services a route module is given; `server.ts` builds one per app. */
export interface ServerContext {
  config: ServerConfig;
  store: Store;
  insights: InsightsHook;
  geo: GeoLookup;
  /** Ingest after HTTP: parse and validate (on worker threads by default), map, store. */
  intake: ReportIntake;
  auth: Authenticator;
  throttle: LoginThrottle;
  /** Seals channel secrets at rest; undefined when no key is configured (a warning is logged). */
  secrets: SecretBox | undefined;
  /** Current time; tests may pin it. */
  now(): Date;
  /** The DNS listener of `--dns-zone`, once the app is ready (undefined without a zone). */
  dns: { listener: ZoneListener | undefined };
}
