/**
 * @module http/routes/ingest
 * POST /api/v1/reports (agent token): decode under size caps, check depth,
 * parse, validate against ProbeReport v1, map to an office or a discovered
 * location, store once per (tenant, reportId) together with the insight
 * rollup, and answer 202 only after COMMIT.
 */
import { compileValidator, type ProbeReport, ProbeReport as ProbeReportSchema } from '@netinsights/protocol';
import type { FastifyInstance } from 'fastify';
import type { AgentPrincipal } from '../../auth/principal.ts';
import { decodeBody } from '../../ingest/decode-body.ts';
import { GroupCommit } from '../../ingest/group-commit.ts';
import { checkJsonDepth, type JsonBody, parseJsonBody } from '../../ingest/json-body.ts';
import { summarise } from '../../ingest/report-row.ts';
import { schemaDepth } from '../../ingest/schema-depth.ts';
import { normaliseIp } from '../../net/cidr.ts';
import { discoveredId } from '../../offices/discovered-id.ts';
import type { GeoInfo, OfficeRow, Store } from '../../store/contract.ts';
import { schemaError } from '../api-error.ts';
import type { ServerContext } from '../context.ts';

const validator = compileValidator<ProbeReport>(ProbeReportSchema, 'ProbeReport');
/** No valid report nests deeper than this, so the depth scan only runs on rejected ones (json-body.ts). */
const REPORT_DEPTH = schemaDepth(ProbeReportSchema);
/** Discovered-location ids (a SHA-256 each) of recently seen tenant × egress prefixes. */
const DISCOVERED_IDS = 4096;
/** Normalised forms of recently seen peer addresses (the same agents and proxies upload again and again). */
const PEER_ADDRESSES = 4096;
const normalised = new Map<string, string>();
function egressOf(ip: string): string {
  let n = normalised.get(ip);
  if (n === undefined) {
    n = normaliseIp(ip);
    if (normalised.size >= PEER_ADDRESSES) normalised.clear();
    normalised.set(ip, n);
  }
  return n;
}

interface IngestItem {
  tenantId: string;
  tokenOfficeId: string | null;
  report: ProbeReport;
  text: string;
  egressIp: string;
  egressGeo: GeoInfo | null;
  receivedAt: string;
}

export interface IngestAnswer {
  duplicate: boolean;
  officeId: string | null;
}

/**
 * Stores one report inside the batch transaction (`tx` is a savepoint). The
 * insert itself is the duplicate check (primary key), so a new report costs
 * one INSERT, one upsert of its discovered location when unmapped, and the
 * insight rollup update.
 */
export function storeReport(ctx: ServerContext) {
  const ids = new Map<string, string>();
  const idOf = (tenantId: string, prefix: string): string => {
    const key = `${tenantId}\n${prefix}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = discoveredId(tenantId, prefix);
      if (ids.size >= DISCOVERED_IDS) ids.clear();
      ids.set(key, id);
    }
    return id;
  };
  return async (tx: Store, item: IngestItem): Promise<IngestAnswer> => {
    const { tenantId, report } = item;
    const mapping = await ctx.mapper.map(tx, {
      tenantId,
      tokenOfficeId: item.tokenOfficeId,
      probeOfficeId: report.environment.officeId,
      localAddresses: report.environment.localAddresses.map((a) => a.address),
      egressIp: item.egressIp,
    });
    const office: OfficeRow | null = mapping.kind === 'office' ? mapping.office : null;
    const discovered = mapping.kind === 'discovered' ? idOf(tenantId, mapping.egressPrefix) : null;
    const { inserted } = await tx.reports.insert({
      tenantId,
      id: report.reportId,
      receivedAt: item.receivedAt,
      officeId: office?.id ?? null,
      discoveredId: discovered,
      deviceId: report.environment.deviceId ?? null,
      egressIp: item.egressIp,
      ...summarise(report),
      body: item.text,
    });
    if (!inserted) {
      const existing = await tx.reports.getMeta(tenantId, report.reportId);
      return { duplicate: true, officeId: existing?.officeId ?? null };
    }
    if (mapping.kind === 'discovered') {
      const geo = item.egressGeo ?? { city: null, country: null, latitude: null, longitude: null };
      await tx.discovered.countSeen(tenantId, mapping.egressPrefix, geo, item.receivedAt, discovered!);
    }
    await ctx.insights.onReportStored(tx, {
      tenantId,
      officeKey: office ? office.id : `discovered:${discovered}`,
      office,
      discoveredId: discovered,
      report,
      receivedAt: item.receivedAt,
      egressIp: item.egressIp,
      egressGeo: item.egressGeo,
    });
    return { duplicate: false, officeId: office?.id ?? null };
  };
}

const ReportAccepted = {
  type: 'object',
  properties: {
    reportId: { type: 'string' },
    duplicate: { type: 'boolean' },
    egressIp: { type: 'string' },
    officeId: { type: ['string', 'null'] },
  },
};

export function registerIngestRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
): GroupCommit<IngestItem, IngestAnswer> {
  const { config } = ctx;
  const batcher = new GroupCommit<IngestItem, IngestAnswer>(
    ctx.store,
    { maxWaitMs: config.groupCommitMs, maxBatch: config.groupCommitMax },
    storeReport(ctx),
    ctx.insights.beforeCommit ? (tx) => ctx.insights.beforeCommit!(tx) : undefined,
  );

  app.register(async (scope) => {
    // Only this route reads reports: its own JSON parser (depth check, raw text kept).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: config.maxDecompressedBytes + 1 },
      (_request, body, done) => {
        try {
          done(null, parseJsonBody(body as Buffer, config.maxJsonDepth, REPORT_DEPTH));
        } catch (err) {
          done(err as Error, undefined);
        }
      },
    );

    scope.post(
      '/api/v1/reports',
      {
        bodyLimit: config.maxDecompressedBytes + 1,
        config: {
          access: 'agent',
          openapi: {
            body: ProbeReportSchema,
            responses: { 202: ReportAccepted },
            description:
              'Upload one ProbeReport v1 (application/json, optionally Content-Encoding gzip or deflate). ' +
              'A report id already stored is acknowledged again with duplicate: true and stored once. ' +
              '202 is sent only after the report is committed.',
          },
        },
        schema: { tags: ['ingest'], summary: 'upload a probe report' },
        preParsing: async (request, _reply, payload) => {
          const len = request.headers['content-length'];
          return decodeBody(
            payload,
            request.headers['content-encoding'],
            len === undefined ? undefined : Number(len),
            config.maxBodyBytes,
            config.maxDecompressedBytes,
          );
        },
      },
      async (request, reply) => {
        const principal = request.principal as AgentPrincipal;
        const { json, text, depthUnchecked } = request.body as JsonBody;
        if (!validator.check(json)) {
          // Too deep is the answer a deep document got before validation was reached.
          if (depthUnchecked) checkJsonDepth(depthUnchecked, config.maxJsonDepth);
          throw schemaError('the report does not match ProbeReport v1', validator.issues(json));
        }
        const egressIp = egressOf(request.ip);
        const answer = await batcher.submit({
          tenantId: principal.tenantId,
          tokenOfficeId: principal.officeId,
          report: json,
          text,
          egressIp,
          egressGeo: ctx.geo.lookup(egressIp),
          receivedAt: ctx.now().toISOString(),
        });
        reply.status(202);
        return { reportId: json.reportId, duplicate: answer.duplicate, egressIp, officeId: answer.officeId };
      },
    );
  });

  return batcher;
}
