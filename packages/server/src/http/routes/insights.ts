/**
 * @module http/routes/insights
 * Insights and the overview, answered by the insight engine through the
 * hook (insights-hook.ts); the tenant always comes from the credential.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { apiError } from '../../errors.ts';
import type { ServerContext } from '../context.ts';
import { apiRoutes, IdParams } from './api-route.ts';
import { discoveredList } from './discovered.ts';
import { officeSummaries } from './offices.ts';

const ListQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('resolved')])),
  kind: Type.Optional(Type.String({ maxLength: 64 })),
  office: Type.Optional(Type.String({ maxLength: 128 })),
});

export function registerInsightRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx;
  const api = apiRoutes(app, ['insights']);

  api.get(
    '/api/v1/insights',
    { access: 'read', summary: 'insights, filtered by status, kind and office', querystring: ListQuery },
    async ({ tenantId, query: q }) => ({
      items: await ctx.insights.listInsights(store, tenantId, {
        ...(q.status ? { status: q.status } : {}),
        ...(q.kind ? { kind: q.kind } : {}),
        ...(q.office ? { officeId: q.office } : {}),
      }),
    }),
  );

  api.get(
    '/api/v1/insights/:id',
    { access: 'read', summary: 'one insight with its history', params: IdParams },
    async ({ tenantId, params: { id } }) => {
      const found = await ctx.insights.getInsight(store, tenantId, id);
      if (!found) throw apiError('NI_ERR_NOT_FOUND', `no insight ${id}`);
      return found;
    },
  );

  api.get(
    '/api/v1/overview',
    { access: 'read', summary: 'tenant totals, offices and discovered locations' },
    async ({ tenantId }) => {
      const since = new Date(ctx.now().getTime() - 24 * 3_600_000).toISOString();
      const [tenant, offices, discovered, active, counts] = await Promise.all([
        store.tenants.get(tenantId),
        officeSummaries(ctx, tenantId),
        discoveredList(ctx, tenantId),
        ctx.insights.listInsights(store, tenantId, { status: 'active' }),
        store.reports.countSince(tenantId, since),
      ]);
      const activeByKind: Record<string, number> = {};
      for (const i of active) activeByKind[i.kind] = (activeByKind[i.kind] ?? 0) + 1;
      return {
        tenant: { id: tenantId, name: tenant?.name ?? '' },
        totals: {
          offices: offices.length,
          activeInsights: active.length,
          activeByKind,
          reports24h: counts.reports,
          devices24h: counts.devices,
        },
        offices,
        discovered,
      };
    },
  );
}
