/**
 * @module http/routes/metrics
 * `GET /metrics` for Prometheus, protected by a bearer token from the server
 * configuration (Prometheus `authorization: { credentials: … }`). Without a
 * configured token the endpoint is not registered at all. The token is
 * compared as SHA-256 digests in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { NetinsightsError } from '@netinsights/protocol';
import type { FastifyInstance } from 'fastify';
import { collectStoreMetrics } from '../../notify/metrics/collect.ts';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from '../../notify/metrics/exposition.ts';
import type { ServerMetrics } from '../../notify/metrics/server-metrics.ts';
import type { ServerContext } from '../context.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Registers /metrics when `token` is set. */
export function registerMetricsRoute(
  app: FastifyInstance,
  ctx: ServerContext,
  opts: { token?: string; metrics: ServerMetrics },
): void {
  if (!opts.token) return;
  // A short token would be guessable; 32 characters is what `openssl rand -hex 16` gives.
  if (opts.token.length < 32)
    throw new NetinsightsError('NI_ERR_CONFIG', 'the metrics token must be at least 32 characters');
  const expected = digest(opts.token);
  app.get(
    '/metrics',
    {
      config: { access: 'public' },
      schema: { tags: ['meta'], summary: 'Prometheus metrics (bearer token)' },
    },
    async (request, reply) => {
      const header = request.headers.authorization ?? '';
      const given = header.startsWith('Bearer ') ? header.slice(7) : '';
      if (!given || !timingSafeEqual(digest(given), expected))
        throw new NetinsightsError(
          'NI_ERR_UNAUTHENTICATED',
          'the metrics endpoint needs the metrics bearer token',
        );
      const families = [...(await collectStoreMetrics(ctx.store, ctx.now())), ...opts.metrics.families()];
      reply.header('content-type', EXPOSITION_CONTENT_TYPE);
      return renderExposition(families);
    },
  );
}
