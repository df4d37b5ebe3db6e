/**
 * @module http/routes/silences
 * Silences (maintenance windows): for one office, one insight kind, both, or
 * the whole tenant, from a start to an end, with a reason. While one is in
 * force nothing about what it covers pages (notify/event-pump.ts); insights
 * still update. Setting and ending one is audited; ending one early keeps it
 * in the list with its new end.
 */
import { randomUUID } from 'node:crypto';
import { INSIGHT_KINDS } from '@netinsights/protocol';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { actorName } from '../../auth/principal.ts';
import { apiError, schemaError } from '../../errors.ts';
import type { InsightKind } from '../../insights/kinds.ts';
import type { SilenceRow } from '../../notify/silence-contract.ts';
import { auditedChange } from '../audited-change.ts';
import type { ServerContext } from '../context.ts';
import { apiRoutes, IdParams } from './api-route.ts';

/** A silence longer than this is more likely a mistake (or a way to mute for good) than maintenance. */
export const MAX_SILENCE_DAYS = 31;

const NewSilence = Type.Object(
  {
    officeId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()])),
    kind: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
    /** Omit to start now. */
    startsAt: Type.Optional(Type.String({ format: 'date-time' })),
    endsAt: Type.String({ format: 'date-time' }),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);

const silenceView = ({ tenantId: _t, ...shown }: SilenceRow, now: Date) => ({
  ...shown,
  active: shown.startsAt <= now.toISOString() && now.toISOString() < shown.endsAt,
});

export function registerSilenceRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx;
  const api = apiRoutes(app, ['silences']);

  api.get(
    '/api/v1/silences',
    { access: 'read', summary: 'silences in force or to come, and those ended in the last 7 days' },
    async ({ tenantId }) => {
      const now = ctx.now();
      const since = new Date(now.getTime() - 7 * 86_400_000).toISOString();
      return { items: (await store.silences.list(tenantId, since)).map((s) => silenceView(s, now)) };
    },
  );

  api.post(
    '/api/v1/silences',
    {
      access: 'write',
      summary: 'silence notifications for an office, a kind, or everything, for a time',
      body: NewSilence,
    },
    async ({ principal, tenantId, body }, reply) => {
      const now = ctx.now();
      const starts = body.startsAt ? new Date(body.startsAt) : now;
      const ends = new Date(body.endsAt);
      if (Number.isNaN(starts.getTime()))
        throw schemaError('invalid silence', [{ path: '/startsAt', message: 'is not a date-time' }]);
      if (Number.isNaN(ends.getTime()))
        throw schemaError('invalid silence', [{ path: '/endsAt', message: 'is not a date-time' }]);
      if (ends <= starts || ends <= now)
        throw schemaError('invalid silence', [
          { path: '/endsAt', message: 'must be after the start and in the future' },
        ]);
      if (ends.getTime() - starts.getTime() > MAX_SILENCE_DAYS * 86_400_000)
        throw schemaError('invalid silence', [
          { path: '/endsAt', message: `a silence may last at most ${MAX_SILENCE_DAYS} days` },
        ]);
      const kind = body.kind ?? null;
      if (kind !== null && !INSIGHT_KINDS.includes(kind as InsightKind))
        throw schemaError('invalid silence', [
          { path: '/kind', message: `is not an insight kind (one of ${INSIGHT_KINDS.join(', ')})` },
        ]);
      const row = await auditedChange(ctx, principal, async ({ tx, record }) => {
        const officeId = body.officeId ?? null;
        if (officeId !== null && !(await tx.offices.get(tenantId, officeId)))
          throw schemaError('invalid silence', [{ path: '/officeId', message: `no office ${officeId}` }]);
        const created: SilenceRow = {
          tenantId,
          id: randomUUID(),
          officeId,
          kind: kind as InsightKind | null,
          startsAt: starts.toISOString(),
          endsAt: ends.toISOString(),
          reason: body.reason.trim(),
          createdBy: actorName(principal),
          createdAt: now.toISOString(),
          suppressed: 0,
          lastSuppressedAt: null,
        };
        await tx.silences.create(created);
        await record('silence.create', `silence:${created.id}`, {
          officeId,
          kind,
          startsAt: created.startsAt,
          endsAt: created.endsAt,
          reason: created.reason,
        });
        return created;
      });
      reply.status(201);
      return silenceView(row, now);
    },
  );

  api.delete(
    '/api/v1/silences/:id',
    { access: 'write', summary: 'end a silence now', params: IdParams },
    async ({ principal, tenantId, params: { id } }, reply) => {
      await auditedChange(ctx, principal, async ({ tx, now, record }) => {
        const s = await tx.silences.get(tenantId, id);
        if (!s) throw apiError('NI_ERR_NOT_FOUND', `no silence ${id}`);
        if (!(await tx.silences.end(tenantId, id, now.toISOString())))
          throw apiError('NI_ERR_CONFLICT', `silence ${id} has already ended`);
        await record('silence.end', `silence:${id}`, { suppressed: s.suppressed });
      });
      reply.status(204).send();
    },
  );
}
