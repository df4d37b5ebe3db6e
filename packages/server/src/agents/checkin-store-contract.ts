/**
 * @module agents/checkin-store-contract
 * What each agent said about itself at its last settings fetch (before every
 * run): which token, which device, which version, when — and each device's
 * last stored report. Enough to list the fleet by version and to see who
 * went silent: no check-in, or check-ins but no report arriving. Added to `Store` by module
 * augmentation (see store/README.md).
 */

export interface AgentCheckinRow {
  tenantId: string;
  tokenId: string;
  /** The agent's device id; `-` when it sent none. */
  deviceId: string;
  version: string;
  seenAt: string;
}

export interface AgentCheckinsRepo {
  /** Records a check-in (one row per token and device, the latest kept). */
  record(row: AgentCheckinRow): Promise<void>;
  /** Newest first. */
  list(tenantId: string): Promise<AgentCheckinRow[]>;
  /** Each device's newest stored report received at or after `since` (devices with none are absent). */
  lastReports(tenantId: string, since: string): Promise<{ deviceId: string; at: string }[]>;
}

declare module '../store/contract.ts' {
  interface StoreExtensions {
    agentCheckins: AgentCheckinsRepo;
  }
}
