/**
 * @module http/routes/agent-policy
/**
 * GET /api/v1/agent/config: what one agent runs with (agent token), read
 * fresh on every call, so a change of the organisation's agent settings
 * (PUT /api/v1/settings/agents, http/routes/settings.ts) reaches each agent
 * at its next run; the agent's version and device id, sent with it, are its
 * check-in. GET /api/v1/agents: the fleet by version, out-of-date and silent
 * flagged.
 */
import type { FastifyInstance } from 'fastify';
import { agentConfigFor, readAgentPolicy } from '../../agents/agent-policy.ts';
import {
  CURRENT_AGENT_VERSION,
  DEVICE_HEADER,
  headerValue,
  isOutOfDate,
  VERSION_HEADER,
} from '../../agents/agent-version.ts';
import type { ServerContext } from '../context.ts';
import { apiRoutes } from './api-route.ts';

export function registerAgentPolicyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx;
  apiRoutes(app, ['ingest']).get(
    '/api/v1/agent/config',
    { access: 'agent', summary: 'service profile and schedule for agents' },
    async ({ principal, tenantId }, reply) => {
      if (principal.kind === 'agent') {
        // The agent says which version it runs on which device: the fleet list and the silent check.
        const headers = reply.request.headers;
        const version = headerValue(headers[VERSION_HEADER]);
        if (version)
          await store.agentCheckins.record({
            tenantId,
            tokenId: principal.tokenId,
            deviceId: headerValue(headers[DEVICE_HEADER]) ?? '-',
            version,
            seenAt: ctx.now().toISOString(),
          });
      }
      return {
        ...agentConfigFor(await readAgentPolicy(store, tenantId)),
        currentAgentVersion: CURRENT_AGENT_VERSION,
      };
    },
  );

  apiRoutes(app, ['tokens']).get(
    '/api/v1/agents',
    { access: 'read', summary: 'agents by version, with the out-of-date and the silent flagged' },
    async ({ tenantId }) => {
      const policy = await readAgentPolicy(store, tenantId);
      // Silent: no check-in, or no stored report, for two intervals. A run asks for its settings
      // first, whatever it then finds; an agent that checks in but whose reports never arrive
      // (uploads refused, a proxy eating them, a full disk) is silent too, for what it measures.
      const silentAfterSeconds = 2 * policy.intervalSeconds;
      const cutoff = ctx.now().getTime() - silentAfterSeconds * 1000;
      const [checkins, tokens, reports] = await Promise.all([
        store.agentCheckins.list(tenantId),
        store.agentTokens.list(tenantId),
        store.agentCheckins.lastReports(tenantId, new Date(cutoff).toISOString()),
      ]);
      const byId = new Map(tokens.map((t) => [t.id, t]));
      const lastReport = new Map(reports.map((r) => [r.deviceId, r.at]));
      const items = checkins
        .map((c) => {
          const checkedIn = Date.parse(c.seenAt) >= cutoff;
          const reported = lastReport.has(c.deviceId);
          return {
            tokenId: c.tokenId,
            tokenName: byId.get(c.tokenId)?.name ?? null,
            officeId: byId.get(c.tokenId)?.officeId ?? null,
            revoked: byId.get(c.tokenId)?.revokedAt != null,
            deviceId: c.deviceId,
            version: c.version,
            lastSeenAt: c.seenAt,
            outOfDate: isOutOfDate(c.version),
            /** Within the silence window only (older reports are not looked up). */
            lastReportAt: lastReport.get(c.deviceId) ?? null,
            silent: !checkedIn || !reported,
            silentBecause: !checkedIn ? 'no-checkin' : !reported ? 'no-report' : null,
          };
        })
        .sort((a, b) => a.version.localeCompare(b.version) || b.lastSeenAt.localeCompare(a.lastSeenAt));
      return { currentVersion: CURRENT_AGENT_VERSION, silentAfterSeconds, items };
    },
  );
}
