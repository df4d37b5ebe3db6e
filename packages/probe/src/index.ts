/**
 * @module @netinsights/probe
 * Measures the network path to a service the way a network admin needs it
 * measured: DNS, TCP, TLS chain (genuine / intercepted / untrusted), HTTPS,
 * WebSocket, HTTP/2, QUIC, latency, throughput — direct or through proxies —
 * and produces a ProbeReport v1. Depends only on @netinsights/protocol.
 */

export { type AgentLogFormat, type AgentRunRecord, formatRunRecord } from './agent/agent-log.ts';
export {
  type AgentSettings,
  AgentSettingsError,
  parseAgentSettings,
  type SettingsSource,
  shippedSettings,
} from './agent/agent-settings.ts';
export { AGENT_CATALOG_PATH, type CatalogFetch, fetchAgentCatalog } from './agent/catalog-client.ts';
export { ConfigCache, defaultConfigCacheFile } from './agent/config-cache.ts';
export {
  AGENT_CONFIG_PATH,
  type ConfigFailure,
  type ConfigFetch,
  fetchAgentSettings,
} from './agent/config-client.ts';
export { type AgentOptions, type AgentSummary, runAgent } from './agent/run-agent.ts';
export { JITTER_FRACTION, nextDelayMs } from './agent/schedule.ts';
export type {
  ProbeOptions,
  ProbeProgress,
  ProbeSystem,
  SweepCatalog,
  SweepOptions,
} from './probe-options.ts';
export { type Diagnosis, diagnose, type Finding } from './report/findings.ts';
export { type ProgressLine, progressLine } from './report/progress.ts';
export { wantsColor } from './report/style.ts';
export { type SweepGroup, sweepGroups, sweepHealthy } from './report/sweep-summary.ts';
export { renderReport } from './report/text-report.ts';
export { DEFAULT_CHECK_TIMEOUT_MS, DEFAULT_DEADLINE_MS, runProbe } from './run-probe.ts';
export { PinError, parsePins } from './transport/pins.ts';
export { type OsLookup, systemLookup } from './transport/resolve.ts';
export { type DiscoverEnv, fetchPacFrom } from './transport/system-proxy/discover.ts';
export {
  type CollectorOptions,
  collectorEndpoint,
  REPORTS_PATH,
  type UploadResult,
  uploadReport,
} from './upload/collector-client.ts';
export { collectorProxy } from './upload/collector-route.ts';
export { type Delivery, type DeliveryLine, deliver } from './upload/deliver.ts';
export { defaultDeviceIdFile, isValidDeviceId, loadOrCreateDeviceId } from './upload/device-id.ts';
export { defaultSpoolDir, MAX_SPOOLED, Spool } from './upload/spool.ts';
export { splitPem } from './verdicts/trust-store.ts';
