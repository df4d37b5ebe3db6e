/**
 * @module server
 * Builds the collector and admin API as a Fastify app. `buildServer(config)`
 * gives an app for in-process use (`app.inject()` in tests); `startServer()`
 * also listens (HTTP, or HTTPS with --tls-cert/--tls-key) and prints the
 * first-run hint when the database has no tenant yet.
 */
import { existsSync, readFileSync } from 'node:fs';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import pkg from '../package.json' with { type: 'json' };
import { Authenticator } from './auth/authenticate.ts';
import { LoginThrottle } from './auth/login-throttle.ts';
import { TokenBuckets } from './auth/token-bucket.ts';
import { loadSecretBox } from './config/secret-key.ts';
import { ConfigError, type ServerConfig } from './config/server-config.ts';
import { SightingWriter } from './dns/sighting-writer.ts';
import { zoneAnswerer } from './dns/zone-answer.ts';
import { startZoneListener, type ZoneListener } from './dns/zone-listener.ts';
import { type GeoLookup, loadGeoTable, noGeo, openMmdb } from './geo/geo-lookup.ts';
import { crossSiteGuard, documentedContentType, securityHeaders } from './http/browser-guards.ts';
import { limitConnectionsPerAddress } from './http/connection-quota.ts';
import type { ServerContext } from './http/context.ts';
import { errorHandler, notFoundHandler } from './http/error-handler.ts';
import { type NotificationSettings, registerNotifications } from './http/notifications.ts';
import { RouteCatalog } from './http/openapi.ts';
import { registerReadReplicaRouting } from './http/read-your-writes.ts';
import { registerAgentPolicyRoutes } from './http/routes/agent-policy.ts';
import { registerAssessmentRoutes } from './http/routes/assessment.ts';
import { registerAuditRoutes } from './http/routes/audit.ts';
import { registerAuthRoutes } from './http/routes/auth.ts';
import { registerRemediationRoutes } from './http/routes/catalog.ts';
import { registerDiscoveredRoutes } from './http/routes/discovered.ts';
import { registerEnrollmentRoutes } from './http/routes/enrollment.ts';
import { registerIngestRoutes } from './http/routes/ingest.ts';
import { registerInsightRoutes } from './http/routes/insights.ts';
import { registerOfficeRoutes } from './http/routes/offices.ts';
import { registerOpenApiRoute } from './http/routes/openapi.ts';
import { registerReportRoutes } from './http/routes/reports.ts';
import { registerSettingsRoutes } from './http/routes/settings.ts';
import { registerSilenceRoutes } from './http/routes/silences.ts';
import { registerSsoRoutes } from './http/routes/sso.ts';
import { registerTokenRoutes } from './http/routes/tokens.ts';
import { registerUserRoutes } from './http/routes/users.ts';
import { inlinePreparer } from './ingest/prepare-upload.ts';
import { ReportIntake } from './ingest/report-intake.ts';
import { WorkerPreparer } from './ingest/worker-preparer.ts';
import { type InsightsHook, loadInsightsHook } from './insights-hook.ts';
import { OfficeMapper } from './offices/office-mapper.ts';
import type { Store } from './store/contract.ts';
import { openStore } from './store/index.ts';

/** Parts a caller may supply instead of the defaults built from the config. */
export interface ServerDeps {
  /** An open, migrated store (the server then does not close it). */
  store?: Store;
  insights?: InsightsHook;
  geo?: GeoLookup;
  now?: () => Date;
  /** false silences logging (tests); default: pino at config.logLevel. */
  logger?: boolean;
  /** Overrides of the notification settings taken from the config (e.g. the outbox worker's tuning). */
  notifications?: NotificationSettings;
}

declare module 'fastify' {
  interface FastifyInstance {
    netinsights: ServerContext;
    routeCatalog: RouteCatalog;
  }
}

async function openGeo(config: ServerConfig): Promise<GeoLookup> {
  try {
    if (config.geoip) return await openMmdb(config.geoip);
    if (config.geoTable) return loadGeoTable(config.geoTable);
  } catch (err) {
    const key = config.geoip ? 'geoip' : 'geoTable';
    throw new ConfigError(key, `cannot load ${config.geoip ?? config.geoTable}: ${(err as Error).message}`);
  }
  return noGeo;
}

function readPem(key: 'tlsCert' | 'tlsKey', file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConfigError(key, `cannot read ${file}: ${(err as Error).message}`);
  }
}

