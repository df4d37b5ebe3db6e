-- A token that changes with every write of a rollup bucket. The engine keeps
-- recently written buckets parsed in memory and reuses one only while the
-- stored token still matches (a rolled-back transaction or another writer
-- changes or restores a different token), so ingest does not re-parse the
-- bucket's JSON for every report.
ALTER TABLE insight_rollups ADD COLUMN version TEXT NOT NULL DEFAULT '';
