/**
 * @module http/routes/settings
 * The tenant's settings documents, each read with GET and replaced with PUT
 * under /api/v1/settings/<key>: insight thresholds and windows (the insight
 * engine owns their defaults and checks, insights/settings.ts) and the
 * agents' schedule and service profile (agents/agent-policy.ts; agents read
 * it through http/routes/agent-policy.ts). A PUT stores the complete,
 * checked document and audits the change in the same transaction. The
 * remediation settings hold the organisation's proxy, where generated PAC
 * files send all other traffic (catalog/pac-fallback.ts).
 */
import type { SchemaIssue } from '@netinsights/protocol';
import type { FastifyInstance } from 'fastify';
import { AGENT_POLICY_KEY, checkAgentPolicy, readAgentPolicy } from '../../agents/agent-policy.ts';
import {
  checkRemediationSettings,
  REMEDIATION_SETTINGS_KEY,
  readRemediationSettings,
} from '../../catalog/pac-fallback.ts';
import { schemaError } from '../../errors.ts';
import { checkInsightSettings, DEFAULT_INSIGHT_SETTINGS } from '../../insights/settings.ts';
import type { Store } from '../../store/contract.ts';
import { auditedChange } from '../audited-change.ts';
import type { ServerContext } from '../context.ts';
import { type ApiRoutes, apiRoutes } from './api-route.ts';

export const INSIGHT_SETTINGS_KEY = 'insights';

/** One settings document: its key names the URL, the audit action and target. */
interface SettingsDocument<T> {
  key: string;
  summaries: { get: string; put: string };
  /** What a GET answers: the stored document, or the defaults. */
  read(store: Store, tenantId: string): Promise<unknown>;
  /** The complete document, or the issues that refuse it (422 with `invalid` as the message). */
  check(body: unknown): { value?: T | undefined; issues: SchemaIssue[] };
  invalid: string;
  /** What the audit entry keeps of the document (all of it unless said). */
  audited?(value: T): unknown;
}

function registerDocument<T>(api: ApiRoutes, ctx: ServerContext, doc: SettingsDocument<T>): void {
  const url = `/api/v1/settings/${doc.key}`;
  api.get(url, { access: 'read', summary: doc.summaries.get }, async ({ tenantId }) =>
    doc.read(ctx.store, tenantId),
  );
  api.put(url, { access: 'write', summary: doc.summaries.put }, async ({ principal, tenantId, body }) => {
    const { value, issues } = doc.check(body);
    if (!value) throw schemaError(doc.invalid, issues);
    await auditedChange(ctx, principal, async ({ tx, now, record }) => {
      await tx.settings.put(tenantId, doc.key, value, now.toISOString());
      await record(`settings.${doc.key}`, `settings:${doc.key}`, doc.audited ? doc.audited(value) : value);
    });
    return value;
  });
}

export function registerSettingsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = apiRoutes(app, ['settings']);

  registerDocument(api, ctx, {
    key: INSIGHT_SETTINGS_KEY,
    summaries: { get: 'insight thresholds and windows', put: 'change insight thresholds and windows' },
    read: async (store, tenantId) =>
      (await store.settings.get(tenantId, INSIGHT_SETTINGS_KEY)) ?? DEFAULT_INSIGHT_SETTINGS,
    check: (body) => {
      const { settings, issues } = checkInsightSettings(body);
      return { value: settings, issues };
    },
    invalid: 'invalid insight settings',
  });

  registerDocument(api, ctx, {
    key: AGENT_POLICY_KEY,
    summaries: {
      get: 'schedule and service profile for all agents',
      put: 'change the agents’ schedule and service profile (agents pick it up at their next run)',
    },
    read: readAgentPolicy,
    check: (body) => {
      const { policy, issues } = checkAgentPolicy(body);
      return { value: policy, issues };
    },
    invalid: 'invalid agent settings',
    // The profile itself can be large: the audit entry says which, not all of it.
    audited: (policy) => ({
      intervalSeconds: policy.intervalSeconds,
      wsHoldSeconds: policy.wsHoldSeconds,
      profile: policy.profile ? `${policy.profile.id} ${policy.profile.version}` : 'shipped',
      // The host only: an 'Anyone' sharing link is itself the key to the file.
      downloadUrl: policy.downloadUrl ? new URL(policy.downloadUrl).host : null,
    }),
  });

  registerDocument(api, ctx, {
    key: REMEDIATION_SETTINGS_KEY,
    summaries: {
      get: 'where generated PAC files send all other traffic (the organisation’s proxy)',
      put: 'set the organisation’s proxy that generated PAC files send all other traffic to',
    },
    read: readRemediationSettings,
    check: (body) => {
      const { settings, issues } = checkRemediationSettings(body);
      return { value: settings, issues };
    },
    invalid: 'invalid remediation settings',
  });
}
