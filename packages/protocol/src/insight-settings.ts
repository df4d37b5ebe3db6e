/**
 * @module insight-settings
 * The shape of a tenant's insight settings, as GET/PUT
 * /api/v1/settings/insights exchange it. The server validates it and fills
 * the defaults (packages/server/src/insights/settings.ts); the dashboard
 * edits it.
 */
import type { InsightKind } from './insight-kinds.ts';

/** One kind's switch and thresholds. */
export interface KindSettings {
  enabled: boolean;
  /** The metric at or above which the insight opens (a share 0..1, or a relative gap for peer-performance). */
  openThreshold: number;
  /** An active insight resolves when the metric falls below this. */
  closeThreshold: number;
  /** backhauled-egress only: egress farther than this from the office counts as backhauled. */
  distanceKm?: number;
  /** peer-performance only: other tenants' offices in the same city needed for a comparison (at least 5 whatever is set). */
  minPeerOffices?: number;
  /** latency-under-load only: added round trip (loaded minus idle median, ms) from which a run counts as bloated. */
  addedLatencyMs?: number;
}

/** The document GET/PUT /api/v1/settings/insights exchanges (always complete in answers). */
export interface InsightSettings {
  /** The rolling window the rules measure, in hours. */
  windowHours: number;
  /** Samples an insight needs in the window before it opens. */
  minSamples: number;
  /** Distinct devices an insight needs in the window before it opens. */
  minDevices: number;
  kinds: Record<InsightKind, KindSettings>;
}
