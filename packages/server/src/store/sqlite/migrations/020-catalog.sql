-- Endpoint catalog versions, per tenant (one tenant's import never changes
-- another tenant's artifacts). With no row in catalog_current the shipped
-- snapshot is in force. Sets are stored in the web-service JSON shape.

CREATE TABLE catalog_versions (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  source TEXT NOT NULL,
  set_count INTEGER NOT NULL,
  sets TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX catalog_versions_time ON catalog_versions (tenant_id, imported_at);

CREATE TABLE catalog_current (
  tenant_id TEXT NOT NULL PRIMARY KEY,
  version_id TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
