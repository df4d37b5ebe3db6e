/**
 * @module http/routes/ingest
 * POST /api/v1/reports (agent token): decode under size caps and hand the
 * body to the intake (ingest/report-intake.ts), which parses it with a depth
 * limit, validates it against ProbeReport v1, maps it to an office or a
 * discovered location and stores it once per (tenant, reportId) together
 * with the insight rollup. The answer is 202, sent only after COMMIT.
 */
import { ProbeReport as ProbeReportSchema } from '@netinsights/protocol';
import type { FastifyInstance } from 'fastify';
import type { AgentPrincipal } from '../../auth/principal.ts';
import { decodeBody } from '../../ingest/decode-body.ts';
import { normaliseIp } from '../../net/cidr.ts';
import type { ServerContext } from '../context.ts';

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

const ReportAccepted = {
  type: 'object',
  properties: {
    reportId: { type: 'string' },
    duplicate: { type: 'boolean' },
    egressIp: { type: 'string' },
    officeId: { type: ['string', 'null'] },
  },
};

export function registerIngestRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { config } = ctx;

  app.register(async (scope) => {
    // Only this route reads reports: the bytes go to the intake unparsed (it parses with a depth limit).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: config.maxDecompressedBytes + 1 },
      (_request, body, done) => done(null, body),
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
        const egressIp = egressOf(request.ip);
        const answer = await ctx.intake.submit({
          tenantId: principal.tenantId,
          tokenOfficeId: principal.officeId,
          body: request.body as Buffer,
          egressIp,
          egressGeo: ctx.geo.lookup(egressIp),
          receivedAt: ctx.now().toISOString(),
          resolverKey: principal.tokenHash,
        });
        reply.status(202);
        return { ...answer, egressIp };
      },
    );
  });
}
