-- Write token of a rollup bucket (mirror of sqlite/migrations/011): the
-- engine reuses its parsed copy of a bucket only while the token matches, so
-- a write by another server forces a re-read.
ALTER TABLE insight_rollups ADD COLUMN version text NOT NULL DEFAULT '';