/**
 * Timeouts for the HTTP(S) server: a slow body or slow headers are cut off
 * (408) instead of holding a socket forever. Node checks these every
 * `connectionsCheckingInterval` (30 s by default); once a second keeps the
 * figures close to what is configured.
 */
function connectionLimits(config: ServerConfig) {
  return {
    requestTimeout: config.requestTimeoutSeconds * 1000,
    headersTimeout: config.headersTimeoutSeconds * 1000,
    connectionsCheckingInterval: 1000,
  };
}

/**
 * Client-side routes of the dashboard (`/offices/…`, `/manage/…`) get index.html;
 * API paths and missing files (`/assets/old-hash.js` after an upgrade) stay 404,
 * so a browser never receives HTML where it expects a script.
 */
function isDashboardRoute(method: string, url: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const path = url.split('?')[0] ?? '';
  return !path.startsWith('/api/') && !path.startsWith('/assets/') && !/\.[a-z0-9]+$/i.test(path);
}

/** The dashboard build, when the web package has one and --web-root is not given. */
function defaultWebRoot(): string | undefined {
  const dist = new URL('../../web/dist/', import.meta.url);
  return existsSync(new URL('index.html', dist)) ? dist.pathname : undefined;
}

/**
 * Uploads are parsed on worker threads unless the caller handed in its own
 * insight hook: a worker loads the server's own hook to prepare reports, so
 * another hook's `prepare` could only run here.
 */
function ingestThreads(config: ServerConfig, deps: ServerDeps): number {
  return deps.insights ? 0 : config.ingestWorkers;
}

/**
 * Ingest transactions in flight by default (ingest/group-commit.ts): SQLite
 * has one writer; on PostgreSQL two overlap one batch's round trips with the
 * next (bench/postgres.bench.ts measured 1 against 2 and 4).
 */
function parallelCommits(store: Store): number {
  return store.dialect === 'postgres' ? 2 : 1;
}

async function openIntake(
  config: ServerConfig,
  deps: ServerDeps,
  store: Store,
  insights: InsightsHook,
  geo: GeoLookup,
  log: FastifyInstance['log'],
): Promise<ReportIntake> {
  const workers = ingestThreads(config, deps);
  const preparer =
    workers === 0
      ? inlinePreparer({ maxDepth: config.maxJsonDepth, maxElements: config.maxJsonElements }, insights)
      : await WorkerPreparer.start({
          maxJsonDepth: config.maxJsonDepth,
          maxJsonElements: config.maxJsonElements,
          workers,
          onThreadDeath: (err) =>
            log.error({ err }, 'an ingest worker stopped; it is started again for the next upload'),
        });
  return new ReportIntake(store, preparer, new OfficeMapper(), insights, {
    groupCommitMs: config.groupCommitMs,
    groupCommitMax: config.groupCommitMax,
    groupCommitParallel: config.groupCommitParallel ?? parallelCommits(store),
    locate: (ip) => geo.lookup(ip),
  });
}

