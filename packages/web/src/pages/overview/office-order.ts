/**
 * @module pages/overview/office-order
 * How the overview ranks and colours an office: by its worst active insight
 * (then by how many it has), "ok" when it reported in the last 24 h without
 * one, "idle" when it did not report.
 */
import type { OfficeSummary } from '../../api/types.ts';
import { SEVERITY_RANK, worstSeverity } from '../../lib/insight-kinds.ts';

export function officeTone(o: OfficeSummary): string {
  return worstSeverity(o.activeInsights) ?? (o.reports24h > 0 ? 'ok' : 'idle');
}

function rank(o: OfficeSummary): number {
  const w = worstSeverity(o.activeInsights);
  return (w ? SEVERITY_RANK[w] * 100 : 0) + o.activeInsights.length;
}

/** Worst first, then by name. */
export function byAttention(offices: readonly OfficeSummary[]): OfficeSummary[] {
  return [...offices].sort((a, b) => rank(b) - rank(a) || a.name.localeCompare(b.name));
}
