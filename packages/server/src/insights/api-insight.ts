/**
 * @module insights/api-insight
 * Maps a stored insight to the `Insight` object of the /api/v1 contract. The
 * words (title, meaning, action) are written here from the stored evidence at
 * read time, so improving a text needs no data migration.
 */
import type { InsightEventType, InsightKind, InsightStatus, Severity } from './kinds.ts';
import type { InsightState } from './lifecycle.ts';
import type { ActionLink, InsightEvidence } from './rules/contract.ts';
import { RULES } from './rules/index.ts';

/** An insight as stored: the lifecycle state plus where it belongs. */
export interface StoredInsight extends InsightState {
  tenantId: string;
  officeKey: string;
  /** Rolling window (hours) in force when it was last evaluated. */
  windowHours: number;
}

/** The `Insight` object of the /api/v1 contract (a type alias so it fits the hook's open-ended InsightView). */
export type ApiInsight = {
  id: string;
  kind: InsightKind;
  officeId: string;
  officeName: string;
  status: InsightStatus;
  severity: Severity;
  title: string;
  meaning: string;
  action: string;
  actionLinks: ActionLink[];
  metric: { name: string; value: number; threshold: number };
  evidence: InsightEvidence;
  firstDetectedAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  updatedAt: string;
};

export interface ApiInsightEvent {
  type: InsightEventType;
  at: string;
  summary: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Builds the API object. `officeName` comes from the caller's office lookup
 * (offices can be renamed; the insight stores only the office key).
 */
export function toApiInsight(row: StoredInsight, officeName: string): ApiInsight {
  const rule = RULES[row.kind];
  const text = rule.describe(row.evidence, {
    insightId: row.id,
    officeName,
    windowHours: row.windowHours,
    openThreshold: row.threshold,
    value: row.value,
  });
  return {
    id: row.id,
    kind: row.kind,
    officeId: row.officeKey,
    officeName,
    status: row.status,
    severity: row.severity,
    ...text,
    actionLinks: rule.actionLinks(row.id, row.evidence),
    metric: { name: rule.metricName, value: row.value, threshold: row.threshold },
    evidence: row.evidence,
    firstDetectedAt: iso(row.firstDetectedAt),
    lastSeenAt: iso(row.lastSeenAt),
    resolvedAt: row.resolvedAt === null ? null : iso(row.resolvedAt),
    updatedAt: iso(row.updatedAt),
  };
}

export function toApiInsightEvent(e: {
  type: InsightEventType;
  at: number;
  summary: string;
}): ApiInsightEvent {
  return { type: e.type, at: iso(e.at), summary: e.summary };
}
