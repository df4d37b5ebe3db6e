/**
 * @module http/routes/discovered
 * Discovered locations (unmapped egress prefixes) and their adoption as an
 * office: the new office is created, the location marked adopted, and its
 * stored reports re-pointed to the office — all in one transaction.
 */
import type { FastifyInstance } from 'fastify';
import { audit } from '../../audit/audit-log.ts';
import { principalOf } from '../../auth/principal.ts';
import { apiError } from '../../errors.ts';
import { discoveredView, officeView } from '../../offices/office-view.ts';
import type { ServerContext } from '../context.ts';
import { createOffice, IdParams, OfficeInputSchema, validateOffice } from './offices.ts';

export function registerDiscoveredRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx;
  const tags = ['offices'];

  app.get(
    '/api/v1/discovered',
    { config: { access: 'read' }, schema: { tags, summary: 'unmapped egress locations' } },
    async (request) => {
      const p = principalOf(request);
      return { items: await discoveredList(ctx, p.tenantId) };
    },
  );

  app.post(
    '/api/v1/discovered/:id/adopt',
    {
      config: { access: 'write', openapi: { body: OfficeInputSchema } },
      schema: { tags, summary: 'adopt a discovered location as an office', params: IdParams },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const { id } = request.params as { id: string };
      const now = ctx.now();
      const office = await store.transaction(async (tx) => {
        const d = await tx.discovered.get(p.tenantId, id);
        if (!d) throw apiError('NI_ERR_NOT_FOUND', `no discovered location ${id}`);
        if (d.adoptedOfficeId)
          throw apiError('NI_ERR_CONFLICT', `already adopted as office ${d.adoptedOfficeId}`);
        const fields = await validateOffice(tx, p.tenantId, request.body);
        const created = await createOffice(tx, p.tenantId, fields, now);
        await tx.discovered.adopt(p.tenantId, id, created.id);
        const moved = await tx.reports.reassignDiscovered(p.tenantId, id, created.id);
        await ctx.insights.onLocationAdopted?.(tx, p.tenantId, id, created.id, now);
        await audit(
          tx,
          p,
          'discovered.adopt',
          `discovered:${id}`,
          { officeId: created.id, reports: moved },
          now,
        );
        return created;
      });
      ctx.intake.invalidateOffices(p.tenantId);
      reply.status(201);
      return officeView(office);
    },
  );
}

export async function discoveredList(ctx: ServerContext, tenantId: string) {
  const rows = await ctx.store.discovered.listOpen(tenantId);
  return Promise.all(
    rows.map(async (d) => discoveredView(d, await ctx.store.discovered.devices(tenantId, d.id))),
  );
}
