/**
 * @module assessment
 * The network assessment score as the server computes it and the API and the
 * dashboard show it: Microsoft's published bands for each component (linear
 * between points, flat beyond the ends), the 0–100 mapping of the Teams media
 * MOS, and the shapes of `assessment` on an office, of
 * GET /api/v1/assessment and of the settings document
 * /api/v1/settings/assessment.
 */

/** A band: (measured value, score) points in increasing value order; linear between them. */
export type Band = readonly (readonly [value: number, score: number])[];

/**
 * Latency to the service front door, median over the window, ms (Microsoft's
 * network assessment): ≤ 10 ms scores 100, 350 ms and more scores 0.
 */
export const LATENCY_BAND: Band = [
  [10, 100],
  [25, 80],
  [100, 60],
  [200, 40],
  [300, 20],
  [350, 0],
];

/** Download speed, 25th percentile over the window, MB/s (Microsoft's network assessment). */
export const DOWNLOAD_BAND: Band = [
  [0, 0],
  [2, 20],
  [4, 40],
  [8, 60],
  [14, 80],
  [20, 100],
];

/**
 * Teams media, estimated MOS (media-quality.ts) → 0–100. The points are the
 * MOS at the edges of ITU-T G.109's R-factor satisfaction categories, through
 * G.107's R → MOS formula: R 90 (very satisfied, MOS 4.34) → 100, R 80
 * (satisfied, 4.02) → 80, R 70 (some users dissatisfied, 3.60) → 60, R 60
 * (many dissatisfied, 3.10) → 40, R 50 (nearly all dissatisfied, 2.58) → 20,
 * MOS 1 (no usable call) → 0. So the Teams component steps down a fifth per
 * satisfaction category, as the other two step down per Microsoft band.
 */
export const MOS_BAND: Band = [
  [1, 0],
  [2.58, 20],
  [3.1, 40],
  [3.6, 60],
  [4.02, 80],
  [4.34, 100],
];

/** The score of `value` on `band`: linear between points, the end score beyond either end. */
export function bandScore(band: Band, value: number): number {
  const first = band[0];
  const last = band[band.length - 1];
  if (!first || !last) throw new Error('a band needs points');
  if (value <= first[0]) return first[1];
  if (value >= last[0]) return last[1];
  for (let i = 1; i < band.length; i++) {
    const [x1, y1] = band[i] as readonly [number, number];
    if (value > x1) continue;
    const [x0, y0] = band[i - 1] as readonly [number, number];
    return y0 + ((value - x0) / (x1 - x0)) * (y1 - y0);
  }
  return last[1];
}

/** The parts of an office's score, in the order they are shown. */
export const ASSESSMENT_COMPONENTS = ['latency', 'download', 'media'] as const;
export type AssessmentComponentName = (typeof ASSESSMENT_COMPONENTS)[number];

/** One component with data: its 0–100 score and the figure it came from. */
export interface AssessmentComponent {
  /** 0–100, an integer. */
  score: number;
  /** The figure scored: latency median (ms), download 25th percentile (MB/s), or the MOS estimate. */
  value: number;
  unit: 'ms' | 'MB/s' | 'MOS';
  /** Samples in the window the figure comes from (reports, or Teams media runs). */
  samples: number;
  /** Teams media only: the window's medians the MOS was estimated from (runs with UDP answers). */
  inputs?: { rttMs: number; jitterMs: number; lossPercent: number };
  /** Teams media only: no run got a UDP answer (calls fall back to TCP); scored 0. */
  udpBlocked?: boolean;
}

/** Where the office stands among other organisations' offices in its area. */
export interface AreaQuintile {
  /** The area compared: the office's city, else its country. */
  level: 'city' | 'country';
  area: string;
  /** 1 = the lowest-scoring fifth of the area, 5 = the highest. */
  quintile: 1 | 2 | 3 | 4 | 5;
  /** How many other offices and organisations the comparison used (never whose or their scores). */
  offices: number;
  tenants: number;
}

/** `assessment` on each office of GET /api/v1/offices. */
export interface OfficeAssessment {
  /** 0–100, the mean of the components that have data; null when none has. */
  score: number | null;
  components: Partial<Record<AssessmentComponentName, AssessmentComponent>>;
  /** Components without data in the window (their figure is not guessed). */
  missing: AssessmentComponentName[];
  window: { days: number; from: string; to: string };
  /** Distinct devices with reports in the window: the office's weight in the tenant score. */
  devices: number;
  /** Null when the area has too few other offices (or organisations) for a comparison. */
  area: AreaQuintile | null;
  /** When the insight engine computed it. */
  evaluatedAt: string;
}

/** One day of history: the score as of the last evaluation that day. */
export interface AssessmentDay {
  /** YYYY-MM-DD (UTC). */
  day: string;
  score: number | null;
  /** Tenant history: offices scored that day and their devices; office history: the components. */
  offices?: number;
  devices?: number;
  components?: Partial<Record<AssessmentComponentName, number>>;
}

/** GET /api/v1/assessment (the tenant) or ?office=<id> (one office). */
export interface AssessmentAnswer {
  /** The tenant's (device-weighted mean of its offices) or the office's current score. */
  score: number | null;
  window: { days: number };
  /** Tenant: offices with a score, of all offices, and their devices. */
  offices?: { scored: number; total: number; devices: number };
  /** Office: its current assessment (null before its first evaluation). */
  office?: { id: string; name: string; assessment: OfficeAssessment | null };
  /** Oldest first, one entry per day that has a score. */
  history: AssessmentDay[];
}

/** The settings document GET/PUT /api/v1/settings/assessment exchanges. */
export interface AssessmentSettings {
  /** Days the score looks back over (Microsoft's assessment uses 3). */
  windowDays: number;
  /** Days of daily history kept. */
  retentionDays: number;
}
