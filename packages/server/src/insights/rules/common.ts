/**
 * @module insights/rules/common
 * Helpers shared by the rules: evidence lists from a tally, number and list
 * formatting for the insight texts, and the links to remediation artifacts.
 */
import { describeFailure } from '@netinsights/protocol';
import { CRITICAL_DOMAINS, hostInDomain, type Severity } from '../kinds.ts';
import type { Tally } from '../tally.ts';
import type { ActionLink, InsightEvidence, Measurement } from './contract.ts';

/** Hosts listed in evidence, most failures first. */
const MAX_EVIDENCE_HOSTS = 20;

/** "23 %" — whole percent, or one decimal below 10 %. */
export function pct(x: number): string {
  const p = x * 100;
  return `${p < 10 && p > 0 && Math.round(p) !== p ? p.toFixed(1) : Math.round(p)} %`;
}

/** "a", "a and b", "a, b and 3 more". */
export function listOf(items: string[], max = 3): string {
  if (items.length === 0) return '';
  if (items.length === 1) return items[0] ?? '';
  const shown = items.slice(0, Math.min(max, items.length));
  const rest = items.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The window in words: "24 hours", "7 days". */
export function windowWords(hours: number): string {
  return hours % 24 === 0 && hours >= 48 ? `${hours / 24} days` : plural(hours, 'hour');
}

export function failureClassesOf(t: Tally): InsightEvidence['failureClasses'] {
  return Object.entries(t.codes)
    .map(([code, count]) => ({ code, count }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

/** Hosts with at least one failure, worst first. */
export function affectedHostsOf(t: Tally): InsightEvidence['affectedHosts'] {
  return Object.entries(t.hosts)
    .filter(([, c]) => c.f > 0)
    .map(([host, c]) => ({ host, attempts: c.a, failures: c.f, ...(c.w ? { workload: c.w } : {}) }))
    .sort((a, b) => b.failures - a.failures || a.host.localeCompare(b.host))
    .slice(0, MAX_EVIDENCE_HOSTS);
}

/** A failure code in words, e.g. "the proxy refused to open the tunnel (HTTP 403 to CONNECT)". */
export function codeWords(code: string): string {
  const [layer = '', cls = ''] = code.split('/');
  return describeFailure(layer, cls);
}

/** "40 × the proxy refused …; 6 × the connection attempt timed out …" for the top codes. */
export function topCodesWords(classes: InsightEvidence['failureClasses'], max = 3): string {
  return classes
    .slice(0, max)
    .map((c) => `${c.count} × ${codeWords(c.code)} (${c.code})`)
    .join('; ');
}

/** What a rule whose metric is not a failure share (backhaul, peers) measured. */
export interface MetricFigures {
  samples: number;
  devices: number;
  value: number;
  severity: Severity;
  lastProblemAt: number | null;
  exampleReportIds: string[];
}

/** The measurement of such a rule: no hosts, domains or failure classes, its own evidence in `extra`. */
export function metricMeasurement(f: MetricFigures, extra: Partial<InsightEvidence>): Measurement {
  const { samples, devices, value, exampleReportIds } = f;
  return {
    samples,
    devices,
    value,
    severity: f.severity,
    lastProblemAt: f.lastProblemAt,
    evidence: {
      samples,
      devices,
      share: value,
      affectedHosts: [],
      affectedDomains: [],
      failureClasses: [],
      ...extra,
      exampleReportIds,
    },
  };
}

export const links = {
  pac(id: string): ActionLink {
    return {
      label: 'PAC file that sends Microsoft 365 traffic direct',
      href: `/api/v1/remediation/pac?insight=${encodeURIComponent(id)}`,
    };
  },
  bypass(id: string): ActionLink {
    return {
      label: 'TLS-inspection bypass list',
      href: `/api/v1/remediation/bypass-list?insight=${encodeURIComponent(id)}`,
    };
  },
  firewall(id: string): ActionLink {
    return {
      label: 'Firewall allow list',
      href: `/api/v1/remediation/firewall?insight=${encodeURIComponent(id)}`,
    };
  },
};

/** The critical wildcard domains (`*.cloud.microsoft`, …) that the given hosts fall under. */
export function criticalDomainsOf(hosts: { host: string }[]): string[] {
  return CRITICAL_DOMAINS.filter((d) => hosts.some((h) => hostInDomain(h.host, d))).map((d) => `*.${d}`);
}
