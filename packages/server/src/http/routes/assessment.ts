/**
 * @module http/routes/assessment
 * GET /api/v1/assessment: the tenant's network assessment score (the
 * device-weighted mean of its offices') with its daily history, or with
 * `?office=<id>` one office's assessment and history; `days` sets how much
 * history (30 by default, what the dashboard shows). The scores are recorded
 * by the insight engine (assessment/record-assessment.ts); this only reads.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { HISTORY_DAYS, officeAssessment, tenantAssessment } from '../../assessment/queries.ts';
import { apiError } from '../../errors.ts';
import type { ServerContext } from '../context.ts';
import { apiRoutes } from './api-route.ts';

const AssessmentQuery = Type.Object({
  office: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  days: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 3650, description: 'days of history (default 30)' }),
  ),
});

export function registerAssessmentRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = apiRoutes(app, ['assessment']);
  api.get(
    '/api/v1/assessment',
    {
      access: 'read',
      summary: 'network assessment score of the organisation (or one office) with its daily history',
      querystring: AssessmentQuery,
    },
    async ({ tenantId, query: { office, days = HISTORY_DAYS } }) => {
      const now = ctx.now();
      if (office === undefined)
        return tenantAssessment(ctx.store, tenantId, await ctx.store.offices.list(tenantId), now, days);
      const row = await ctx.store.offices.get(tenantId, office);
      if (!row) throw apiError('NI_ERR_NOT_FOUND', `no office ${office}`);
      return officeAssessment(ctx.store, tenantId, row, now, days);
    },
  );
}
