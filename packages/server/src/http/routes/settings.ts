/**
 * @module http/routes/settings
 * The tenant's settings documents, each read with GET and replaced with PUT
 * under /api/v1/settings/<key>: insight thresholds and windows (the insight
 * engine owns their defaults and checks, insights/settings.ts) and the
 * agents' schedule and service profile (agents/agent-policy.ts; agents read
 * it through http/routes/agent-policy.ts). A PUT stores the complete,
 * checked document and audits the change in the same transaction. The
 * remediation settings hold the organisation's proxy, where generated PAC
 * files send all other traffic (catalog/pac-fallback.ts). The hosts a custom
 * agent profile may name beyond Microsoft 365's (agents/agent-hosts.ts) are
 * changed by signed-in owners only, and every agent profile is held to them.
 * The assessment settings set the score's window and how long its daily history is kept
 * (assessment/settings.ts).
 */
import type { SchemaIssue } from '@netinsights/protocol';
import type { FastifyInstance } from 'fastify';
import {
  AGENT_HOSTS_KEY,
  checkAgentHostsPolicy,
  hostsOutsidePolicy,
  readAgentHostsPolicy,
} from '../../agents/agent-hosts.ts';
import { AGENT_POLICY_KEY, checkAgentPolicy, readAgentPolicy } from '../../agents/agent-policy.ts';
import {
  ASSESSMENT_SETTINGS_KEY,
  checkAssessmentSettings,
  readAssessmentSettings,
} from '../../assessment/settings.ts';
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
  /** Checks that need the tenant's other settings; their issues refuse the document like `check`'s. */
  admit?(value: T, store: Store, tenantId: string): Promise<SchemaIssue[]>;
  /** Who may replace it: admins and read-write tokens (`write`, the default) or signed-in owners only. */
  putAccess?: 'write' | 'owner';
  /** Runs in the change's transaction after the document is stored. */
  afterPut?(tx: Store, tenantId: string, now: Date): Promise<void>;
}

function registerDocument<T>(api: ApiRoutes, ctx: ServerContext, doc: SettingsDocument<T>): void {
  const url = `/api/v1/settings/${doc.key}`;
  api.get(url, { access: 'read', summary: doc.summaries.get }, async ({ tenantId }) =>
    doc.read(ctx.store, tenantId),
  );
  const access = doc.putAccess ?? 'write';
  api.put(url, { access, summary: doc.summaries.put }, async ({ principal, tenantId, body }) => {
    const { value, issues } = doc.check(body);
    if (!value) throw schemaError(doc.invalid, issues);
    const refused = doc.admit ? await doc.admit(value, ctx.store, tenantId) : [];
    if (refused.length) throw schemaError(doc.invalid, refused);
    await auditedChange(ctx, principal, async ({ tx, now, record }) => {
      await tx.settings.put(tenantId, doc.key, value, now.toISOString());
      await doc.afterPut?.(tx, tenantId, now);
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
    // A custom profile points the whole fleet at its hosts: only Microsoft 365's and the owners' list.
    admit: async (policy, store, tenantId) =>
      policy.profile ? hostsOutsidePolicy(policy.profile, await readAgentHostsPolicy(store, tenantId)) : [],
    // The profile itself can be large: the audit entry says which, not all of it.
    audited: (policy) => ({
      intervalSeconds: policy.intervalSeconds,
      wsHoldSeconds: policy.wsHoldSeconds,
      reportIdentity: policy.reportIdentity === true,
      profile: policy.profile ? `${policy.profile.id} ${policy.profile.version}` : 'shipped',
      tenantName: policy.tenantName ?? null,
      // The host only: an 'Anyone' sharing link is itself the key to the file.
      downloadUrl: policy.downloadUrl ? new URL(policy.downloadUrl).host : null,
    }),
  });

  registerDocument(api, ctx, {
    key: AGENT_HOSTS_KEY,
    summaries: {
      get: 'hosts a custom agent profile may name beyond the Microsoft 365 endpoints',
      put: 'change the hosts a custom agent profile may name (owners only)',
    },
    read: readAgentHostsPolicy,
    check: (body) => {
      const { policy, issues } = checkAgentHostsPolicy(body);
      return { value: policy, issues };
    },
    invalid: 'invalid list of hosts agents may test',
    putAccess: 'owner',
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

  registerDocument(api, ctx, {
    key: ASSESSMENT_SETTINGS_KEY,
    summaries: {
      get: 'network assessment window and history retention',
      put: 'change the network assessment window and history retention',
    },
    read: readAssessmentSettings,
    check: (body) => {
      const { settings, issues } = checkAssessmentSettings(body);
      return { value: settings, issues };
    },
    invalid: 'invalid assessment settings',
    // Every office is scored again at the engine's next run, over the new window.
    afterPut: async (tx, tenantId, now) => {
      for (const o of await tx.offices.list(tenantId))
        await tx.insights.markDue(tenantId, o.id, now.toISOString());
    },
  });
}
