/**
 * @module http/routes/discovered
 * Discovered locations (unmapped egress prefixes) and their adoption as an
 * office: the new office is created, the location marked adopted, and its
 * stored reports re-pointed to the office — all in one transaction.
 */
import type { FastifyInstance } from 'fastify';
import { apiError } from '../../errors.ts';
import { discoveredView, officeView } from '../../offices/office-view.ts';
import type { ServerContext } from '../context.ts';
import { apiRoutes, IdParams } from './api-route.ts';
import { changeOffices, createOffice, OfficeInputSchema, validateOffice } from './offices.ts';

export function registerDiscoveredRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = apiRoutes(app, ['offices']);

  api.get(
    '/api/v1/discovered',
    { access: 'read', summary: 'unmapped egress locations' },
    async ({ tenantId }) => ({
      items: await discoveredList(ctx, tenantId),
    }),
  );

  api.post(
    '/api/v1/discovered/:id/adopt',
    {
      access: 'write',
      summary: 'adopt a discovered location as an office',
      params: IdParams,
      openapi: { body: OfficeInputSchema },
    },
    async ({ principal, tenantId, params: { id }, body }, reply) => {
      const office = await changeOffices(ctx, principal, async ({ tx, now, record }) => {
        const d = await tx.discovered.get(tenantId, id);
        if (!d) throw apiError('NI_ERR_NOT_FOUND', `no discovered location ${id}`);
        if (d.adoptedOfficeId)
          throw apiError('NI_ERR_CONFLICT', `already adopted as office ${d.adoptedOfficeId}`);
        const created = await createOffice(tx, tenantId, await validateOffice(tx, tenantId, body), now);
        await tx.discovered.adopt(tenantId, id, created.id);
        const moved = await tx.reports.reassignDiscovered(tenantId, id, created.id);
        await ctx.insights.onLocationAdopted?.(tx, tenantId, id, created.id, now);
        await record('discovered.adopt', `discovered:${id}`, { officeId: created.id, reports: moved });
        return created;
      });
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
