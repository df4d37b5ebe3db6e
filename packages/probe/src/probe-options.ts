/**
 * @module probe-options
 * What a probe run is told: the profile, how to reach the network, deadlines.
 * This is the probe's public contract; the lab and the agent build these.
 */
import type { ProbeReport, ServiceProfile } from '@netinsights/protocol';
import type { OsLookup } from './transport/resolve.ts';
import type { DiscoverEnv } from './transport/system-proxy/discover.ts';

/** A progress event for live terminal output (and the agent's log). */
export interface ProbeProgress {
  checkId: string;
  kind: ProbeReport['results'][number]['kind'];
  state: 'started' | 'finished';
  /** Present when finished. */
  result?: ProbeReport['results'][number];
}

/** An endpoint catalog document for the sweep, and where it came from. */
export interface SweepCatalog {
  /** The endpoint web service's JSON array (untrusted: read entry by entry, bad entries skipped). */
  document: unknown;
  source: 'snapshot' | 'collector' | 'file';
  /** The collector's catalog version id. */
  version?: string;
}

/**
 * The endpoint sweep (`probe --sweep`): every required Optimize and Allow
 * host of the catalog. A heavy check: the agent runs it only when its
 * traffic budget grants the check named `sweep`.
 */
export interface SweepOptions {
  /** The catalog to sweep; the shipped snapshot when omitted. */
  catalog?: SweepCatalog;
  /** Hosts in flight at once (default: the profile's, else 16). */
  concurrency?: number;
  /** Port dialled on every host (default: the profile's, else 443). */
  port?: number;
  /** Called after each host, for live progress on a terminal. */
  onProgress?: (done: number, total: number, host: string, code: string) => void;
}

/**
 * The operating system the probe stands in for, part by part; each part
 * absent is the real machine's. The lab plays a machine with its own hosts
 * file, DNS servers and search domain through these seams, so that no test
 * sends a lookup or a WPAD fetch off loopback.
 */
export interface ProbeSystem {
  /** getaddrinfo's place (the hosts file and OS rules); dns.lookup when absent. */
  lookup?: OsLookup;
  /** The DNS servers the OS is configured with (asked directly to explain failures). */
  dnsServers?: string[];
  /** What `--proxy auto` reads: platform, commands, resolv.conf (search domains), the WPAD fetch. */
  discovery?: Partial<DiscoverEnv>;
}

export interface ProbeOptions {
  profile: ServiceProfile;
  /**
   * Explicit proxy URL (`http://host:port`), like `--proxy`. Wins over env and PAC.
   * `auto`: find it as the OS hands it to applications (system-proxy/discover.ts).
   */
  proxy?: string;
  /**
   * Basic credentials for the proxy the run goes through, however it was
   * chosen (the agent's `--proxy-credentials` file or config); a proxy URL
   * with its own `user:pass@` keeps those. Never written to the report.
   */
  proxyCredentials?: { user: string; password: string };
  /** PAC file path or URL, evaluated per host, like `--pac`. */
  pac?: string;
  /** Proxy environment (HTTPS_PROXY / NO_PROXY); defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** curl-style pins: `HOST:PORT:ADDR` entries. */
  resolve?: string[];
  /** DNS servers to ask instead of the system's (`ip` or `ip:port`), like `--dns-server`. */
  dnsServers?: string[];
  /**
   * The zone delegated to the collector's DNS listener (`--resolver-zone`):
   * the resolver check then looks up this report's own name in it, and the
   * collector records which resolver asked. Needs `resolverKey`.
   */
  resolverZone?: string;
  /** SHA-256 (hex) of the agent token the report is uploaded with: the key of the report's name in the zone. */
  resolverKey?: string;
  /** The machine's resolver and proxy discovery, when not the real ones (labs and tests). */
  system?: ProbeSystem;
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
  /**
   * Registered checks (by `Check.name`) not to run, each with why: the heavy
   * checks the collector's measurement plan or the agent's daily traffic cap
   * left out. Their results say `probe/not-planned` with the reason.
   */
  notPlanned?: ReadonlyMap<string, string>;
  /**
   * Stop the run once its checks have sent and received this many bytes
   * (the agent's daily cap, less what today already used): the last line of
   * the cap, behind the reservations the agent makes before the run.
   */
  trafficLimitBytes?: number;
  onProgress?: (event: ProbeProgress) => void;
  /** Run the endpoint sweep too (absent: no sweep). */
  sweep?: SweepOptions;
  /** Aborts the run; pending checks end as `probe/deadline`. */
  signal?: AbortSignal;
}
