/**
 * @module agents/checkin-store-contract
 * What each agent said about itself at its last settings fetch (before every
 * run): which token, which device, which version, when. Enough to list the
 * fleet by version and to see who went silent. Added to `Store` by module
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
}

declare module '../store/contract.ts' {
  interface StoreExtensions {
    agentCheckins: AgentCheckinsRepo;
  }
}
