/**
 * @module http/routes/notifications
 * Notification channels and their deliveries over the API:
 *
 *   GET    /api/v1/notification-channel-types       the channel types and their form fields
 *   GET    /api/v1/notification-channels            list (secrets never shown)
 *   POST   /api/v1/notification-channels            create (a webhook's secret is shown once)
 *   DELETE /api/v1/notification-channels/:id        delete (unsent deliveries are cancelled)
 *   POST   /api/v1/notification-channels/:id/test   queue a test message
 *   GET    /api/v1/deliveries?channelId=&status=&cursor=&limit=
 *   GET    /api/v1/deliveries/:id                   one delivery with its attempts
 *
 * Targets are checked by the SSRF guard when saved (and again when sent).
 * The tenant always comes from the credential.
 */
import { randomUUID } from 'node:crypto';
import { NetinsightsError } from '@netinsights/protocol';
import type { FastifyInstance } from 'fastify';
import { audit } from '../../audit/audit-log.ts';
import { principalOf } from '../../auth/principal.ts';
import { INSIGHT_KINDS } from '../../insights/kinds.ts';
import { type ChannelRow, parseChannelInput, redactChannel } from '../../notify/channel.ts';
import { channelOf, channelTypeInfos } from '../../notify/channels/index.ts';
import type { OutboxWorker } from '../../notify/outbox.ts';
import { queueTest } from '../../notify/outbox.ts';
import { openChannel, sealChannel } from '../../notify/secret-box.ts';
import { checkTarget, type GuardOptions } from '../../notify/ssrf-guard.ts';
import type { DeliveryRow, DeliveryStatus } from '../../notify/store-contract.ts';
import type { ServerContext } from '../context.ts';

/** Options of the notification routes. */
export interface NotificationRoutesOptions {
  /** Operator setting: allow internal targets (default false). */
  guard?: GuardOptions;
  /** The running worker, woken after a test is queued (optional). */
  worker?: OutboxWorker;
}

const STATUSES: DeliveryStatus[] = ['pending', 'sending', 'delivered', 'failed', 'cancelled'];

/** A delivery as the API shows it (the notices carry no secrets). */
function deliveryView(d: DeliveryRow) {
  return {
    id: d.id,
    channelId: d.channelId,
    test: d.test,
    status: d.status,
    attempts: d.attempts,
    events: d.notices.map((n) => ({
      eventId: n.eventId,
      type: n.type,
      at: n.at,
      insightId: n.insight.id,
      kind: n.insight.kind,
      officeId: n.insight.officeId,
    })),
    nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    createdAt: d.createdAt,
    deliveredAt: d.deliveredAt,
  };
}

/** Registers the notification routes (see the module comment). */
export function registerNotificationRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  opts: NotificationRoutesOptions = {},
): void {
  const { store } = ctx;
  const tags = ['notifications'];
  const guard = opts.guard ?? {};

  app.get(
    '/api/v1/notification-channel-types',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'the channel types, with the fields of their settings for a form' },
    },
    async () => channelTypeInfos(),
  );

  app.get(
    '/api/v1/notification-channels',
    { config: { access: 'read' }, schema: { tags, summary: 'notification channels of this tenant' } },
    async (request) =>
      (await store.outbox.listChannels(principalOf(request).tenantId)).map((c) =>
        redactChannel(ctx.secrets ? openChannel(ctx.secrets, c) : c),
      ),
  );

  app.post(
    '/api/v1/notification-channels',
    {
      config: { access: 'write' },
      schema: { tags, summary: 'add a webhook, Teams, Slack or e-mail channel' },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const input = parseChannelInput(request.body, INSIGHT_KINDS);
      const channel = channelOf(input);
      // Checked before saving, so the admin learns at once that a target is not allowed.
      await checkTarget(channel.target(), guard);
      const now = ctx.now().toISOString();
      const row: ChannelRow = {
        ...input,
        tenantId: p.tenantId,
        id: randomUUID(),
        createdAt: now,
        updatedAt: now,
      };
      await store.transaction(async (tx) => {
        // Credentials are stored sealed under the server key (notify/secret-box.ts).
        await tx.outbox.createChannel(ctx.secrets ? sealChannel(ctx.secrets, row) : row);
        await audit(tx, p, 'notification-channel.create', `notification-channel:${row.id}`, {
          name: row.name,
          type: row.type,
        });
      });
      reply.status(201);
      // A webhook's signing secret is shown this once, so the receiver can be set up to verify signatures.
      return { ...redactChannel(row), ...channel.shownOnce() };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/notification-channels/:id',
    {
      config: { access: 'write' },
      schema: { tags, summary: 'delete a channel; unsent deliveries are cancelled' },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const id = request.params.id;
      const deleted = await store.transaction(async (tx) => {
        const ok = await tx.outbox.deleteChannel(p.tenantId, id, ctx.now().toISOString());
        if (ok) await audit(tx, p, 'notification-channel.delete', `notification-channel:${id}`);
        return ok;
      });
      if (!deleted) throw new NetinsightsError('NI_ERR_NOT_FOUND', `no notification channel "${id}"`);
      reply.status(204);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/notification-channels/:id/test',
    { config: { access: 'write' }, schema: { tags, summary: 'send a test message through the channel' } },
    async (request, reply) => {
      const p = principalOf(request);
      const channel = await store.outbox.getChannel(p.tenantId, request.params.id);
      if (!channel)
        throw new NetinsightsError('NI_ERR_NOT_FOUND', `no notification channel "${request.params.id}"`);
      const deliveryId = await queueTest(store, p.tenantId, channel.id, ctx.now());
      opts.worker?.kick();
      reply.status(202);
      return { deliveryId, status: 'pending', check: `/api/v1/deliveries/${deliveryId}` };
    },
  );

  app.get<{ Querystring: { channelId?: string; status?: DeliveryStatus; cursor?: string; limit?: number } }>(
    '/api/v1/deliveries',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'deliveries, newest first (failed ones carry the last error)',
        querystring: {
          type: 'object',
          properties: {
            channelId: { type: 'string', maxLength: 128 },
            status: { type: 'string', enum: STATUSES },
            cursor: { type: 'string', maxLength: 512 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          },
        },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await store.outbox.listDeliveries(principalOf(request).tenantId, {
        ...(q.channelId ? { channelId: q.channelId } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
        limit: q.limit ?? 50,
      });
      return {
        items: page.items.map(deliveryView),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/deliveries/:id',
    { config: { access: 'read' }, schema: { tags, summary: 'one delivery with every attempt' } },
    async (request) => {
      const tenantId = principalOf(request).tenantId;
      const d = await store.outbox.getDelivery(tenantId, request.params.id);
      if (!d) throw new NetinsightsError('NI_ERR_NOT_FOUND', `no delivery "${request.params.id}"`);
      const attempts = await store.outbox.listAttempts(tenantId, d.id);
      return {
        ...deliveryView(d),
        attemptLog: attempts.map((a) => ({
          attempt: a.attempt,
          at: a.at,
          ok: a.ok,
          statusCode: a.statusCode,
          detail: a.detail,
          durationMs: a.durationMs,
        })),
      };
    },
  );
}