export async function buildServer(config: ServerConfig, deps: ServerDeps = {}): Promise<FastifyInstance> {
  const ownStore = !deps.store;
  const store =
    deps.store ?? (await openStore({ url: config.db, ...(config.dbRead ? { readUrl: config.dbRead } : {}) }));
  const limits = connectionLimits(config);
  const https =
    config.tlsCert && config.tlsKey
      ? { cert: readPem('tlsCert', config.tlsCert), key: readPem('tlsKey', config.tlsKey), ...limits }
      : null;
  const app = Fastify({
    ...(https ? { https } : { http: limits }),
    requestTimeout: limits.requestTimeout,
    connectionTimeout: config.idleTimeoutSeconds * 1000,
    keepAliveTimeout: config.idleTimeoutSeconds * 1000,
    logger: deps.logger === false ? false : { level: config.logLevel },
    // Per-request logs would cost more than ingest itself; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustedProxies.length ? config.trustedProxies : false,
    bodyLimit: config.maxBodyBytes,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
  }) as unknown as FastifyInstance;
  // Beyond this many open sockets Node closes new ones on arrival, before they cost a descriptor for long.
  app.server.maxConnections = config.maxConnections;
  limitConnectionsPerAddress(app.server, config.maxConnectionsPerAddress, config.trustedProxies);

  const buckets = new TokenBuckets(config.ingestRatePerSecond, config.ingestBurst);
  const geo = deps.geo ?? (await openGeo(config));
  // The engine places front door addresses with the same geo source as egress addresses.
  const insights = deps.insights ?? (await loadInsightsHook({ geo }));
  const ctx: ServerContext = {
    config,
    store,
    insights,
    geo,
    intake: await openIntake(config, deps, store, insights, geo, app.log),
    auth: new Authenticator(store, buckets),
    throttle: new LoginThrottle(store),
    secrets: loadSecretBox(config),
    now: deps.now ?? (() => new Date()),
    dns: { listener: undefined },
  };
  const sightings = new SightingWriter(store, {
    now: ctx.now,
    onError: (err) => app.log.error({ err }, 'resolver sightings could not be written'),
  });
  app.decorate('netinsights', ctx);
  if (!ctx.secrets)
    app.log.warn(
      'no secret key (--secret-key-file or NETINSIGHTS_SECRET_KEY): notification channel secrets are stored unsealed',
    );
  const catalog = new RouteCatalog();
  app.decorate('routeCatalog', catalog);

  app.addHook('onRoute', (opts) => {
    // Static files of the dashboard are public; every /api route must say who may call it.
    if (!opts.url.startsWith('/api/') && opts.config?.access === undefined)
      opts.config = { ...(opts.config ?? {}), access: 'public' };
    catalog.add(opts);
  });
  app.setErrorHandler(errorHandler);
  const webRoot = config.webRoot ?? defaultWebRoot();
  if (webRoot) {
    // Client-side routes of the dashboard fall back to index.html; unknown /api paths stay 404.
    app.setNotFoundHandler((request, reply) => {
      if (isDashboardRoute(request.method, request.url)) return reply.sendFile('index.html');
      notFoundHandler(request, reply);
    });
  } else app.setNotFoundHandler(notFoundHandler);
  await app.register(fastifyCookie);
  app.addHook('onSend', securityHeaders);
  app.addHook('onRequest', ctx.auth.hook);
  // After authentication, which stays on the primary.
  registerReadReplicaRouting(app, ctx);
  app.addHook('onRequest', crossSiteGuard(config.publicUrl));
  app.addHook('preParsing', documentedContentType);
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 5 * 1024 * 1024 }, (_r, body, done) =>
    done(null, body),
  );

  registerAuthRoutes(app, ctx);
  registerSsoRoutes(app, ctx);
  registerSilenceRoutes(app, ctx);
  registerOfficeRoutes(app, ctx);
  registerDiscoveredRoutes(app, ctx);
  registerReportRoutes(app, ctx);
  registerTokenRoutes(app, ctx);
  registerEnrollmentRoutes(app, ctx);
  registerUserRoutes(app, ctx);
  registerSettingsRoutes(app, ctx);
  registerAgentPolicyRoutes(app, ctx);
  registerAuditRoutes(app, ctx);
  registerInsightRoutes(app, ctx);
  registerAssessmentRoutes(app, ctx);
  registerRemediationRoutes(app, ctx);
  registerNotifications(app, ctx, {
    allowPrivateTargets: config.notifyAllowPrivateTargets,
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
    ...deps.notifications,
  });
  registerIngestRoutes(app, ctx);

  registerOpenApiRoute(app, catalog, pkg.version);

  if (webRoot)
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      // Vite names built assets by content hash, so they never change under one name.
      setHeaders: (reply, path) => {
        if (path.includes('/assets/')) reply.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });

  const timers: NodeJS.Timeout[] = [];
  app.addHook('onReady', () => startDnsListener(ctx, config, sightings));
  app.addHook('onReady', async () => {
    let evaluating = false;
    timers.push(
      setInterval(() => {
        if (evaluating) return;
        evaluating = true;
        ctx.insights
          .evaluateAll(store, ctx.now())
          .catch((err: unknown) => app.log.error({ err }, 'insight evaluation failed'))
          .finally(() => {
            evaluating = false;
          });
      }, config.evaluateIntervalSeconds * 1000),
      setInterval(() => {
        purgeExpired(store, config, ctx.now(), ctx.throttle).catch((err: unknown) =>
          app.log.error({ err }, 'purge failed'),
        );
      }, config.purgeIntervalSeconds * 1000),
    );
    for (const t of timers) t.unref();
  });
  app.addHook('onClose', async () => {
    for (const t of timers) clearInterval(t);
    await ctx.dns.listener?.close();
    await sightings.close();
    await ctx.intake.close();
    if (ownStore) await store.close();
  });
  return app;
}

