/**
 * @module agents/agent-policy
 * An organisation's central settings for its agents (schedule, WebSocket
 * hold, service profile, the download object for speed), stored as one settings document, and the config an
 * agent receives from `GET /api/v1/agent/config`. A custom profile is checked
 * with the same parser the probe uses on a profile file, so whatever the
 * collector accepts, every agent accepts too.
 */
import {
  AgentPolicy,
  compileValidator,
  DEFAULT_AGENT_POLICY,
  loadProfile,
  parseProfile,
  type SchemaIssue,
  type ServiceProfile,
} from '@netinsights/protocol';
import type { Store } from '../store/contract.ts';

/** The settings key the policy is stored under (store.settings). */
export const AGENT_POLICY_KEY = 'agents';

const validator = compileValidator<AgentPolicy>(AgentPolicy, 'agent settings');

/** What an agent is told before each run. */
export interface AgentConfig {
  profile: ServiceProfile;
  intervalSeconds: number;
  wsHoldSeconds: number;
  /** Put hostname and OS user into reports (the organisation's choice; off unless set). */
  reportIdentity: boolean;
}

/** A complete, checked policy, or the problems with their JSON paths. */
/** What is wrong with a download URL, in words (the schema's union error would say only "union"). */
function downloadUrlProblem(url: unknown): string | undefined {
  if (url === undefined || url === null) return undefined;
  const advice =
    'an https:// URL of a large file (e.g. a SharePoint or OneDrive link), or null for the profile’s URL';
  if (typeof url !== 'string' || !url.startsWith('https://'))
    return `must be ${advice}; got ${JSON.stringify(url)}`;
  if (url.length > 2048) return 'must be at most 2048 characters';
  try {
    new URL(url);
  } catch {
    return `"${url}" is not a valid URL; it must be ${advice}`;
  }
  return undefined;
}

export function checkAgentPolicy(value: unknown): { policy?: AgentPolicy; issues: SchemaIssue[] } {
  const urlProblem =
    typeof value === 'object' && value !== null
      ? downloadUrlProblem((value as { downloadUrl?: unknown }).downloadUrl)
      : undefined;
  if (urlProblem) return { issues: [{ path: '/downloadUrl', message: urlProblem }] };
  if (!validator.check(value)) return { issues: validator.issues(value) };
  if (value.profile !== null) {
    try {
      // The checks beyond the schema (URLs, pins) that a profile file also gets.
      parseProfile(value.profile, 'profile');
    } catch (err) {
      return { issues: [{ path: '/profile', message: (err as Error).message }] };
    }
  }
  return { policy: value, issues: [] };
}

export async function readAgentPolicy(store: Store, tenantId: string): Promise<AgentPolicy> {
  const stored = await store.settings.get(tenantId, AGENT_POLICY_KEY);
  // Stored only after checkAgentPolicy; a document this version cannot read falls back to the defaults.
  return stored && validator.check(stored) ? stored : DEFAULT_AGENT_POLICY;
}

let shipped: ServiceProfile | undefined;

export function agentConfigFor(policy: AgentPolicy): AgentConfig {
  shipped ??= loadProfile('m365');
  const chosen = policy.profile ?? shipped;
  // The organisation's tenant name goes into the profile, where the probe reads it, and its download
  // object replaces the profile's (shipped or custom).
  const named = policy.tenantName ? { ...chosen, tenantName: policy.tenantName } : chosen;
  const profile = policy.downloadUrl
    ? { ...named, throughput: { ...named.throughput, url: policy.downloadUrl } }
    : named;
  return {
    profile,
    intervalSeconds: policy.intervalSeconds,
    wsHoldSeconds: policy.wsHoldSeconds ?? profile.websocket.holdSeconds,
    reportIdentity: policy.reportIdentity === true,
  };
}
