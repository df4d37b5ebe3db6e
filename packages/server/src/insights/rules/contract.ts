/**
 * @module insights/rules/contract
 * The one contract every insight rule implements. A rule is pure: it gets the
 * merged rollup of the office's rolling window (plus the office and, for
 * peer-performance, the area's aggregate) and returns a measurement: how many
 * samples from how many devices, the metric value compared with the
 * thresholds, and the evidence. It also writes the insight's words from that
 * evidence. Opening, resolving and hysteresis are not its business
 * (lifecycle.ts decides those the same way for every kind).
 */
import type { InsightKind, Severity } from '../kinds.ts';
import type { Rollup } from '../rollup.ts';
import type { InsightSettings, KindSettings } from '../settings.ts';

/** What the engine knows about an office (or a discovered location). */
export interface OfficeInfo {
  name: string;
  city: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
}

/** Aggregate of other offices in the same city; never says whose. */
export interface PeerStats {
  /** How many other offices (any tenant) the figures come from. */
  offices: number;
  latencyMedianMs: number | null;
  throughputMbps: number | null;
}

export interface RuleInput {
  /** All hour buckets of the rolling window, merged. */
  window: Rollup;
  office: OfficeInfo;
  peers: PeerStats | null;
  settings: InsightSettings;
  kind: KindSettings;
}

/** Evidence as stored with the insight and returned by the API (see /api/v1 contract). */
export interface InsightEvidence {
  samples: number;
  devices: number;
  /** The share of samples that showed the problem (0..1). */
  share: number;
  affectedHosts: { host: string; attempts: number; failures: number }[];
  /** Wildcard domains with failures, e.g. `*.cloud.microsoft`. */
  affectedDomains: string[];
  /** Per domain counts behind affectedDomains. */
  domains?: { domain: string; attempts: number; failures: number }[];
  failureClasses: { code: string; count: number }[];
  vendor?: string;
  issuer?: string;
  peers?: {
    sampleOffices: number;
    latencyMedianMs: number | null;
    throughputMbps: number | null;
    officeLatencyMedianMs: number | null;
    officeThroughputMbps: number | null;
  };
  egress?: {
    distanceKm: number;
    thresholdKm: number;
    city: string | null;
    country: string | null;
  };
  exampleReportIds: string[];
}

/** One evaluation of one rule for one office. */
export interface Measurement {
  /** Evidence base: samples in the window and distinct devices behind them. */
  samples: number;
  devices: number;
  /** The metric compared with open/close thresholds. */
  value: number;
  severity: Severity;
  evidence: InsightEvidence;
  /** Epoch ms of the newest report that showed the problem, if any. */
  lastProblemAt: number | null;
}

export interface InsightText {
  title: string;
  meaning: string;
  action: string;
}

export interface ActionLink {
  label: string;
  href: string;
}

/** What `describe` may use besides the evidence. */
export interface DescribeContext {
  insightId: string;
  officeName: string;
  windowHours: number;
  openThreshold: number;
  /** The metric value at the last evaluation. */
  value: number;
}

export interface InsightRule {
  kind: InsightKind;
  /** Name of the metric in the API's `metric.name`. */
  metricName: string;
  /**
   * Measures the window. Returns null when the kind cannot be judged at all
   * for this office (no coordinates, not enough peers); the lifecycle treats
   * that like an office without samples.
   */
  measure(input: RuleInput): Measurement | null;
  /** Title, "what this means" and "what to do", from the evidence. */
  describe(evidence: InsightEvidence, ctx: DescribeContext): InsightText;
  /** Remediation artifacts that fix it. */
  actionLinks(insightId: string): ActionLink[];
}
