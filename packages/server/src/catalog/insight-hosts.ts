/**
 * @module catalog/insight-hosts
 * The hosts an insight names, which scope a remediation artifact to that
 * insight (`?insight=<id>` on the PAC, bypass and firewall routes).
 */
import { hostNameProblem } from '@netinsights/protocol/catalog/host-pattern.ts';

/** The host names in an insight's evidence (`evidence.affectedHosts[].host`). */
export function insightHosts(insight: { [field: string]: unknown }): string[] {
  const ev = (insight.evidence ?? {}) as {
    affectedHosts?: { host?: unknown }[];
    affectedDomains?: unknown[];
  };
  const hosts = (ev.affectedHosts ?? []).map((h) => h.host).filter((h): h is string => typeof h === 'string');
  // Hosts come from probe reports: anything that is not a plain host name is left out, not echoed into a PAC file.
  return [...new Set(hosts.map((h) => h.toLowerCase()))].filter((h) => hostNameProblem(h) === undefined);
}
