-- Only unmapped reports carry a discovered_id: a partial index spares every
-- mapped report one index insert on the ingest path.
DROP INDEX reports_discovered;
CREATE INDEX reports_discovered ON reports (tenant_id, discovered_id) WHERE discovered_id IS NOT NULL;
