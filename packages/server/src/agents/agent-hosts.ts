/**
 * @module agents/agent-hosts
 * The organisation's list of hosts its agents may be pointed at beyond the
 * Microsoft 365 endpoints (settings document `agent-hosts`, changed by owners
 * only), and the check every custom service profile passes before it is
 * stored: each host it names (agents/profile-hosts.ts) must be a Microsoft
 * 365 endpoint — a URL of the shipped catalog snapshot, or a host of the
 * shipped profile — or covered by that list. The shipped snapshot, not the
 * tenant's imported catalog, is the reference: importing a catalog needs only
 * a read-write token, which is exactly the credential this check holds back.
 */
import {
  AgentHostsPolicy,
  compileValidator,
  DEFAULT_AGENT_HOSTS_POLICY,
  loadProfile,
  type SchemaIssue,
  type ServiceProfile,
} from '@netinsights/protocol';
import { hostMatches, hostPatternProblem } from '@netinsights/protocol/catalog/host-pattern.ts';
import { snapshotCatalog } from '../catalog/snapshot.ts';
import type { Store } from '../store/contract.ts';
import { profileHosts } from './profile-hosts.ts';

/** The settings key the list is stored under (store.settings). */
export const AGENT_HOSTS_KEY = 'agent-hosts';

const validator = compileValidator<AgentHostsPolicy>(AgentHostsPolicy, 'hosts agents may test');

/** The list as stored: lower-case, each pattern once; or the problems with their JSON paths. */
export function checkAgentHostsPolicy(value: unknown): { policy?: AgentHostsPolicy; issues: SchemaIssue[] } {
  if (!validator.check(value)) return { issues: validator.issues(value) };
  const issues: SchemaIssue[] = [];
  value.allowed.forEach((pattern, i) => {
    const problem = hostPatternProblem(pattern.trim());
    if (problem) issues.push({ path: `/allowed/${i}`, message: problem });
    else if (/^\*+(\.\*+)*$/.test(pattern.trim()))
      issues.push({ path: `/allowed/${i}`, message: `"${pattern}" would allow every host` });
  });
  if (issues.length) return { issues };
  return { policy: { allowed: [...new Set(value.allowed.map((p) => p.trim().toLowerCase()))] }, issues };
}

export async function readAgentHostsPolicy(store: Store, tenantId: string): Promise<AgentHostsPolicy> {
  const stored = await store.settings.get(tenantId, AGENT_HOSTS_KEY);
  return stored && validator.check(stored) ? stored : DEFAULT_AGENT_HOSTS_POLICY;
}

let microsoft: string[] | undefined;

/** The Microsoft 365 endpoints: every URL pattern of the shipped catalog, and the shipped profile's hosts. */
export function microsoftHostPatterns(): readonly string[] {
  microsoft ??= [
    ...new Set([
      ...snapshotCatalog().sets.flatMap((s) => s.urls.map((u) => u.toLowerCase())),
      ...profileHosts(loadProfile('m365')).map((h) => (h.suffix ? `*.${h.host}` : h.host)),
    ]),
  ];
  return microsoft;
}

function covered(host: string, suffix: boolean, patterns: readonly string[]): boolean {
  return patterns.some((p) => hostMatches(host, p) || (suffix && p === `*.${host}`));
}

/**
 * Why `profile` may not be stored: one issue per host outside the Microsoft
 * 365 endpoints and the organisation's list, at the host's JSON path under `at`.
 */
export function hostsOutsidePolicy(
  profile: ServiceProfile,
  policy: AgentHostsPolicy,
  at = '/profile',
): SchemaIssue[] {
  const patterns = [...microsoftHostPatterns(), ...policy.allowed];
  return profileHosts(profile)
    .filter((h) => !covered(h.host, h.suffix, patterns))
    .map((h) => ({
      path: `${at}${h.path}`,
      message:
        `names ${h.host}, which is neither a Microsoft 365 endpoint nor on the organisation's list of ` +
        'hosts agents may test (an owner can add it: Agent tokens → Hosts agents may test)',
    }));
}
