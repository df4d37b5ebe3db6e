-- Endpoint catalog versions per tenant, PostgreSQL dialect (mirror of
-- sqlite/migrations/020-catalog.sql).

CREATE TABLE catalog_versions (
  tenant_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  imported_at text COLLATE "C" NOT NULL,
  source text NOT NULL,
  set_count integer NOT NULL,
  sets text NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX catalog_versions_time ON catalog_versions (tenant_id, imported_at);

CREATE TABLE catalog_current (
  tenant_id text COLLATE "C" NOT NULL PRIMARY KEY,
  version_id text COLLATE "C" NOT NULL,
  updated_at text COLLATE "C" NOT NULL
);
