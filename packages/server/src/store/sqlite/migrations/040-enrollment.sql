-- Enrollment secrets (enrollment/store-contract.ts): each agent trades one for its own agent token.
-- Only the SHA-256 of a secret is kept.
CREATE TABLE enrollment_secrets (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  office_id TEXT,
  secret_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  max_uses INTEGER,
  uses INTEGER NOT NULL DEFAULT 0,
  last_used_at TEXT,
  revoked_at TEXT,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX enrollment_secrets_hash ON enrollment_secrets (secret_hash);
