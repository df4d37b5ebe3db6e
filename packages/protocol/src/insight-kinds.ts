/**
 * @module insight-kinds
 * The insight kinds the server raises, in the order the dashboard lists
 * them, and what the dashboard shows for each: a label short enough for a
 * badge, a one-line summary for filters and legends, and the kind's colour
 * in charts. The server keys its rules by this table
 * (packages/server/src/insights/rules/index.ts is a `Record<InsightKind, …>`),
 * so an entry without a rule, or a rule without an entry, does not compile.
 * No imports: the dashboard bundles this file.
 */

/** What the dashboard shows for one insight kind. */
export interface InsightKindInfo {
  /** A few words, for badges and chart legends. */
  label: string;
  /** One line: what is wrong when this insight is open. */
  summary: string;
  /** CSS colour of the kind's line in charts. */
  color: string;
}

const TABLE = {
  'critical-domain-https-failure': {
    label: 'Critical domains blocked',
    summary: 'HTTPS to *.cloud.microsoft, *.static.microsoft or *.usercontent.microsoft fails',
    color: '#c2261d',
  },
  'websocket-failure': {
    label: 'WebSocket failing',
    summary: 'WebSocket connections (used by Copilot) are refused or cut',
    color: '#7c3aed',
  },
  'tls-interception': {
    label: 'TLS interception',
    summary: 'A middlebox replaces the service certificate with its own',
    color: '#d97706',
  },
  'peer-performance': {
    label: 'Slower than peers',
    summary: 'Latency or throughput is worse than other offices in the same area',
    color: '#0891b2',
  },
  'quic-blocked': {
    label: 'QUIC blocked',
    summary: 'UDP/443 is blocked, so clients fall back to TCP',
    color: '#2563eb',
  },
  'protocol-downgrade': {
    label: 'HTTP/2 downgraded',
    summary: 'Connections end on HTTP/1.1 although the service offers HTTP/2',
    color: '#db2777',
  },
  'backhauled-egress': {
    label: 'Backhauled egress',
    summary: 'Internet traffic leaves far away from the office',
    color: '#4d7c0f',
  },
  'teams-media': {
    label: 'Teams media impaired',
    summary: 'Teams calls cannot use UDP 3478–3481, or get too much loss, delay or jitter on it',
    color: '#0d9488',
  },
  'required-endpoints': {
    label: 'Required endpoints failing',
    summary: 'Required Optimize or Allow endpoints of the catalog are unreachable or intercepted',
    color: '#9333ea',
  },
  'distant-resolver': {
    label: 'Distant DNS resolver',
    summary: "The office's DNS lookups reach the internet through a resolver far from the office",
    color: '#a16207',
  },
  'distant-front-door': {
    label: 'Distant front door',
    summary: 'Devices land on a Microsoft front door much slower or farther than the best one nearby',
    color: '#be185d',
  },
  'latency-under-load': {
    label: 'Latency under load',
    summary: 'Round trips grow by 100 ms or more while a download fills the link (bufferbloat)',
    color: '#4f46e5',
  },
} satisfies Record<string, InsightKindInfo>;

export type InsightKind = keyof typeof TABLE;

/** Every kind's label, summary and chart colour. */
export const INSIGHT_KIND_INFO: Readonly<Record<InsightKind, Readonly<InsightKindInfo>>> = TABLE;

/** The kinds in display order (the table's order). */
export const INSIGHT_KINDS = Object.keys(TABLE) as readonly InsightKind[];

export function isInsightKind(value: unknown): value is InsightKind {
  return typeof value === 'string' && Object.hasOwn(TABLE, value);
}

export type Severity = 'high' | 'medium' | 'low';
export type InsightStatus = 'active' | 'resolved';
/**
 * `disabled` / `enabled`: the admin turned the insight's kind off or on again.
 * They are history, never a page: the network did not change.
 */
export type InsightEventType = 'opened' | 'updated' | 'resolved' | 'reopened' | 'disabled' | 'enabled';
