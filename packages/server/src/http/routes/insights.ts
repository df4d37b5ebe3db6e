/**
 * @module http/routes/insights
 * Insights and the overview, answered by the insight engine through the
 * hook (insights-hook.ts); the tenant always comes from the credential.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../../auth/principal.ts';
import { apiError } from '../../errors.ts';
import type { ServerContext } from '../context.ts';
import { discoveredList } from './discovered.ts';
import { IdParams, officeSummaries } from './offices.ts';

export function registerInsightRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx;
  const tags = ['insights'];

  app.get(
    '/api/v1/insights',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'insights, filtered by status, kind and office',
        querystring: Type.Object({
          status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('resolved')])),
          kind: Type.Optional(Type.String({ maxLength: 64 })),
          office: Type.Optional(Type.String({ maxLength: 128 })),
        }),
      },
    },
    async (request) => {
      const p = principalOf(request);
      const q = request.query as { status?: 'active' | 'resolved'; kind?: string; office?: string };
      const items = await ctx.insights.listInsights(store, p.tenantId, {
        ...(q.status ? { status: q.status } : {}),
        ...(q.kind ? { kind: q.kind } : {}),
        ...(q.office ? { officeId: q.office } : {}),
      });
      return { items };
    },
  );

  app.get(
    '/api/v1/insights/:id',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'one insight with its history', params: IdParams },
    },
    async (request) => {
      const p = principalOf(request);
      const { id } = request.params as { id: string };
      const found = await ctx.insights.getInsight(store, p.tenantId, id);
      if (!found) throw apiError('NI_ERR_NOT_FOUND', `no insight ${id}`);
      return found;
    },
  );

  app.get(
    '/api/v1/overview',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'tenant totals, offices and discovered locations' },
    },
    async (request) => {
      const p = principalOf(request);
      const since = new Date(ctx.now().getTime() - 24 * 3_600_000).toISOString();
      const [tenant, offices, discovered, active, counts] = await Promise.all([
        store.tenants.get(p.tenantId),
        officeSummaries(ctx, p.tenantId),
        discoveredList(ctx, p.tenantId),
        ctx.insights.listInsights(store, p.tenantId, { status: 'active' }),
        store.reports.countSince(p.tenantId, since),
      ]);
      const activeByKind: Record<string, number> = {};
      for (const i of active) activeByKind[i.kind] = (activeByKind[i.kind] ?? 0) + 1;
      return {
        tenant: { id: p.tenantId, name: tenant?.name ?? '' },
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
