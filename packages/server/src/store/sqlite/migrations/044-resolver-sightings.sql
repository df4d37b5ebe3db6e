-- What the collector's DNS listener saw per report label (dns/sighting-store-contract.ts): written
-- before the tenant is known, then claimed by the one report whose label it is (tenant_id, report_id).
CREATE TABLE resolver_sightings (
  label TEXT NOT NULL PRIMARY KEY,
  resolver TEXT NOT NULL,
  ecs TEXT,
  transport TEXT NOT NULL,
  seen_at TEXT NOT NULL,
  tenant_id TEXT,
  report_id TEXT
);
CREATE INDEX resolver_sightings_report ON resolver_sightings (tenant_id, report_id);
CREATE INDEX resolver_sightings_seen ON resolver_sightings (seen_at);
