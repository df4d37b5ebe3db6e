/**
 * @module probe-options
 * What a probe run is told: the profile, how to reach the network, deadlines.
 * This is the probe's public contract; the lab and the agent build these.
 */
import type { ProbeReport, ServiceProfile } from '@netinsights/protocol';

/** A progress event for live terminal output (and the agent's log). */
export interface ProbeProgress {
  checkId: string;
  kind: ProbeReport['results'][number]['kind'];
  state: 'started' | 'finished';
  /** Present when finished. */
  result?: ProbeReport['results'][number];
}

export interface ProbeOptions {
  profile: ServiceProfile;
  /**
   * Explicit proxy URL (`http://host:port`), like `--proxy`. Wins over env and PAC.
   * `auto`: find it as the OS hands it to applications (system-proxy/discover.ts).
   */
  proxy?: string;
  /** PAC file path or URL, evaluated per host, like `--pac`. */
  pac?: string;
  /** Proxy environment (HTTPS_PROXY / NO_PROXY); defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** curl-style pins: `HOST:PORT:ADDR` entries. */
  resolve?: string[];
  /** DNS servers to ask instead of the system's (`ip` or `ip:port`). */
  dnsServers?: string[];
  /** Whole-run deadline in ms (default 20 000). */
  deadlineMs?: number;
  /** Per-check deadline in ms (default 5 000; the WebSocket hold and throughput add their own length). */
  checkTimeoutMs?: number;
  /** Overrides the profile's WebSocket hold time. */
  wsHoldSeconds?: number;
  /**
   * Extra PEM certificates treated as part of this machine's trust store
   * (on top of the system store). The lab uses this to play an endpoint that
   * trusts an enterprise interceptor CA pushed to it.
   */
  extraTrustedCas?: string[];
  /**
   * Extra PEM roots treated as part of the public bundled store (Mozilla's,
   * as Node ships it) — trusted, and accepted as the public root a name-only
   * expected CA must chain to. Only for labs and tests standing in for a
   * public CA; an endpoint's own roots go in `extraTrustedCas`.
   */
  extraPublicCas?: string[];
  /** Office this device says it is in (goes into the report's environment). */
  officeId?: string;
  /**
   * The organisation's SharePoint tenant name, for the workload hosts that
   * name `{tenant}` (overrides the profile's `tenantName`).
   */
  tenantName?: string;
  /** Stable per-installation device id (goes into the report's environment). */
  deviceId?: string;
  onProgress?: (event: ProbeProgress) => void;
  /** Aborts the run; pending checks end as `probe/deadline`. */
  signal?: AbortSignal;
}
