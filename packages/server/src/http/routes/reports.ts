/**
 * @module http/routes/reports
 * Stored reports for drill-down: a cursor-paginated list (newest first,
 * optionally per office) and one report with its collector metadata.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { apiError } from '../../errors.ts';
import type { ServerContext } from '../context.ts';
import { PAGE_QUERY, pageAnswer, pageRequest } from '../paging.ts';
import { apiRoutes, IdParams } from './api-route.ts';

const ListQuery = Type.Object({ office: Type.Optional(Type.String({ maxLength: 128 })), ...PAGE_QUERY });

export function registerReportRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx;
  const api = apiRoutes(app, ['reports']);

  api.get(
    '/api/v1/reports',
    { access: 'read', summary: 'stored reports, newest first', querystring: ListQuery },
    async ({ tenantId, query }) => {
      const page = await store.reports.list(tenantId, {
        ...pageRequest(query),
        ...(query.office ? { officeId: query.office } : {}),
      });
      const names = new Map((await store.offices.list(tenantId)).map((o) => [o.id, o.name]));
      return pageAnswer(page, (r) => ({
        id: r.id,
        receivedAt: r.receivedAt,
        officeId: r.officeId,
        officeName: r.officeId ? (names.get(r.officeId) ?? null) : null,
        deviceId: r.deviceId,
        egressIp: r.egressIp,
        checks: r.checks,
        failures: r.failures,
        failureCodes: r.failureCodes,
      }));
    },
  );

  api.get(
    '/api/v1/reports/:id',
    { access: 'read', summary: 'one stored report', params: IdParams },
    async ({ tenantId, params: { id } }) => {
      const r = await store.reports.get(tenantId, id);
      if (!r) throw apiError('NI_ERR_NOT_FOUND', `no report ${id}`);
      const office = r.officeId ? await store.offices.get(tenantId, r.officeId) : undefined;
      return {
        meta: {
          id: r.id,
          receivedAt: r.receivedAt,
          officeId: r.officeId,
          officeName: office?.name ?? null,
          egressIp: r.egressIp,
          deviceId: r.deviceId,
        },
        report: JSON.parse(r.body) as unknown,
      };
    },
  );
}
