/**
 * @module insights/kinds
 * The insight kinds the engine raises, in the order the dashboard lists them,
 * and the vocabulary shared by rules, lifecycle and the API mapping.
 */

export const INSIGHT_KINDS = [
  'critical-domain-https-failure',
  'websocket-failure',
  'tls-interception',
  'peer-performance',
  'quic-blocked',
  'protocol-downgrade',
  'backhauled-egress',
] as const;
export type InsightKind = (typeof INSIGHT_KINDS)[number];

export function isInsightKind(value: unknown): value is InsightKind {
  return typeof value === 'string' && (INSIGHT_KINDS as readonly string[]).includes(value);
}

export type Severity = 'high' | 'medium' | 'low';
export type InsightStatus = 'active' | 'resolved';
export type InsightEventType = 'opened' | 'updated' | 'resolved' | 'reopened';

/**
 * The critical Microsoft 365 domains (seed 000 §1). A report names the domain a
 * host belongs to in `target.domain`; the engine trusts that only when the host
 * really is inside the domain.
 */
export const CRITICAL_DOMAINS = ['cloud.microsoft', 'static.microsoft', 'usercontent.microsoft'] as const;

/** True when `host` is `domain` itself or a name below it. */
export function hostInDomain(host: string, domain: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const d = domain.toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
  return d.length > 0 && (h === d || h.endsWith(`.${d}`));
}
