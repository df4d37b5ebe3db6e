/**
 * @module notify
 * Notifications: channels, the durable outbox and its worker, the SSRF
 * guard, webhook signatures and the process metrics. Their HTTP routes live
 * in http/routes/notifications.ts and http/routes/metrics.ts, and
 * http/notifications.ts wires all of it into the server app.
 */
export * from './channel.ts';
export { INSIGHT_EVENTS_CURSOR, pumpInsightEvents } from './event-pump.ts';
export * from './insight-notice.ts';
export { ServerMetrics } from './metrics/server-metrics.ts';
export * from './notice.ts';
export { enqueueNotice, OutboxWorker, queueTest } from './outbox.ts';
export * from './signature.ts';
export * from './ssrf-guard.ts';
