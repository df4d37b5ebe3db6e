/**
 * @module http/routes/offices
 * Offices: list (with activity and active insights), create, read, update,
 * delete, CSV import, and per-office metrics from the insight engine.
 * Overlapping ranges between offices are refused with 409 and the list of
 * overlaps; every change is audited in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { audit } from '../../audit/audit-log.ts';
import { principalOf } from '../../auth/principal.ts';
import { apiError, schemaError } from '../../errors.ts';
import { checkCsvOverlaps, readOfficeCsv } from '../../offices/csv-import.ts';
import { checkOfficeInput, findOverlaps } from '../../offices/office-input.ts';
import { officeView } from '../../offices/office-view.ts';
import type { OfficeFields, OfficeRow, Store } from '../../store/contract.ts';
import type { ServerContext } from '../context.ts';

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

export const OfficeInputSchema = Type.Object(
  {
    name: Type.String(),
    address: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    city: Type.String(),
    country: Type.String(),
    latitude: Type.Number({ minimum: -90, maximum: 90 }),
    longitude: Type.Number({ minimum: -180, maximum: 180 }),
    lanSubnets: Type.Array(Type.String({ description: 'CIDR, IPv4 or IPv6' })),
    egressRanges: Type.Array(Type.String({ description: 'CIDR, IPv4 or IPv6' })),
  },
  { additionalProperties: false },
);

/** Validates, checks overlaps against the tenant's other offices, or throws 422 / 409. */
export async function validateOffice(
  store: Store,
  tenantId: string,
  body: unknown,
  base?: OfficeRow,
): Promise<OfficeFields> {
  const { office, issues } = checkOfficeInput(body, base);
  if (!office) throw schemaError('invalid office', issues);
  const others = (await store.offices.list(tenantId)).filter((o) => o.id !== base?.id);
  const overlaps = findOverlaps(office, others);
  if (overlaps.length)
    throw apiError(
      'NI_ERR_CONFLICT',
      `${overlaps[0]!.range} overlaps ${overlaps[0]!.otherRange} of office "${overlaps[0]!.officeName}"` +
        (overlaps.length > 1 ? ` (and ${overlaps.length - 1} more)` : ''),
      { overlaps },
    );
  return office;
}

