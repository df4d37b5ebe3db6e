-- What the collector's DNS listener saw per report label (dns/sighting-store-contract.ts): written
-- before the tenant is known, then claimed by the one report whose label it is (tenant_id, report_id).
CREATE TABLE resolver_sightings (
  label text COLLATE "C" NOT NULL PRIMARY KEY,
  resolver text COLLATE "C" NOT NULL,
  ecs text COLLATE "C",
  transport text COLLATE "C" NOT NULL,
  seen_at text COLLATE "C" NOT NULL,
  tenant_id text COLLATE "C",
  report_id text COLLATE "C"
);
CREATE INDEX resolver_sightings_report ON resolver_sightings (tenant_id, report_id);
CREATE INDEX resolver_sightings_seen ON resolver_sightings (seen_at);
