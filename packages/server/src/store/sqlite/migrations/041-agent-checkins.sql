-- Each agent's last settings fetch (agents/checkin-store-contract.ts): version and time, per token and device.
CREATE TABLE agent_checkins (
  tenant_id TEXT NOT NULL,
  token_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  version TEXT NOT NULL,
  seen_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, token_id, device_id)
);
