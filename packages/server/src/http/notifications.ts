/**
 * @module http/notifications
 * Wires notifications into the server app in one call: the notification
 * routes, /metrics, the ingest metrics hook, and the outbox worker (fed by
 * the insight-event pump) for the app's lifetime.
 */
import type { FastifyInstance } from 'fastify';
import { pumpInsightEvents } from '../notify/event-pump.ts';
import { ServerMetrics } from '../notify/metrics/server-metrics.ts';
import { OutboxWorker, type OutboxWorkerOptions } from '../notify/outbox.ts';
import type { ServerContext } from './context.ts';
import { registerMetricsRoute } from './routes/metrics.ts';
import { registerNotificationRoutes } from './routes/notifications.ts';

/** The collector's upload route (http/routes/ingest.ts). */
const INGEST_ROUTE = '/api/v1/reports';

/** Server settings for notifications. */
export interface NotificationSettings {
  /** Operator switch for internal webhook / SMTP targets (default false). */
  allowPrivateTargets?: boolean;
  /** Public URL of the server, so links in messages are absolute. */
  publicUrl?: string;
  /** Worker tuning (poll interval, lease, attempts, backoff). */
  worker?: Omit<OutboxWorkerOptions, 'store' | 'ctx' | 'feed' | 'onFeedError'>;
  /** false: routes only, no worker in this process (e.g. a pure ingest node). */
  runWorker?: boolean;
  /** Bearer token for GET /metrics (at least 32 characters); no token, no endpoint. */
  metricsToken?: string;
}

/**
 * Registers the notification routes and /metrics, and runs the outbox worker
 * (fed by the insight-event pump) for the app's lifetime. Returns the worker
 * and the process metrics (the ingest route can report to `metrics.observeIngest`).
 */
export function registerNotifications(
  app: FastifyInstance,
  ctx: ServerContext,
  settings: NotificationSettings = {},
): { worker: OutboxWorker; metrics: ServerMetrics } {
  const guard = { allowPrivateTargets: settings.allowPrivateTargets ?? false };
  const metrics = new ServerMetrics();
  const worker = new OutboxWorker({
    ...settings.worker,
    onAttempt: (d, outcome, final, channelType) => {
      metrics.observeDelivery(channelType, final);
      if (final === 'failed')
        app.log.warn({ deliveryId: d.id, tenantId: d.tenantId }, `delivery failed: ${outcome.detail}`);
      settings.worker?.onAttempt?.(d, outcome, final, channelType);
    },
    store: ctx.store,
    secrets: ctx.secrets,
    feed: (now) => pumpInsightEvents(ctx.store, now),
    onFeedError: (err) => app.log.error({ err }, 'reading insight events for notifications failed'),
    ctx: { guard, ...(settings.publicUrl ? { publicUrl: settings.publicUrl } : {}) },
  });
  registerNotificationRoutes(app, ctx, { guard, worker });
  registerMetricsRoute(app, ctx, {
    metrics,
    ...(settings.metricsToken ? { token: settings.metricsToken } : {}),
  });
  // Ingest rate and latency, measured around the collector's route without touching its code.
  app.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.url !== INGEST_ROUTE || request.method !== 'POST') return;
    metrics.observeIngest(`${Math.floor(reply.statusCode / 100)}xx`, reply.elapsedTime / 1000);
  });
  if (settings.runWorker !== false) {
    app.addHook('onReady', async () => worker.start());
    app.addHook('onClose', async () => worker.stop());
  }
  return { worker, metrics };
}
