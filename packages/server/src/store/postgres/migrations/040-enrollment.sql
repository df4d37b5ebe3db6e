-- Enrollment secrets (enrollment/store-contract.ts): each agent trades one for its own agent token.
-- Only the SHA-256 of a secret is kept.
CREATE TABLE enrollment_secrets (
  tenant_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  name text COLLATE "C" NOT NULL,
  office_id text COLLATE "C",
  secret_hash text COLLATE "C" NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  expires_at text COLLATE "C",
  max_uses integer CHECK (max_uses > 0),
  uses integer NOT NULL DEFAULT 0,
  last_used_at text COLLATE "C",
  revoked_at text COLLATE "C",
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX enrollment_secrets_hash ON enrollment_secrets (secret_hash);
