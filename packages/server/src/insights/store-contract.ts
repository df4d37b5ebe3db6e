/**
 * @module insights/store-contract
 * The insights repository every store dialect implements, added to `Store`
 * by module augmentation (store/README.md). Tenant-owned methods take the
 * tenant first. Three reads are instance-wide on purpose and say so: the
 * timer's scan for offices due for evaluation, the per-city peer aggregate
 * (figures only, never whose), and the event feed the notification outbox
 * consumes in order.
 */

import type { StoredInsight } from './api-insight.ts';
import type { InsightEventType, InsightKind, InsightStatus, Severity } from './kinds.ts';

/** One hour bucket of an office's rollup, as stored (JSON text of insights/rollup.ts `Rollup`). */
export interface RollupRow {
  /** ISO-8601 start of the hour (UTC). */
  bucketStart: string;
  data: string;
}

/** An office due for evaluation. */
export interface DueOffice {
  tenantId: string;
  officeKey: string;
}

/** What the engine remembers per office between evaluations. */
export interface OfficeSchedule {
  /** When to evaluate next (ISO), or null: nothing in the window, nothing active. */
  dueAt: string | null;
  /** `city|country`, lower-case, for peer comparison; null when the office has no city. */
  cityKey: string | null;
  /** The office's own window medians at its last evaluation (feeds its peers' comparison). */
  latencyMedianMs: number | null;
  throughputMbps: number | null;
  perfSamples: number;
  evaluatedAt: string;
}

/** The per-city aggregate of other offices: one entry per office, no identities. */
export interface PeerFigure {
  /** Whose office it is: for grouping by tenant, never shown. */
  tenantId: string;
  latencyMedianMs: number | null;
  throughputMbps: number | null;
}

export interface InsightEventRow {
  /** Global, strictly increasing, never reused: the outbox's read position. */
  seq: number;
  tenantId: string;
  insightId: string;
  type: InsightEventType;
  /** ISO-8601. */
  at: string;
  summary: string;
}

export interface InsightFilter {
  status?: InsightStatus;
  kind?: InsightKind;
  officeKey?: string;
}

export interface InsightsRepo {
  /** One bucket's JSON and its write token. */
  getRollup(
    tenantId: string,
    officeKey: string,
    bucketStart: string,
  ): Promise<{ data: string; version: string } | undefined>;
  /** Only the write token of a bucket (cheap: lets a writer reuse its parsed copy). */
  rollupVersion(tenantId: string, officeKey: string, bucketStart: string): Promise<string | undefined>;
  /** Inserts or replaces a bucket; `version` must be unique per write. */
  putRollup(
    tenantId: string,
    officeKey: string,
    bucketStart: string,
    data: string,
    version: string,
  ): Promise<void>;
  /** Buckets with `from <= bucketStart <= to`, oldest first. */
  rollups(tenantId: string, officeKey: string, from: string, to: string): Promise<RollupRow[]>;
  /** Marks the office due at `dueAt` unless it is already due earlier. */
  markDue(tenantId: string, officeKey: string, dueAt: string): Promise<void>;
  /** Instance-wide: offices due at or before `now`, earliest first. */
  dueOffices(now: string, limit: number): Promise<DueOffice[]>;
  getSchedule(tenantId: string, officeKey: string): Promise<OfficeSchedule | undefined>;
  setSchedule(tenantId: string, officeKey: string, s: OfficeSchedule): Promise<void>;
  /**
   * Aggregate input: offices of the city evaluated since `since` that belong
   * to tenants other than `excludeTenantId` and still exist.
   */
  peerFigures(
    cityKey: string,
    since: string,
    minSamples: number,
    excludeTenantId: string,
  ): Promise<PeerFigure[]>;

  /** Insights of one office (any status). */
  forOffice(tenantId: string, officeKey: string): Promise<StoredInsight[]>;
  /** Inserts or replaces one insight (keyed by tenant and id). */
  save(insight: StoredInsight): Promise<void>;
  /** Appends an event; returns its seq. Call in the transaction that saves the state. */
  appendEvent(
    tenantId: string,
    insightId: string,
    e: { type: InsightEventType; at: string; summary: string },
  ): Promise<number>;

  get(tenantId: string, id: string): Promise<StoredInsight | undefined>;
  /** Active first, then most recently updated. */
  list(tenantId: string, filter: InsightFilter): Promise<StoredInsight[]>;
  /** Events of one insight, oldest first. */
  events(tenantId: string, insightId: string): Promise<InsightEventRow[]>;
  /** Instance-wide, for the notification outbox: events with seq > afterSeq, in order. */
  eventsAfter(afterSeq: number, limit: number): Promise<InsightEventRow[]>;
  /** Every active insight of the tenant, briefly (overview and office summaries). */
  activeList(
    tenantId: string,
  ): Promise<{ id: string; kind: InsightKind; officeKey: string; severity: Severity }[]>;
  /** Retention across tenants: drops rollup buckets older than `cutoff`; bounded per call. */
  purgeRollupsBefore(cutoff: string, limit: number): Promise<number>;
}

declare module '../store/contract.ts' {
  interface StoreExtensions {
    insights: InsightsRepo;
  }
}
