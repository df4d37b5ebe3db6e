/**
 * @module lib/insight-kinds
 * Display names for the seven insight kinds, short enough for a badge, and
 * a one-line summary for filters and legends. The full "what this means" of
 * an insight comes from the server with the insight itself.
 */
import type { InsightKind, Severity } from '../api/types.ts';

export const INSIGHT_KINDS: readonly InsightKind[] = [
  'critical-domain-https-failure',
  'websocket-failure',
  'tls-interception',
  'peer-performance',
  'quic-blocked',
  'protocol-downgrade',
  'backhauled-egress',
];

export const KIND_LABEL: Record<InsightKind, string> = {
  'critical-domain-https-failure': 'Critical domains blocked',
  'websocket-failure': 'WebSocket failing',
  'tls-interception': 'TLS interception',
  'peer-performance': 'Slower than peers',
  'quic-blocked': 'QUIC blocked',
  'protocol-downgrade': 'HTTP/2 downgraded',
  'backhauled-egress': 'Backhauled egress',
};

export const KIND_SUMMARY: Record<InsightKind, string> = {
  'critical-domain-https-failure':
    'HTTPS to *.cloud.microsoft, *.static.microsoft or *.usercontent.microsoft fails',
  'websocket-failure': 'WebSocket connections (used by Copilot) are refused or cut',
  'tls-interception': 'A middlebox replaces the service certificate with its own',
  'peer-performance': 'Latency or throughput is worse than other offices in the same area',
  'quic-blocked': 'UDP/443 is blocked, so clients fall back to TCP',
  'protocol-downgrade': 'Connections end on HTTP/1.1 although the service offers HTTP/2',
  'backhauled-egress': 'Internet traffic leaves far away from the office',
};

export function kindLabel(kind: string): string {
  return KIND_LABEL[kind as InsightKind] ?? kind;
}

export const SEVERITY_RANK: Record<Severity, number> = { high: 3, medium: 2, low: 1 };

/** The worst severity of a set of active insights, or null when there is none. */
export function worstSeverity(items: readonly { severity: Severity }[]): Severity | null {
  let worst: Severity | null = null;
  for (const i of items) if (!worst || SEVERITY_RANK[i.severity] > SEVERITY_RANK[worst]) worst = i.severity;
  return worst;
}
