/**
 * @module lib/insight-kinds
 * What the dashboard shows for each insight kind (a label short enough for a
 * badge, a one-line summary for filters and legends, a chart colour), taken
 * from protocol's kind table so that server and dashboard name the same
 * kinds. The full "what this means" of an insight comes from the server with
 * the insight itself.
 */
import {
  INSIGHT_KIND_INFO,
  INSIGHT_KINDS,
  type InsightKindInfo,
} from '@netinsights/protocol/insight-kinds.ts';
import type { InsightKind, Severity } from '../api/types.ts';

export { INSIGHT_KINDS };

function byKind(field: keyof InsightKindInfo): Record<InsightKind, string> {
  return Object.fromEntries(INSIGHT_KINDS.map((k) => [k, INSIGHT_KIND_INFO[k][field]])) as Record<
    InsightKind,
    string
  >;
}

export const KIND_LABEL = byKind('label');
export const KIND_SUMMARY = byKind('summary');
/** Each kind's line colour in the office charts. */
export const KIND_COLOR = byKind('color');

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