export async function createOffice(
  tx: Store,
  tenantId: string,
  fields: OfficeFields,
  now: Date,
): Promise<OfficeRow> {
  const row: OfficeRow = {
    ...fields,
    tenantId,
    id: randomUUID(),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await tx.offices.create(row);
  return row;
}

export function registerOfficeRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx;
  const tags = ['offices'];

  app.get(
    '/api/v1/offices',
    { config: { access: 'read' }, schema: { tags, summary: 'offices with activity and active insights' } },
    async (request) => {
      const p = principalOf(request);
      return { items: await officeSummaries(ctx, p.tenantId) };
    },
  );

  app.post(
    '/api/v1/offices',
    {
      config: { access: 'write', openapi: { body: OfficeInputSchema } },
      schema: { tags, summary: 'create an office' },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const now = ctx.now();
      const row = await store.transaction(async (tx) => {
        const fields = await validateOffice(tx, p.tenantId, request.body);
        const created = await createOffice(tx, p.tenantId, fields, now);
        await audit(tx, p, 'office.create', `office:${created.id}`, { name: created.name }, now);
        return created;
      });
      ctx.intake.invalidateOffices(p.tenantId);
      reply.status(201);
      return officeView(row);
    },
  );

  app.post(
    '/api/v1/offices/import',
    {
      config: {
        access: 'write',
        openapi: {
          bodyContentType: 'text/csv',
          description:
            'CSV with header name,address,city,country,latitude,longitude,lan_subnets,egress_ranges; ' +
            'ranges separated by spaces or ";". Nothing is imported when any row is bad.',
        },
      },
      schema: { tags, summary: 'import offices from CSV' },
    },
    async (request) => {
      const p = principalOf(request);
      if (typeof request.body !== 'string') throw apiError('NI_ERR_UNSUPPORTED_MEDIA_TYPE', 'send text/csv');
      const now = ctx.now();
      // Fields and CIDRs are checked before the transaction; inside it only the overlap index runs.
      const read = await readOfficeCsv(request.body);
      const count = await store.transaction(async (tx) => {
        const existing = await tx.offices.list(p.tenantId);
        const { offices, issues } = checkCsvOverlaps(read, existing);
        if (issues.length)
          throw apiError(
            'NI_ERR_SCHEMA',
            `${issues.length} problem${issues.length > 1 ? 's' : ''} in the CSV; nothing was imported ` +
              `(first: row ${issues[0]!.row}${issues[0]!.column ? `, column ${issues[0]!.column}` : ''}: ${issues[0]!.message})`,
            { rows: issues },
          );
        for (const o of offices) await createOffice(tx, p.tenantId, o, now);
        await audit(tx, p, 'office.import', `offices:${offices.length}`, { imported: offices.length }, now);
        return offices.length;
      });
      ctx.intake.invalidateOffices(p.tenantId);
      return { imported: count };
    },
  );

  app.get(
    '/api/v1/offices/:id',
    { config: { access: 'read' }, schema: { tags, summary: 'one office', params: IdParams } },
    async (request) => {
      const p = principalOf(request);
      const { id } = request.params as { id: string };
      const o = await store.offices.get(p.tenantId, id);
      if (!o) throw apiError('NI_ERR_NOT_FOUND', `no office ${id}`);
      return officeView(o);
    },
  );

  app.patch(
    '/api/v1/offices/:id',
    {
      config: { access: 'write', openapi: { body: Type.Partial(OfficeInputSchema) } },
      schema: { tags, summary: 'change an office', params: IdParams },
    },
    async (request) => {
      const p = principalOf(request);
      const { id } = request.params as { id: string };
      const now = ctx.now();
      const row = await store.transaction(async (tx) => {
        const base = await tx.offices.get(p.tenantId, id);
        if (!base) throw apiError('NI_ERR_NOT_FOUND', `no office ${id}`);
        const fields = await validateOffice(tx, p.tenantId, request.body, base);
        const updated: OfficeRow = { ...base, ...fields, updatedAt: now.toISOString() };
        await tx.offices.update(updated);
        await audit(
          tx,
          p,
          'office.update',
          `office:${id}`,
          { fields: Object.keys(request.body as object) },
          now,
        );
        return updated;
      });
      ctx.intake.invalidateOffices(p.tenantId);
      return officeView(row);
    },
  );

  app.delete(
    '/api/v1/offices/:id',
    { config: { access: 'write' }, schema: { tags, summary: 'delete an office', params: IdParams } },
    async (request, reply) => {
      const p = principalOf(request);
      const { id } = request.params as { id: string };
      const now = ctx.now();
      await store.transaction(async (tx) => {
        const o = await tx.offices.get(p.tenantId, id);
        if (!o || !(await tx.offices.delete(p.tenantId, id)))
          throw apiError('NI_ERR_NOT_FOUND', `no office ${id}`);
        await audit(tx, p, 'office.delete', `office:${id}`, { name: o.name }, now);
      });
      ctx.intake.invalidateOffices(p.tenantId);
      reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/offices/:id/metrics',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'metrics per time bucket, with peers in the same city',
        params: IdParams,
        querystring: Type.Object({
          window: Type.Optional(Type.Union([Type.Literal('24h'), Type.Literal('7d')])),
        }),
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { id } = request.params as { id: string };
      const { window = '24h' } = request.query as { window?: '24h' | '7d' };
      if (!(await store.offices.get(p.tenantId, id))) throw apiError('NI_ERR_NOT_FOUND', `no office ${id}`);
      return ctx.insights.officeMetrics(store, p.tenantId, id, window, ctx.now());
    },
  );
}

/** OfficeSummary[]: office + active insights + 24 h activity. */
export async function officeSummaries(ctx: ServerContext, tenantId: string) {
  const now = ctx.now();
  const since = new Date(now.getTime() - 24 * 3_600_000).toISOString();
  const [offices, activity, last, active] = await Promise.all([
    ctx.store.offices.list(tenantId),
    ctx.store.reports.activitySince(tenantId, since),
    ctx.store.reports.lastReportPerOffice(tenantId),
    ctx.insights.listInsights(ctx.store, tenantId, { status: 'active' }),
  ]);
  const byOffice = new Map(activity.map((a) => [a.officeId, a]));
  const lastAt = new Map(last.map((l) => [l.officeId, l.at]));
  return offices.map((o) => {
    const a = byOffice.get(o.id);
    return {
      ...officeView(o),
      activeInsights: active
        .filter((i) => i.officeId === o.id)
        .map((i) => ({ id: i.id, kind: i.kind, severity: i.severity })),
      lastReportAt: lastAt.get(o.id) ?? null,
      reports24h: a?.reports ?? 0,
      devices24h: a?.devices ?? 0,
    };
  });
}
