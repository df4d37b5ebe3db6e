/**
 * @module http/routes/audit
 * The audit log of admin actions, newest first, cursor-paginated.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../../auth/principal.ts';
import type { ServerContext } from '../context.ts';

export function registerAuditRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    '/api/v1/audit',
    {
      config: { access: 'read' },
      schema: {
        tags: ['audit'],
        summary: 'audit log, newest first',
        querystring: Type.Object({
          cursor: Type.Optional(Type.String({ maxLength: 512 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
        }),
      },
    },
    async (request) => {
      const p = principalOf(request);
      const q = request.query as { cursor?: string; limit?: number };
      const page = await ctx.store.audit.list(p.tenantId, {
        limit: q.limit ?? 50,
        ...(q.cursor ? { cursor: q.cursor } : {}),
      });
      const items = page.items.map((a) => ({ at: a.at, actor: a.actor, action: a.action, target: a.target }));
      return page.nextCursor ? { items, nextCursor: page.nextCursor } : { items };
    },
  );
}
