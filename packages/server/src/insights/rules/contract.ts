/**
 * @module insights/rules/contract
 * The one contract every insight rule implements. A rule is pure: it gets the
 * merged rollup of the office's rolling window (plus the office and, for
 * peer-performance, the area's aggregate) and returns a measurement: how many
 * samples from how many devices, the metric value compared with the
 * thresholds, and the evidence. It also writes the insight's words from that
 * evidence. Opening, resolving and hysteresis are not its business
 * (lifecycle.ts decides those the same way for every kind).
 *
 * The rule is the kind's descriptor on the server: besides measuring it
 * carries the kind's default thresholds (settings.ts builds the defaults
 * from them) and its metric per hour bucket (the office charts' series,
 * queries.ts). What the dashboard shows for the kind (label, summary,
 * colour) is protocol's `INSIGHT_KIND_INFO`, keyed by the same name.
 */
import type { InsightEvidence, InsightSettings, KindSettings } from '@netinsights/protocol';
import type { AreaFrontDoors } from '../front-door-area.ts';
import type { OfficeFrontDoor } from '../front-door-facts.ts';
import type { InsightKind, Severity } from '../kinds.ts';
import type { Rollup } from '../rollup.ts';

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
  /** How many offices of other tenants the figures come from. */
  offices: number;
  /** How many other tenants those offices belong to. */
  tenants: number;
  latencyMedianMs: number | null;
  throughputMbps: number | null;
}

/** Where an address is, as the collector's geo source places it (null: it does not know). */
export interface Place {
  city: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
}

/** An office's front door for a workload, with where its address is. */
export type LocatedFrontDoor = OfficeFrontDoor & Place;

/**
 * What distant-front-door compares the window's front doors with: the
 * area's best per workload (insights/front-door-area.ts), and where each
 * address of the window is.
 */
export interface FrontDoorInput {
  area: AreaFrontDoors;
  /** address → place, for the window's front door addresses the geo source knows. */
  places: Record<string, Place>;
}

export interface RuleInput {
  /** All hour buckets of the rolling window, merged. */
  window: Rollup;
  office: OfficeInfo;
  peers: PeerStats | null;
  /** For distant-front-door; absent when the office has no city (no area to compare with). */
  frontDoors?: FrontDoorInput | null;
  settings: InsightSettings;
  kind: KindSettings;
}

/** Evidence as stored with the insight and returned by the API (protocol's `InsightEvidence`). */
export type { InsightEvidence } from '@netinsights/protocol';

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

/** What `bucketShare` is given: one bucket (or a few merged) of an office's rollup. */
export interface BucketInput {
  bucket: Rollup;
  office: Pick<OfficeInfo, 'latitude' | 'longitude'>;
  kind: KindSettings;
}

export interface InsightRule {
  kind: InsightKind;
  /** Name of the metric in the API's `metric.name`. */
  metricName: string;
  /**
   * The kind's default switch and thresholds (close below open). A kind
   * with a parameter of its own (`distanceKm`, `minPeerOffices`) sets its
   * default here, and the settings API accepts it for this kind only.
   */
  defaults: KindSettings;
  /**
   * The metric of one bucket, as the office charts plot it over time:
   * undefined when the bucket holds nothing to judge. Null for a kind whose
   * metric is not a share of the office's own samples (peer-performance
   * compares the whole window with other offices).
   */
  bucketShare: ((input: BucketInput) => number | undefined) | null;
  /**
   * Measures the window. Returns null when the kind cannot be judged at all
   * for this office (no coordinates, not enough peers); the lifecycle treats
   * that like an office without samples.
   */
  measure(input: RuleInput): Measurement | null;
  /** Title, "what this means" and "what to do", from the evidence. */
  describe(evidence: InsightEvidence, ctx: DescribeContext): InsightText;
  /**
   * Remediation artifacts that fix it — only those that fix the cause the
   * evidence shows (a DNS failure gets no PAC file or firewall list).
   */
  actionLinks(insightId: string, evidence: InsightEvidence): ActionLink[];
}
