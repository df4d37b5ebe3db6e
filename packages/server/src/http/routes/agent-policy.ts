/**
 * @module http/routes/agent-policy
 * GET /api/v1/agent/config: what one agent runs with (agent token), read
 * fresh on every call, so a change of the organisation's agent settings
 * (PUT /api/v1/settings/agents, http/routes/settings.ts) reaches each agent
 * at its next run.
 */
import type { FastifyInstance } from 'fastify';
import { agentConfigFor, readAgentPolicy } from '../../agents/agent-policy.ts';
import type { ServerContext } from '../context.ts';
import { apiRoutes } from './api-route.ts';

export function registerAgentPolicyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  apiRoutes(app, ['ingest']).get(
    '/api/v1/agent/config',
    { access: 'agent', summary: 'service profile and schedule for agents' },
    async ({ tenantId }) => agentConfigFor(await readAgentPolicy(ctx.store, tenantId)),
  );
}
