/**
 * @module http/routes/reports
 * Stored reports for drill-down: a cursor-paginated list (newest first,
 * filtered by office, device, result and time) and one report with its
 * collector metadata. A filter value that cannot be right (an unknown
 * result, a time that is not ISO 8601, `since` not before `until`) is a 422
 * naming the parameter, never an empty list that looks like "no reports".
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { apiError, schemaError } from '../../errors.ts';
import type { ServerContext } from '../context.ts';
import { PAGE_QUERY, pageAnswer, pageRequest } from '../paging.ts';
import { apiRoutes, IdParams } from './api-route.ts';

const ListQuery = Type.Object({
  office: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'office id' })),
  device: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: "the probe's device id" })),
  result: Type.Optional(
    Type.Union([Type.Literal('passed'), Type.Literal('failed')], {
      description: 'passed: no check failed; failed: at least one did',
    }),
  ),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'received at or after (ISO 8601)' })),
  until: Type.Optional(Type.String({ format: 'date-time', description: 'received before (ISO 8601)' })),
  ...PAGE_QUERY,
});

/** Stored times are UTC ISO strings compared as text: the filter's times are brought to that form. */
const utc = (t: string) => new Date(t).toISOString();

export function registerReportRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx;
  const api = apiRoutes(app, ['reports']);

  api.get(
    '/api/v1/reports',
    { access: 'read', summary: 'stored reports, newest first', querystring: ListQuery },
    async ({ tenantId, query }) => {
      const since = query.since === undefined ? undefined : utc(query.since);
      const until = query.until === undefined ? undefined : utc(query.until);
      if (since !== undefined && until !== undefined && since >= until)
        throw schemaError('invalid querystring', [
          { path: '/until', message: `must be later than since (${since})` },
        ]);
      const page = await store.reports.list(tenantId, {
        ...pageRequest(query),
        ...(query.office ? { officeId: query.office } : {}),
        ...(query.device ? { deviceId: query.device } : {}),
        ...(query.result ? { result: query.result } : {}),
        ...(since ? { since } : {}),
        ...(until ? { until } : {}),
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
