/**
 * @module agents/agent-policy
 * An organisation's central settings for its agents (schedule, WebSocket
 * hold, service profile), stored as one settings document, and the config an
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
export function checkAgentPolicy(value: unknown): { policy?: AgentPolicy; issues: SchemaIssue[] } {
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
  const profile = policy.profile ?? shipped;
  return {
    profile,
    intervalSeconds: policy.intervalSeconds,
    wsHoldSeconds: policy.wsHoldSeconds ?? profile.websocket.holdSeconds,
    reportIdentity: policy.reportIdentity === true,
  };
}
