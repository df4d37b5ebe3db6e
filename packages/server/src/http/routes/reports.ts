/**
 * @module http/routes/reports
 * Stored reports for drill-down: a cursor-paginated list (newest first,
 * optionally per office) and one report with its collector metadata.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../../auth/principal.ts';
import { apiError } from '../../errors.ts';
import type { ReportMeta } from '../../store/contract.ts';
import type { ServerContext } from '../context.ts';
import { IdParams } from './offices.ts';

const ListQuery = Type.Object({
  office: Type.Optional(Type.String({ maxLength: 128 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});

export function registerReportRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx;
  const tags = ['reports'];

  app.get(
    '/api/v1/reports',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'stored reports, newest first', querystring: ListQuery },
    },
    async (request) => {
      const p = principalOf(request);
      const q = request.query as { office?: string; cursor?: string; limit?: number };
      const page = await store.reports.list(p.tenantId, {
        limit: q.limit ?? 50,
        ...(q.office ? { officeId: q.office } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      });
      const names = new Map((await store.offices.list(p.tenantId)).map((o) => [o.id, o.name]));
      const items = page.items.map((r: ReportMeta) => ({
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
      return page.nextCursor ? { items, nextCursor: page.nextCursor } : { items };
    },
  );

  app.get(
    '/api/v1/reports/:id',
    { config: { access: 'read' }, schema: { tags, summary: 'one stored report', params: IdParams } },
    async (request) => {
      const p = principalOf(request);
      const { id } = request.params as { id: string };
      const r = await store.reports.get(p.tenantId, id);
      if (!r) throw apiError('NI_ERR_NOT_FOUND', `no report ${id}`);
      const office = r.officeId ? await store.offices.get(p.tenantId, r.officeId) : undefined;
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
