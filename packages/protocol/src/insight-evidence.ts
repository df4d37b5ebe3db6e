/**
 * @module insight-evidence
 * The evidence behind an insight, as the server's rules write it, stores it
 * with the insight and returns it in the API's `Insight.evidence`; the
 * dashboard renders it.
 */

/** One failing host: attempts and failures in the window. */
export interface HostCount {
  host: string;
  attempts: number;
  failures: number;
  /** The core workload the host serves (the profile's workload name), when it is one. */
  workload?: string;
}

/** What a rule measured for one office over the rolling window. */
export interface InsightEvidence {
  samples: number;
  devices: number;
  /** The share of samples that showed the problem (0..1). */
  share: number;
  affectedHosts: HostCount[];
  /** Wildcard domains with failures, e.g. `*.cloud.microsoft`. */
  affectedDomains: string[];
  /** Per domain counts behind affectedDomains. */
  domains?: { domain: string; attempts: number; failures: number }[];
  /** Failure codes (`layer/class`), most frequent first. */
  failureClasses: { code: string; count: number }[];
  /** tls-interception: the interceptor's vendor, from the chain's issuer. */
  vendor?: string;
  /** tls-interception: the issuer of the served chain, as the device's settings name it. */
  issuer?: string;
  /** peer-performance: the area's aggregate against this office. */
  peers?: {
    sampleOffices: number;
    latencyMedianMs: number | null;
    throughputMbps: number | null;
    officeLatencyMedianMs: number | null;
    officeThroughputMbps: number | null;
  };
  /** backhauled-egress: the most common far egress location. */
  egress?: {
    distanceKm: number;
    thresholdKm: number;
    city: string | null;
    country: string | null;
  };
  /** teams-media: what the Teams media runs of the window measured. */
  teamsMedia?: TeamsMediaEvidence;
  /** required-endpoints: the endpoint sweeps of the window, by catalog set. */
  requiredEndpoints?: RequiredEndpointsEvidence;
  /** distant-resolver: the most common far resolver and how it was identified. */
  resolver?: {
    address: string;
    distanceKm: number;
    thresholdKm: number;
    city: string | null;
    country: string | null;
    /** `zone`: seen by the collector's DNS listener; `whoami`: named by a public whoami answer. */
    method: 'zone' | 'whoami';
  };
  /** distant-front-door: per workload, the front door in use against the area's best. */
  frontDoors?: FrontDoorEvidence[];
  /** latency-under-load: idle and loaded latency of the window's runs. */
  latencyUnderLoad?: LatencyUnderLoadEvidence;
  exampleReportIds: string[];
}

/** A distribution as the rollup keeps it: median and 95th percentile (null without samples). */
export interface Spread {
  median: number | null;
  p95: number | null;
}

/** The Teams media runs behind a `teams-media` insight. */
export interface TeamsMediaEvidence {
  runs: number;
  /** Runs in which no UDP port answered while TCP to the relay worked. */
  udpBlocked: number;
  /** Runs answered over the thresholds. */
  degraded: number;
  /** Over the runs that got answers: per-run loss %, RTT median (ms), jitter (ms), estimated MOS. */
  lossPercent: Spread;
  rttMs: Spread;
  jitterMs: Spread;
  mos: Spread;
  /** Per UDP port: runs that sent to it, runs it answered. */
  ports: { port: number; runs: number; answered: number }[];
  /** Runs with a TCP fallback result, and how many of those connected. */
  tcpFallback: { runs: number; ok: number };
}

/** The endpoint sweeps behind a `required-endpoints` insight. */
export interface RequiredEndpointsEvidence {
  /** Sweeps (reports with a sweep) in the window. */
  sweeps: number;
  /** Hosts swept, summed over the sweeps, and how many of those were intercepted or unreachable. */
  intercepted: number;
  unreachable: number;
  /** Catalog sets with failures, most failures first: Microsoft's set id and service area. */
  sets: { id: number; serviceArea: string; swept: number; failures: number }[];
}

/** Where a front door address is, as the collector's geo source places it (null: unknown). */
export interface FrontDoorPlace {
  address: string;
  city: string | null;
  country: string | null;
  /** Great-circle distance from the office, when both are placed. */
  distanceKm: number | null;
}

/** One workload's front door in use at the office against the best one other organisations nearby use. */
export interface FrontDoorEvidence {
  workload: string;
  inUse: FrontDoorPlace & { medianMs: number; samples: number };
  /** The area's best: its latency is a rounded median of per-organisation medians, over `offices` offices. */
  best: FrontDoorPlace & { medianMs: number; offices: number };
  /** Milliseconds per connection the office would save on the best front door (0 when it is on it). */
  potentialGainMs: number;
  /** Whether this workload counts against the office: much slower or much farther than the best. */
  worse: boolean;
}

/** The runs behind a `latency-under-load` insight: each with an idle and a loaded median. */
export interface LatencyUnderLoadEvidence {
  runs: number;
  /** Runs whose added latency (`addedMs`) reached `limitMs`. */
  bloated: number;
  limitMs: number;
  /** Per-run idle median (the latency check, alone on the path), ms. */
  idleMs: Spread;
  /** Per-run median while the download ran, same host and method, ms. */
  loadedMs: Spread;
  /** Per-run loaded minus idle median, ms (0 when the loaded one was lower): the report's `bufferbloatMs`. */
  addedMs: Spread;
}
