/**
 * @module insights-hook
 * The seam between the collector and the insight engine
 * (packages/server/src/insights/). The collector calls `onReportStored`
 * inside the transaction that stores the report — with the transaction-bound
 * store — so a rollup update commits or rolls back together with its report
 * and nothing is lost on a crash. `evaluateAll` runs on a timer. The read
 * functions serve /api/v1/insights, /insights/:id, /offices/:id/metrics and
 * the overview.
 *
 * The engine (`createInsightsHook()` in `src/insights/index.ts`) is what
 * `loadInsightsHook()` returns; `noopInsights`, which answers with empty
 * lists, is for tests that exercise the collector or the API without it.
 */
import type { ProbeReport } from '@netinsights/protocol';
import type { GeoLookup } from './geo/geo-lookup.ts';
import { createInsightsHook } from './insights/index.ts';
import type { GeoInfo, OfficeRow, Store } from './store/contract.ts';

export interface ReportStoredEvent {
  tenantId: string;
  /** The office id when the report mapped to an office, else `discovered:<id>`. */
  officeKey: string;
  /** The office it mapped to (null for a discovered location). */
  office: OfficeRow | null;
  discoveredId: string | null;
  /**
   * The parsed report, when ingest parsed it on this thread. When it was
   * parsed on an ingest worker thread only `prepared` comes across.
   */
  report?: ProbeReport;
  /** What the hook's `prepare` returned for this report (when it has one). */
  prepared?: unknown;
  /** ISO time the collector received it (probe clocks are not trusted). */
  receivedAt: string;
  egressIp: string;
  /** GeoIP of the egress address, when a GeoIP source is configured and knows it. */
  egressGeo: GeoInfo | null;
  /**
   * The uploading agent token's SHA-256 (hex): the key of the report's
   * resolver label (protocol/resolver-label.ts), with which the report
   * claims what the collector's DNS listener saw for it.
   */
  resolverKey?: string;
  /** The GeoIP source, for the resolver's address. */
  locate?: (ip: string) => GeoInfo | null;
}

export interface InsightFilter {
  status?: 'active' | 'resolved';
  kind?: string;
  officeId?: string;
}

/** An insight as the API returns it (the engine's shape: insights/api-insight.ts `ApiInsight`). */
export interface InsightView {
  id: string;
  kind: string;
  officeId: string;
  status: 'active' | 'resolved';
  severity: 'high' | 'medium' | 'low';
  [field: string]: unknown;
}

export interface InsightEventView {
  type: import('@netinsights/protocol').InsightEventType;
  at: string;
  summary: string;
}

export interface OfficeMetrics {
  buckets: Array<Record<string, unknown>>;
  peers: Record<string, unknown> | null;
}

/** What `InsightsHook.prepare` is given: the report and how the collector received it. */
export interface PrepareInput {
  report: ProbeReport;
  receivedAt: string;
  egressGeo: GeoInfo | null;
}

export interface InsightsHook {
  /**
   * Optional: the per-report facts the hook needs, taken from the parsed
   * report before its transaction. It may run on an ingest worker thread
   * (ingest/prepare-worker.ts), so it must depend on its input only and
   * return plain data (structured-cloneable); the result reaches
   * `onReportStored` as `event.prepared`.
   */
  prepare?(input: PrepareInput): unknown;
  /** Called once per newly stored report, inside its transaction (`tx`). Throwing rolls back that report. */
  onReportStored(tx: Store, event: ReportStoredEvent): Promise<void>;
  /**
   * Optional: called once per ingest batch, after its reports' `onReportStored`
   * calls and before COMMIT, in the same transaction — so per-report work can
   * be written once per batch (e.g. rollups touched by several reports).
   * Throwing rolls back the whole batch (every upload in it gets an error).
   */
  beforeCommit?(tx: Store): Promise<void>;
  /**
   * Optional: a discovered location became an office (inside the adoption's
   * transaction), so the insight history gathered under `discovered:<id>`
   * moves to the office instead of starting over.
   */
  onLocationAdopted?(
    tx: Store,
    tenantId: string,
    discoveredId: string,
    officeId: string,
    now: Date,
  ): Promise<void>;
  /** Periodic evaluation of every tenant × office (quiet offices resolve too). */
  evaluateAll(store: Store, now: Date): Promise<void>;
  listInsights(store: Store, tenantId: string, filter: InsightFilter): Promise<InsightView[]>;
  getInsight(
    store: Store,
    tenantId: string,
    id: string,
  ): Promise<{ insight: InsightView; events: InsightEventView[] } | undefined>;
  officeMetrics(
    store: Store,
    tenantId: string,
    officeId: string,
    window: '24h' | '7d',
    now: Date,
  ): Promise<OfficeMetrics>;
}

export const noopInsights: InsightsHook = {
  async onReportStored() {},
  async evaluateAll() {},
  async listInsights() {
    return [];
  },
  async getInsight() {
    return undefined;
  },
  async officeMetrics() {
    return { buckets: [], peers: null };
  },
};

/** The insight engine's hook; `geo` places front door addresses (none: they stay unplaced). */
export async function loadInsightsHook(opts: { geo?: GeoLookup } = {}): Promise<InsightsHook> {
  return createInsightsHook(opts.geo ? { geo: opts.geo } : {});
}
