-- Raw reports partitioned by day of receipt (PostgreSQL's declarative
-- partitioning, no extension). Retention then drops a whole day's table
-- instead of deleting its rows one by one (which doubled the write load and
-- left vacuum behind), and reads of recent reports prune to the days they
-- ask for. The server creates each day's partition ahead of time
-- (postgres/report-partitions.ts); `reports_default` catches any row outside
-- them (e.g. a received time far from today), and is normally empty.
--
-- PostgreSQL requires the partition key in every unique index, so the
-- primary key becomes (tenant_id, id, received_at). A report re-sent after a
-- failed upload gets a new received time, so this key alone no longer stores
-- a report once: `report_insert` below takes the report id's advisory lock
-- (the same key `reports.getMeta` takes) and looks for the id before it
-- inserts, in one round trip. Why received time and not the id is the
-- partition key: ARCHITECTURE.md, "Raw reports by day".
--
-- Every stored report is kept: the old table's days get partitions of their
-- own, and its rows are copied into them.

ALTER TABLE reports RENAME TO reports_unpartitioned;
ALTER INDEX reports_pkey RENAME TO reports_unpartitioned_pkey;
ALTER INDEX reports_time RENAME TO reports_unpartitioned_time;
ALTER INDEX reports_office_time RENAME TO reports_unpartitioned_office_time;
ALTER INDEX reports_discovered RENAME TO reports_unpartitioned_discovered;
ALTER INDEX reports_received RENAME TO reports_unpartitioned_received;

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
  PRIMARY KEY (tenant_id, id, received_at)
) PARTITION BY RANGE (received_at);
CREATE INDEX reports_time ON reports (tenant_id, received_at, id);
CREATE INDEX reports_office_time ON reports (tenant_id, office_id, received_at);
CREATE INDEX reports_discovered ON reports (tenant_id, discovered_id) WHERE discovered_id IS NOT NULL;
-- No index on received_at alone any more: retention drops partitions, and
-- only the (normally empty) default partition is purged by row.
CREATE TABLE reports_default PARTITION OF reports DEFAULT;

DO $$
DECLARE
  d date;
BEGIN
  FOR d IN
    SELECT DISTINCT left(received_at, 10)::date FROM reports_unpartitioned
    WHERE received_at ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T'
  LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF reports FOR VALUES FROM (%L) TO (%L)',
      'reports_p' || to_char(d, 'YYYYMMDD'), to_char(d, 'YYYY-MM-DD'), to_char(d + 1, 'YYYY-MM-DD'));
  END LOOP;
END $$;

INSERT INTO reports SELECT * FROM reports_unpartitioned;
DROP TABLE reports_unpartitioned;

-- Stores a report unless its (tenant, id) is already stored; true when it
-- inserted. `p_since` bounds where to look (a lower bound of the first
-- copy's received time, from the report id's UUIDv7 time), so the check
-- reads only the partitions since then; NULL looks everywhere. Inside
-- PL/pgSQL each statement takes a new snapshot, so after waiting for the lock
-- held by another server's transaction the check sees its committed row.
CREATE FUNCTION report_insert(
  p_tenant text, p_id text, p_received text, p_office text, p_discovered text, p_device text,
  p_egress text, p_checks integer, p_failures integer, p_codes text, p_body text, p_since text
) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(
    hashtextextended(current_schema() || chr(10) || 'report' || chr(10) || p_tenant || chr(10) || p_id, 0));
  IF EXISTS (SELECT 1 FROM reports WHERE tenant_id = p_tenant AND id = p_id
      AND received_at >= coalesce(p_since, '')) THEN
    RETURN false;
  END IF;
  INSERT INTO reports (tenant_id, id, received_at, office_id, discovered_id, device_id, egress_ip,
      checks, failures, failure_codes, body)
    VALUES (p_tenant, p_id, p_received, p_office, p_discovered, p_device, p_egress,
      p_checks, p_failures, p_codes, p_body)
    ON CONFLICT DO NOTHING;
  RETURN FOUND;
END $$;
