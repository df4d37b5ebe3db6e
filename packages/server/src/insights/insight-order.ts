/**
 * @module insights/insight-order
 * The order of an insights list, as an admin triages it: active before
 * resolved, then the most severe first, then the most recent (last seen for
 * an active insight, resolved for a resolved one). The store returned them
 * by last update, so a Low that had just been refreshed sat above a High.
 */
import type { ApiInsight } from './api-insight.ts';

const SEVERITY_RANK = { high: 3, medium: 2, low: 1 } as const;

/** When the insight last changed for the reader: resolution time once resolved, else the last sighting. */
const recency = (i: ApiInsight) => (i.status === 'resolved' ? (i.resolvedAt ?? i.lastSeenAt) : i.lastSeenAt);

/** Sort comparator: active first, then severity, then recency, then id (a stable, total order). */
export function triageOrder(a: ApiInsight, b: ApiInsight): number {
  return (
    Number(b.status === 'active') - Number(a.status === 'active') ||
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    recency(b).localeCompare(recency(a)) ||
    a.id.localeCompare(b.id)
  );
}
