/**
 * @module measurement-plan
 * The measurement traffic budget, shared by collector and agent: which probe
 * checks are heavy (their bytes dominate a run), how many samples of each
 * the collector plans per office or per device and day, what one run of
 * each may cost at most, and the daily byte cap every agent enforces.
 *
 * A heavy check is one descriptor in `HEAVY_CHECKS`; the collector's planner
 * (server agents/measurement-planner.ts) and the agent's budget
 * (probe agent/traffic-budget.ts) loop over that list, so a new heavy check
 * (the endpoint sweep) is one more entry here and nothing else.
 */
import type { ServiceProfile } from './service-profile.ts';

/** One megabyte of the cap: SI, 10^6 bytes (the unit the budget is stated in). */
export const BYTES_PER_MB = 1_000_000;
/** The default daily cap per agent: 25 MB a day, sent and received together. */
export const DEFAULT_MAX_DAILY_MB = 25;
/** Below 1 MB a day an agent could not afford one light run; above 10 GB a day a cap caps nothing. */
export const MIN_DAILY_MB = 1;
export const MAX_DAILY_MB = 10_000;

/** The default quota of an office-planned check: 24 samples a day (the insights' minimum evidence, PRODUCT.md), */
export const DEFAULT_SAMPLES_PER_DAY = 24;
/** … from at least 2 devices (the same minimum). */
export const DEFAULT_MIN_DEVICES = 2;
/** One sample every 15 minutes per office at most: a plan asking more would be the unplanned load again. */
export const MAX_SAMPLES_PER_DAY = 96;
export const MAX_MIN_DEVICES = 50;

/** How a heavy check's samples are shared out. */
export type HeavyQuota =
  /** `samplesPerDay` per office (from at least `minDevices` devices), spread over the day. */
  | { per: 'office' }
  /** `runsPerDay` per device, each device at its own time of day. */
  | { per: 'device'; runsPerDay: number };

/** What a heavy check's worst case depends on beyond the profile (only the sweep's, today). */
export interface HeavyCheckSizing {
  /** Hosts the sweep will dial (the catalog's required Optimize and Allow hosts); default `DEFAULT_SWEEP_HOSTS`. */
  sweepHosts?: number;
  /** The most one swept host has cost this agent so far; raises the per-host allowance when larger. */
  sweepHostBytes?: number;
}

/** One heavy check: its name is the probe check's registry name (probe checks/index.ts). */
export interface HeavyCheck {
  name: string;
  quota: HeavyQuota;
  /**
   * The most one run of this check may send and receive together, in bytes,
   * from the profile alone: what an agent reserves from its daily cap before
   * running it, and what the collector asks an agent to be able to afford.
   */
  worstCaseBytes(profile: ServiceProfile, sizing?: HeavyCheckSizing): number;
}

/** STUN Binding request (RFC 8489 §5: 20-byte header, no attributes) and the largest answer counted: XOR-MAPPED-ADDRESS, MAPPED-ADDRESS and a SOFTWARE attribute fit in 128 bytes. */
const STUN_REQUEST_BYTES = 20;
const STUN_ANSWER_BYTES = 128;
/** TLS record overhead (≤ 29 bytes per 16 KiB record, RFC 8446 §5.2 / RFC 5288) and a read past the limit; 1 % covers both. */
const TLS_OVERHEAD = 0.01;
/** Handshake (certificate chain), request and response headers. */
const HANDSHAKE_ALLOWANCE = 128 * 1024;
/**
 * One swept host: a TLS handshake with its certificate chain (Microsoft's
 * chains are 5–7 kB), a GET's request and response headers (Node's parser
 * stops at 16 KiB) and the 8 KiB of body the sweep reads (probe
 * sweep/sweep-host.ts), with room for a read past it. Measured on the lab:
 * 6.8 kB per host (45 hosts, 306 kB).
 */
export const SWEEP_HOST_ALLOWANCE = 48 * 1024;
/**
 * Hosts assumed when the catalog is not at hand (the collector planning for
 * any tenant): the "~100 required endpoints", above the shipped
 * snapshot's 45 (a protocol test holds it above the snapshot's count).
 */
export const DEFAULT_SWEEP_HOSTS = 100;

export const HEAVY_CHECKS: readonly HeavyCheck[] = [
  {
    name: 'throughput',
    quota: { per: 'office' },
    // The download stops at maxBytes of body (checks/throughput.ts); loaded-latency samples are TCP connects (no payload).
    worstCaseBytes: (p) => Math.ceil(p.throughput.maxBytes * (1 + TLS_OVERHEAD)) + HANDSHAKE_ALLOWANCE,
  },
  {
    name: 'teams-media',
    quota: { per: 'office' },
    // One request per port per interval for the run's length, each answered at most twice (duplicates counted too).
    worstCaseBytes: (p) => {
      const m = p.teamsMedia;
      if (!m) return 0;
      const requests = m.ports.length * Math.ceil((m.durationSeconds * 1000) / m.intervalMs);
      return requests * (STUN_REQUEST_BYTES + 2 * STUN_ANSWER_BYTES);
    },
  },
  {
    // The endpoint sweep (probe `ProbeOptions.sweep`): every required host once, each at most its allowance.
    name: 'sweep',
    quota: { per: 'device', runsPerDay: 1 },
    worstCaseBytes: (_p, s) =>
      (s?.sweepHosts ?? DEFAULT_SWEEP_HOSTS) * Math.max(SWEEP_HOST_ALLOWANCE, s?.sweepHostBytes ?? 0),
  },
];

export function heavyCheck(name: string): HeavyCheck | undefined {
  return HEAVY_CHECKS.find((c) => c.name === name);
}

/** What the collector decided for one heavy check of one run. */
export interface HeavyCheckGrant {
  run: boolean;
  /** Why not, in words, when `run` is false. */
  why?: string;
}

/** The plan part of `GET /api/v1/agent/config`: heavy check name → grant, and the agent's daily cap. */
export interface MeasurementPlanAnswer {
  /** UTC day the plan counts in (`YYYY-MM-DD`). */
  day: string;
  heavyChecks: Record<string, HeavyCheckGrant>;
  /** The organisation's daily cap per agent, in bytes (the agent takes the lower of this and its own flag). */
  maxDailyBytes: number;
}

/** The UTC day of a time, `YYYY-MM-DD`: the plan and the agents' caps both count in UTC days. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}
