/**
 * @module notify
 * Notifications: channels, the durable outbox and its worker, the SSRF
 * guard, webhook signatures, and the API routes. `registerNotifications`
 * wires all of it into the server app in one call.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../http/context.ts';
import { pumpInsightEvents } from './event-pump.ts';
import { OutboxWorker, type OutboxWorkerOptions } from './outbox.ts';
import { registerNotificationRoutes } from './routes.ts';

export * from './channel.ts';
export { INSIGHT_EVENTS_CURSOR, pumpInsightEvents } from './event-pump.ts';
export * from './insight-notice.ts';
export * from './notice.ts';
export { enqueueNotice, OutboxWorker, queueTest } from './outbox.ts';
export * from './signature.ts';
export * from './ssrf-guard.ts';

/** Server settings for notifications. */
export interface NotificationSettings {
  /** Operator switch for internal webhook / SMTP targets (default false). */
  allowPrivateTargets?: boolean;
  /** Public URL of the server, so links in messages are absolute. */
  publicUrl?: string;
  /** Worker tuning (poll interval, lease, attempts, backoff). */
  worker?: Omit<OutboxWorkerOptions, 'store' | 'ctx' | 'feed'>;
  /** false: routes only, no worker in this process (e.g. a pure ingest node). */
  runWorker?: boolean;
}

/** Registers the routes and runs the outbox worker for the app's lifetime. */
export function registerNotifications(
  app: FastifyInstance,
  ctx: ServerContext,
  settings: NotificationSettings = {},
): OutboxWorker {
  const guard = { allowPrivateTargets: settings.allowPrivateTargets ?? false };
  const worker = new OutboxWorker({
    ...settings.worker,
    store: ctx.store,
    feed: (now) => pumpInsightEvents(ctx.store, now),
    ctx: { guard, ...(settings.publicUrl ? { publicUrl: settings.publicUrl } : {}) },
  });
  registerNotificationRoutes(app, ctx, { guard, worker });
  if (settings.runWorker !== false) {
    app.addHook('onReady', async () => worker.start());
    app.addHook('onClose', async () => worker.stop());
  }
  return worker;
}
