/**
 * @module http/routes/agent-policy
 * GET /api/v1/agent/config: what one agent runs with (agent token), read
 * fresh on every call, so a change of the organisation's agent settings
 * (PUT /api/v1/settings/agents, http/routes/settings.ts) reaches each agent
 * at its next run; the agent's version and device id, sent with it, are its
 * check-in; the answer's `plan` names the heavy checks it may run this time
 * (agents/measurement-planner.ts). GET /api/v1/agent/catalog: the endpoint
 * catalog the agent's sweep tests (the tenant's version in force, else the
 * shipped snapshot). GET /api/v1/agents: the fleet by version, out-of-date
 * and silent flagged.
 */

import { DEFAULT_TRAFFIC_BUDGET } from '@netinsights/protocol';
import type { FastifyInstance } from 'fastify';
import { agentConfigFor, readAgentPolicy } from '../../agents/agent-policy.ts';
import {
  CURRENT_AGENT_VERSION,
  DEVICE_HEADER,
  headerValue,
  isOutOfDate,
  OFFICE_HEADER,
  TRAFFIC_LEFT_HEADER,
  VERSION_HEADER,
} from '../../agents/agent-version.ts';
import { planHeavyChecks, planningUnit } from '../../agents/measurement-planner.ts';
import { SweepSize } from '../../agents/sweep-size.ts';
import { currentCatalog } from '../../catalog/catalog-service.ts';
import { toServiceJson } from '../../catalog/catalog-version.ts';
import type { ServerContext } from '../context.ts';
import { apiRoutes } from './api-route.ts';

export function registerAgentPolicyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx;
  const sweepSize = new SweepSize();
  apiRoutes(app, ['ingest']).get(
    '/api/v1/agent/config',
    { access: 'agent', summary: 'service profile and schedule for agents' },
    async ({ principal, tenantId }, reply) => {
      const policy = await readAgentPolicy(store, tenantId);
      const config = agentConfigFor(policy);
      if (principal.kind !== 'agent') return { ...config, currentAgentVersion: CURRENT_AGENT_VERSION };
      // The agent says which version it runs on which device: the fleet list and the silent check.
      const headers = reply.request.headers;
      const version = headerValue(headers[VERSION_HEADER]);
      const deviceId = headerValue(headers[DEVICE_HEADER]);
      const now = ctx.now();
      if (version)
        await store.agentCheckins.record({
          tenantId,
          tokenId: principal.tokenId,
          deviceId: deviceId ?? '-',
          version,
          seenAt: now.toISOString(),
        });
      // This run's heavy checks (the measurement plan, shared by every collector on the store).
      const left = Number(headerValue(headers[TRAFFIC_LEFT_HEADER]));
      const plan = await planHeavyChecks(store, {
        tenantId,
        unit: planningUnit(principal.officeId, headerValue(headers[OFFICE_HEADER]), reply.request.ip),
        deviceId: deviceId ? `device:${deviceId.slice(0, 64)}` : `token:${principal.tokenId}`,
        now,
        profile: config.profile,
        budget: policy.trafficBudget ?? DEFAULT_TRAFFIC_BUDGET,
        intervalSeconds: config.intervalSeconds,
        ...(Number.isSafeInteger(left) && left >= 0 ? { trafficLeftBytes: left } : {}),
        // The sweep priced by the catalog this tenant's agents sweep, not by a guess.
        sweepHosts: await sweepSize.hosts(store, tenantId, config.profile.sweep?.representativeHosts ?? {}),
      });
      return { ...config, plan, currentAgentVersion: CURRENT_AGENT_VERSION };
    },
  );

  apiRoutes(app, ['ingest']).get(
    '/api/v1/agent/catalog',
    { access: 'agent', summary: "the endpoint catalog in force, for the agents' endpoint sweep" },
    async ({ tenantId }) => {
      const catalog = await currentCatalog(store, tenantId);
      // The web service's own shape, so the probe reads it as it reads the shipped snapshot.
      return {
        version: catalog.id,
        importedAt: catalog.importedAt,
        source: catalog.source,
        sets: catalog.sets.map(toServiceJson),
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