/** Deletes reports past retention (in bounded chunks), expired sessions, abandoned single sign-on requests and old failed sign-ins. */
export async function purgeExpired(
  store: Store,
  config: ServerConfig,
  now: Date,
  throttle = new LoginThrottle(store),
): Promise<number> {
  const cutoff = new Date(now.getTime() - config.retentionDays * 86_400_000).toISOString();
  await store.reports.prepareAhead?.(now.toISOString());
  let total = 0;
  for (;;) {
    const n = await store.reports.purgeOlderThan(cutoff, 2000);
    total += n;
    if (n < 2000) break;
    // Let ingest in between chunks.
    await new Promise((r) => setImmediate(r));
  }
  await store.sessions.purgeExpired(now.toISOString());
  await store.signIn.purgeStates(now.toISOString());
  // Unclaimed resolver sightings after a day (a spooled report is usually sent well within it); claimed ones with their reports.
  await store.resolverSightings.purge(new Date(now.getTime() - 86_400_000).toISOString(), cutoff);
  await throttle.purge(now);
  return total;
}

export interface StartedServer {
  app: FastifyInstance;
  /** e.g. `https://127.0.0.1:8443` */
  url: string;
  /** The DNS listener for `--dns-zone`, when one is configured. */
  dns?: ZoneListener;
}

export async function startServer(config: ServerConfig, deps: ServerDeps = {}): Promise<StartedServer> {
  const app = await buildServer(config, deps);
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await app.close();
    throw listenError(err as NodeJS.ErrnoException, config);
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    app,
    url: `${config.tlsCert ? 'https' : 'http'}://${host}:${port}`,
    ...(app.netinsights.dns.listener ? { dns: app.netinsights.dns.listener } : {}),
  };
}

/**
 * Starts the DNS listener of `--dns-zone` (dns/zone-listener.ts) into
 * `ctx.dns`; sightings go through a batching writer. Port problems become a
 * ConfigError that says what to do.
 */
async function startDnsListener(
  ctx: ServerContext,
  config: ServerConfig,
  writer: SightingWriter,
): Promise<void> {
  if (!config.dnsZone) return;
  try {
    ctx.dns.listener = await startZoneListener({
      answerer: zoneAnswerer(config.dnsZone),
      host: config.dnsHost,
      port: config.dnsPort,
      onSighting: (s) => writer.add(s),
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const where = `${config.dnsHost}:${config.dnsPort}`;
    if (e.code === 'EADDRINUSE')
      throw new ConfigError('dnsPort', `DNS port ${where} is already in use: pick another with --dns-port N`);
    if (e.code === 'EACCES')
      throw new ConfigError(
        'dnsPort',
        `not allowed to listen on ${where} (port 53 needs CAP_NET_BIND_SERVICE): grant it, or use --dns-port N behind a forwarder`,
      );
    if (e.code === 'EADDRNOTAVAIL')
      throw new ConfigError('dnsHost', `${config.dnsHost} is not an address of this machine (--dns-host)`);
    throw err;
  }
}

/**
 * A listen failure as a configuration error that says which address and how
 * to pick another, instead of a stack trace (a port taken is the usual one).
 */
export function listenError(err: NodeJS.ErrnoException, config: ServerConfig): Error {
  const where = `${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  const pick = 'pick another with --port N (or NETINSIGHTS_PORT=N; --port 0 takes any free port)';
  if (err.code === 'EADDRINUSE')
    return new ConfigError(
      'port',
      `port ${config.port} is already in use (${where}): stop what listens there, or ${pick}`,
    );
  if (err.code === 'EACCES')
    return new ConfigError(
      'port',
      `not allowed to listen on ${where} (ports below 1024 need privileges): ${pick}`,
    );
  if (err.code === 'EADDRNOTAVAIL')
    return new ConfigError(
      'host',
      `${config.host} is not an address of this machine (--host): use 127.0.0.1, 0.0.0.0 or ::`,
    );
  return err;
}

/** What to tell someone starting an empty instance. */
export function firstRunHint(db: string): string {
  return [
    'This instance has no tenant yet. Create one and its first owner:',
    `  netinsights admin create-tenant --db ${db} --name "Example Corp"`,
    `  netinsights admin create-user --db ${db} --tenant <tenant id> --email you@example.com --role owner`,
    `  netinsights admin create-agent-token --db ${db} --tenant <tenant id> --name office-probes`,
    'then sign in to the dashboard, or upload with: netinsights probe --collector URL --token nia_…',
  ].join('\n');
}
