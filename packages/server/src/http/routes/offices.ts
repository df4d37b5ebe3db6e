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
import { currentAssessments } from '../../assessment/queries.ts';
import type { Principal } from '../../auth/principal.ts';
import { apiError, schemaError } from '../../errors.ts';
import { checkCsvOverlaps, readOfficeCsv } from '../../offices/csv-import.ts';
import { checkOfficeInput, findOverlaps } from '../../offices/office-input.ts';
import { officeView } from '../../offices/office-view.ts';
import type { OfficeFields, OfficeRow, Store } from '../../store/contract.ts';
import { auditedChange, type Change } from '../audited-change.ts';
import type { ServerContext } from '../context.ts';
import { apiRoutes, IdParams } from './api-route.ts';

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

/**
 * An audited change of the caller's offices (or of what maps to them); once it
 * has committed, report mapping re-reads the tenant's offices.
 */
export async function changeOffices<T>(
  ctx: ServerContext,
  principal: Principal,
  work: (change: Change) => Promise<T>,
): Promise<T> {
  const result = await auditedChange(ctx, principal, work);
  ctx.intake.invalidateOffices(principal.tenantId);
  return result;
}

/** The tenant's office, or 404. */
async function officeOrNotFound(store: Store, tenantId: string, id: string): Promise<OfficeRow> {
  const o = await store.offices.get(tenantId, id);
  if (!o) throw apiError('NI_ERR_NOT_FOUND', `no office ${id}`);
  return o;
}

const MetricsQuery = Type.Object({
  window: Type.Optional(Type.Union([Type.Literal('24h'), Type.Literal('7d')])),
});

export function registerOfficeRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx;
  const api = apiRoutes(app, ['offices']);

  api.get(
    '/api/v1/offices',
    { access: 'read', summary: 'offices with activity and active insights' },
    async ({ tenantId }) => ({ items: await officeSummaries(ctx, tenantId) }),
  );

  api.post(
    '/api/v1/offices',
    { access: 'write', summary: 'create an office', openapi: { body: OfficeInputSchema } },
    async ({ principal, tenantId, body }, reply) => {
      const row = await changeOffices(ctx, principal, async ({ tx, now, record }) => {
        const created = await createOffice(tx, tenantId, await validateOffice(tx, tenantId, body), now);
        await record('office.create', `office:${created.id}`, { name: created.name });
        return created;
      });
      reply.status(201);
      return officeView(row);
    },
  );

  api.post(
    '/api/v1/offices/import',
    {
      access: 'write',
      summary: 'import offices from CSV',
      openapi: {
        bodyContentType: 'text/csv',
        description:
          'CSV with header name,address,city,country,latitude,longitude,lan_subnets,egress_ranges and an ' +
          'optional id column; ranges separated by spaces or ";". A row updates the office with its id, or ' +
          'else with its name, and creates one otherwise; the answer counts both. Nothing is imported when ' +
          'any row is bad.',
      },
    },
    async ({ principal, tenantId, body }) => {
      if (typeof body !== 'string') throw apiError('NI_ERR_UNSUPPORTED_MEDIA_TYPE', 'send text/csv');
      // Fields and CIDRs are checked before the transaction; inside it only the overlap index runs.
      const read = await readOfficeCsv(body);
      const counts = await changeOffices(ctx, principal, async ({ tx, now, record }) => {
        const existing = await tx.offices.list(tenantId);
        const { offices, issues } = checkCsvOverlaps(read, existing);
        if (issues.length)
          throw apiError(
            'NI_ERR_SCHEMA',
            `${issues.length} problem${issues.length > 1 ? 's' : ''} in the CSV; nothing was imported ` +
              `(first: row ${issues[0]!.row}${issues[0]!.column ? `, column ${issues[0]!.column}` : ''}: ${issues[0]!.message})`,
            { rows: issues },
          );
        const rows = new Map(existing.map((o) => [o.id, o]));
        let created = 0;
        let updated = 0;
        for (const { fields, updateId } of offices) {
          const old = updateId ? rows.get(updateId) : undefined;
          if (old) {
            await tx.offices.update({ ...old, ...fields, updatedAt: now.toISOString() });
            updated++;
          } else {
            await createOffice(tx, tenantId, fields, now);
            created++;
          }
        }
        await record('office.import', `offices:${offices.length}`, {
          imported: offices.length,
          created,
          updated,
        });
        return { created, updated };
      });
      // `imported` (created + updated) is kept for clients written before updates existed.
      return { imported: counts.created + counts.updated, ...counts };
    },
  );

  api.get(
    '/api/v1/offices/:id',
    { access: 'read', summary: 'one office', params: IdParams },
    async ({ tenantId, params: { id } }) => officeView(await officeOrNotFound(store, tenantId, id)),
  );

  api.patch(
    '/api/v1/offices/:id',
    {
      access: 'write',
      summary: 'change an office',
      params: IdParams,
      openapi: { body: Type.Partial(OfficeInputSchema) },
    },
    async ({ principal, tenantId, params: { id }, body }) => {
      const row = await changeOffices(ctx, principal, async ({ tx, now, record }) => {
        const base = await officeOrNotFound(tx, tenantId, id);
        const fields = await validateOffice(tx, tenantId, body, base);
        const updated: OfficeRow = { ...base, ...fields, updatedAt: now.toISOString() };
        await tx.offices.update(updated);
        await record('office.update', `office:${id}`, { fields: Object.keys(body as object) });
        return updated;
      });
      return officeView(row);
    },
  );

  api.delete(
    '/api/v1/offices/:id',
    { access: 'write', summary: 'delete an office', params: IdParams },
    async ({ principal, tenantId, params: { id } }, reply) => {
      await changeOffices(ctx, principal, async ({ tx, record }) => {
        const o = await tx.offices.get(tenantId, id);
        if (!o || !(await tx.offices.delete(tenantId, id)))
          throw apiError('NI_ERR_NOT_FOUND', `no office ${id}`);
        await record('office.delete', `office:${id}`, { name: o.name });
      });
      reply.status(204).send();
    },
  );

  api.get(
    '/api/v1/offices/:id/metrics',
    {
      access: 'read',
      summary: 'metrics per time bucket, with peers in the same city',
      params: IdParams,
      querystring: MetricsQuery,
    },
    async ({ tenantId, params: { id }, query: { window = '24h' } }) => {
      await officeOrNotFound(store, tenantId, id);
      return ctx.insights.officeMetrics(store, tenantId, id, window, ctx.now());
    },
  );
}

/** OfficeSummary[]: office + active insights + 24 h activity + its network assessment (null before its first evaluation). */
export async function officeSummaries(ctx: ServerContext, tenantId: string) {
  const now = ctx.now();
  const since = new Date(now.getTime() - 24 * 3_600_000).toISOString();
  const [offices, activity, last, active, assessments] = await Promise.all([
    ctx.store.offices.list(tenantId),
    ctx.store.reports.activitySince(tenantId, since),
    ctx.store.reports.lastReportPerOffice(tenantId),
    ctx.insights.listInsights(ctx.store, tenantId, { status: 'active' }),
    currentAssessments(ctx.store, tenantId),
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
      assessment: assessments.get(o.id) ?? null,
    };
  });
}
