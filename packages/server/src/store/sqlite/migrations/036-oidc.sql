-- Single sign-on with OpenID Connect (auth/sso-contract.ts). One settings row
-- per tenant; the domains that route a sign-in to a tenant (an e-mail domain
-- routes to one tenant only); pending authorization requests, each taken once.
CREATE TABLE oidc_configs (
  tenant_id TEXT NOT NULL PRIMARY KEY,
  enabled INTEGER NOT NULL,
  label TEXT NOT NULL,
  slug TEXT,
  issuer TEXT NOT NULL,
  client_id TEXT NOT NULL,
  client_secret TEXT,
  allowed_domains TEXT NOT NULL,
  entra_tenant_id TEXT,
  role_claim TEXT NOT NULL,
  role_map TEXT NOT NULL,
  default_role TEXT CHECK (default_role IN ('owner', 'admin', 'viewer')),
  passwords_enabled INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX oidc_configs_slug ON oidc_configs (slug);

CREATE TABLE oidc_domains (
  domain TEXT NOT NULL PRIMARY KEY,
  tenant_id TEXT NOT NULL
);
CREATE INDEX oidc_domains_tenant ON oidc_domains (tenant_id);

-- state_hash is SHA-256 of the state value: the value itself is only in the browser's cookie and URL.
CREATE TABLE oidc_states (
  state_hash TEXT NOT NULL PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  nonce TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX oidc_states_expiry ON oidc_states (expires_at);
