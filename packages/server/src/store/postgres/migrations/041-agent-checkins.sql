-- Each agent's last settings fetch (agents/checkin-store-contract.ts): version and time, per token and device.
CREATE TABLE agent_checkins (
  tenant_id text COLLATE "C" NOT NULL,
  token_id text COLLATE "C" NOT NULL,
  device_id text COLLATE "C" NOT NULL,
  version text COLLATE "C" NOT NULL,
  seen_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, token_id, device_id)
);
