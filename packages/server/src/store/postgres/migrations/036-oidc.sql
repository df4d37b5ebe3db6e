-- Single sign-on with OpenID Connect (auth/sso-contract.ts). One settings row
-- per tenant; the domains that route a sign-in to a tenant (an e-mail domain
-- routes to one tenant only); pending authorization requests, each taken once.
CREATE TABLE oidc_configs (
  tenant_id text COLLATE "C" NOT NULL PRIMARY KEY,
  enabled integer NOT NULL,
  label text NOT NULL,
  slug text,
  issuer text NOT NULL,
  client_id text NOT NULL,
  client_secret text,
  allowed_domains text NOT NULL,
  entra_tenant_id text,
  role_claim text NOT NULL,
  role_map text NOT NULL,
  default_role text CHECK (default_role IN ('owner', 'admin', 'viewer')),
  passwords_enabled integer NOT NULL,
  updated_at text NOT NULL
);
CREATE UNIQUE INDEX oidc_configs_slug ON oidc_configs (slug);

CREATE TABLE oidc_domains (
  domain text COLLATE "C" NOT NULL PRIMARY KEY,
  tenant_id text NOT NULL
);
CREATE INDEX oidc_domains_tenant ON oidc_domains (tenant_id);

-- state_hash is SHA-256 of the state value: the value itself is only in the browser's cookie and URL.
CREATE TABLE oidc_states (
  state_hash text COLLATE "C" NOT NULL PRIMARY KEY,
  tenant_id text COLLATE "C" NOT NULL,
  code_verifier text NOT NULL,
  nonce text NOT NULL,
  redirect_uri text NOT NULL,
  created_at text NOT NULL,
  expires_at text NOT NULL
);
CREATE INDEX oidc_states_expiry ON oidc_states (expires_at);
