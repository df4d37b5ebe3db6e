/**
 * @module http/routes/agent-policy
 * GET/PUT /api/v1/settings/agents: the organisation's central agent settings
 * (admins). GET /api/v1/agent/config: what one agent runs with (agent token),
 * read fresh on every call, so a change reaches each agent at its next run;
 * the agent's version and device id, sent with it, are its check-in.
 * GET /api/v1/agents: the fleet by version, out-of-date and silent flagged.
 */
import type { FastifyInstance } from 'fastify';
import {
  AGENT_POLICY_KEY,
  agentConfigFor,
  checkAgentPolicy,
  readAgentPolicy,
} from '../../agents/agent-policy.ts';
import {
  CURRENT_AGENT_VERSION,
  DEVICE_HEADER,
  headerValue,
  isOutOfDate,
  VERSION_HEADER,
} from '../../agents/agent-version.ts';
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
    async (request) => {
      const p = principalOf(request);
      if (p.kind === 'agent') {
        // The agent says which version it runs on which device: the fleet list and the silent check.
        const version = headerValue(request.headers[VERSION_HEADER]);
        if (version)
          await store.agentCheckins.record({
            tenantId: p.tenantId,
            tokenId: p.tokenId,
            deviceId: headerValue(request.headers[DEVICE_HEADER]) ?? '-',
            version,
            seenAt: ctx.now().toISOString(),
          });
      }
      return {
        ...agentConfigFor(await readAgentPolicy(store, p.tenantId)),
        currentAgentVersion: CURRENT_AGENT_VERSION,
      };
    },
  );

  app.get(
    '/api/v1/agents',
    {
      config: { access: 'read' },
      schema: { tags: ['tokens'], summary: 'agents by version, with the out-of-date and the silent flagged' },
    },
    async (request) => {
      const { tenantId } = principalOf(request);
      const [checkins, tokens, policy] = await Promise.all([
        store.agentCheckins.list(tenantId),
        store.agentTokens.list(tenantId),
        readAgentPolicy(store, tenantId),
      ]);
      const byId = new Map(tokens.map((t) => [t.id, t]));
      // Silent: no check-in for two intervals (a run asks for its settings first, whatever it then finds).
      const silentAfterSeconds = 2 * policy.intervalSeconds;
      const cutoff = ctx.now().getTime() - silentAfterSeconds * 1000;
      const items = checkins
        .map((c) => ({
          tokenId: c.tokenId,
          tokenName: byId.get(c.tokenId)?.name ?? null,
          officeId: byId.get(c.tokenId)?.officeId ?? null,
          revoked: byId.get(c.tokenId)?.revokedAt != null,
          deviceId: c.deviceId,
          version: c.version,
          lastSeenAt: c.seenAt,
          outOfDate: isOutOfDate(c.version),
          silent: Date.parse(c.seenAt) < cutoff,
        }))
        .sort((a, b) => a.version.localeCompare(b.version) || b.lastSeenAt.localeCompare(a.lastSeenAt));
      return { currentVersion: CURRENT_AGENT_VERSION, silentAfterSeconds, items };
    },
  );
}
