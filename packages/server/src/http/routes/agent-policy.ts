/**
 * @module http/routes/agent-policy
 * GET/PUT /api/v1/settings/agents: the organisation's central agent settings
 * (admins). GET /api/v1/agent/config: what one agent runs with (agent token),
 * read fresh on every call, so a change reaches each agent at its next run.
 */
import type { FastifyInstance } from 'fastify';
import {
  AGENT_POLICY_KEY,
  agentConfigFor,
  checkAgentPolicy,
  readAgentPolicy,
} from '../../agents/agent-policy.ts';
import { audit } from '../../audit/audit-log.ts';
import { principalOf } from '../../auth/principal.ts';
import { schemaError } from '../../errors.ts';
import type { ServerContext } from '../context.ts';

export function registerAgentPolicyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx;

  app.get(
    '/api/v1/settings/agents',
    {
      config: { access: 'read' },
      schema: { tags: ['settings'], summary: 'schedule and service profile for all agents' },
    },
    async (request) => readAgentPolicy(store, principalOf(request).tenantId),
  );

  app.put(
    '/api/v1/settings/agents',
    {
      config: { access: 'write' },
      schema: {
        tags: ['settings'],
        summary: 'change the agents’ schedule and service profile (agents pick it up at their next run)',
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { policy, issues } = checkAgentPolicy(request.body);
      if (!policy) throw schemaError('invalid agent settings', issues);
      const now = ctx.now();
      await store.transaction(async (tx) => {
        await tx.settings.put(p.tenantId, AGENT_POLICY_KEY, policy, now.toISOString());
        // The profile itself can be large: the audit entry says which, not all of it.
        const summary = {
          intervalSeconds: policy.intervalSeconds,
          wsHoldSeconds: policy.wsHoldSeconds,
          profile: policy.profile ? `${policy.profile.id} ${policy.profile.version}` : 'shipped',
        };
        await audit(tx, p, 'settings.agents', `settings:${AGENT_POLICY_KEY}`, summary, now);
      });
      return policy;
    },
  );

  app.get(
    '/api/v1/agent/config',
    {
      config: { access: 'agent' },
      schema: { tags: ['ingest'], summary: 'service profile and schedule for agents' },
    },
    async (request) => agentConfigFor(await readAgentPolicy(store, principalOf(request).tenantId)),
  );
}
