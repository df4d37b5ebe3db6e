-- Core tables of the collector. Every tenant-owned table is keyed by
-- (tenant_id, id) so a distributed PostgreSQL (Citus) can shard by tenant.
-- Timestamps are ISO-8601 text (sortable); JSON columns are text.

CREATE TABLE tenants (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE users (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  email TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('owner', 'admin')),
  created_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
-- Login is by e-mail alone, so an e-mail belongs to one tenant only.
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE sessions (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX sessions_token ON sessions (token_hash);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE agent_tokens (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  office_id TEXT,
  token_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX agent_tokens_hash ON agent_tokens (token_hash);

CREATE TABLE api_tokens (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  scope TEXT NOT NULL CHECK (scope IN ('read', 'read-write')),
  token_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);

CREATE TABLE audit_log (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  details TEXT,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_time ON audit_log (tenant_id, at, id);

CREATE TABLE offices (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  address TEXT,
  city TEXT NOT NULL,
  country TEXT NOT NULL,
  latitude REAL NOT NULL,
  longitude REAL NOT NULL,
  lan_subnets TEXT NOT NULL,
  egress_ranges TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE discovered (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  egress_prefix TEXT NOT NULL,
  city TEXT,
  country TEXT,
  latitude REAL,
  longitude REAL,
  reports INTEGER NOT NULL,
  first_seen_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  adopted_office_id TEXT,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX discovered_prefix ON discovered (tenant_id, egress_prefix);

CREATE TABLE reports (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  received_at TEXT NOT NULL,
  office_id TEXT,
  discovered_id TEXT,
  device_id TEXT,
  egress_ip TEXT NOT NULL,
  checks INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  failure_codes TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX reports_time ON reports (tenant_id, received_at, id);
CREATE INDEX reports_office_time ON reports (tenant_id, office_id, received_at);
CREATE INDEX reports_discovered ON reports (tenant_id, discovered_id);
-- Retention purges across tenants by age.
CREATE INDEX reports_received ON reports (received_at);

CREATE TABLE settings (
  tenant_id TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, key)
);
