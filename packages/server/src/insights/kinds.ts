/**
 * @module insights/kinds
 * The insight vocabulary shared by rules, lifecycle, store and the API
 * mapping. The kinds themselves (names, order, labels) are protocol's table
 * (packages/protocol/src/insight-kinds.ts), re-exported here; what is
 * server-only is which hosts count as critical.
 */
export {
  INSIGHT_KINDS,
  type InsightEventType,
  type InsightKind,
  type InsightStatus,
  isInsightKind,
  type Severity,
} from '@netinsights/protocol';

/**
 * The critical Microsoft 365 domains: Microsoft serves its apps, their
 * static files and user content from these. A report names the domain a
 * host belongs to in `target.domain`; the engine trusts that only when the
 * host really is inside the domain.
 */
export const CRITICAL_DOMAINS = ['cloud.microsoft', 'static.microsoft', 'usercontent.microsoft'] as const;

/** True when `host` is `domain` itself or a name below it. */
export function hostInDomain(host: string, domain: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const d = domain.toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
  return d.length > 0 && (h === d || h.endsWith(`.${d}`));
}
