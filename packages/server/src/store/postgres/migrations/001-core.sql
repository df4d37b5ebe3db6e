-- Core tables of the collector, PostgreSQL dialect (mirror of
-- sqlite/migrations/001-core.sql). Every tenant-owned table is keyed by
-- (tenant_id, id), tenant first, so Citus can distribute it by tenant_id.
-- Timestamps are ISO-8601 text and JSON is text, exactly as in SQLite, so
-- both dialects return identical values. Text that is sorted or compared uses
-- COLLATE "C" (byte order, as SQLite), whatever the database's locale.

CREATE TABLE tenants (
  id text COLLATE "C" NOT NULL PRIMARY KEY,
  name text NOT NULL,
  created_at text COLLATE "C" NOT NULL
);

CREATE TABLE users (
  tenant_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  email text COLLATE "C" NOT NULL,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('owner', 'admin')),
  created_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
-- Login is by e-mail alone, so an e-mail belongs to one tenant only.
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE sessions (
  tenant_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  user_id text COLLATE "C" NOT NULL,
  token_hash text COLLATE "C" NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  expires_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX sessions_token ON sessions (token_hash);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE agent_tokens (
  tenant_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  name text COLLATE "C" NOT NULL,
  office_id text COLLATE "C",
  token_hash text COLLATE "C" NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  last_used_at text COLLATE "C",
  revoked_at text COLLATE "C",
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX agent_tokens_hash ON agent_tokens (token_hash);

CREATE TABLE api_tokens (
  tenant_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  name text COLLATE "C" NOT NULL,
  scope text NOT NULL CHECK (scope IN ('read', 'read-write')),
  token_hash text COLLATE "C" NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  last_used_at text COLLATE "C",
  revoked_at text COLLATE "C",
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);

CREATE TABLE audit_log (
  tenant_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  at text COLLATE "C" NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  target text NOT NULL,
  details text,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_time ON audit_log (tenant_id, at, id);

CREATE TABLE offices (
  tenant_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  name text COLLATE "C" NOT NULL,
  address text,
  city text NOT NULL,
  country text NOT NULL,
  latitude double precision NOT NULL,
  longitude double precision NOT NULL,
  lan_subnets text NOT NULL,
  egress_ranges text NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  updated_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE discovered (
  tenant_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  egress_prefix text COLLATE "C" NOT NULL,
  city text,
  country text,
  latitude double precision,
  longitude double precision,
  reports bigint NOT NULL,
  first_seen_at text COLLATE "C" NOT NULL,
  last_seen_at text COLLATE "C" NOT NULL,
  adopted_office_id text COLLATE "C",
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX discovered_prefix ON discovered (tenant_id, egress_prefix);

CREATE TABLE reports (
  tenant_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  received_at text COLLATE "C" NOT NULL,
  office_id text COLLATE "C",
  discovered_id text COLLATE "C",
  device_id text COLLATE "C",
  egress_ip text NOT NULL,
  checks integer NOT NULL,
  failures integer NOT NULL,
  failure_codes text NOT NULL,
  body text NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX reports_time ON reports (tenant_id, received_at, id);
CREATE INDEX reports_office_time ON reports (tenant_id, office_id, received_at);
CREATE INDEX reports_discovered ON reports (tenant_id, discovered_id);
-- Retention purges across tenants by age.
CREATE INDEX reports_received ON reports (received_at);

CREATE TABLE settings (
  tenant_id text COLLATE "C" NOT NULL,
  key text COLLATE "C" NOT NULL,
  value text NOT NULL,
  updated_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, key)
);
