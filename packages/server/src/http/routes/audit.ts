/**
 * @module http/routes/audit
 * The audit log of admin actions, newest first, cursor-paginated.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';
import { PAGE_QUERY, pageAnswer, pageRequest } from '../paging.ts';
import { apiRoutes } from './api-route.ts';

export function registerAuditRoutes(app: FastifyInstance, ctx: ServerContext): void {
  apiRoutes(app, ['audit']).get(
    '/api/v1/audit',
    { access: 'read', summary: 'audit log, newest first', querystring: Type.Object(PAGE_QUERY) },
    async ({ tenantId, query }) =>
      pageAnswer(await ctx.store.audit.list(tenantId, pageRequest(query)), (a) => ({
        at: a.at,
        actor: a.actor,
        action: a.action,
        target: a.target,
      })),
  );
}
