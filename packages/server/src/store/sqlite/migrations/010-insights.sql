-- Insight engine tables (owner: insights; numbers 010–019, see store/README.md).
-- Keyed by tenant first, like every tenant-owned table.

-- Hourly rollups per tenant × office: what the engine evaluates instead of raw
-- reports (insights/rollup.ts). data is the Rollup document as JSON text.
CREATE TABLE insight_rollups (
  tenant_id TEXT NOT NULL,
  office_key TEXT NOT NULL,
  bucket_start TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (tenant_id, office_key, bucket_start)
);
-- Retention drops old buckets across tenants by age.
CREATE INDEX insight_rollups_age ON insight_rollups (bucket_start);

-- One insight per tenant × office × kind; reopening reuses the row.
CREATE TABLE insights (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  office_key TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'resolved')),
  severity TEXT NOT NULL CHECK (severity IN ('high', 'medium', 'low')),
  value REAL NOT NULL,
  threshold REAL NOT NULL,
  window_hours INTEGER NOT NULL,
  evidence TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  first_detected_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  resolved_at TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX insights_office_kind ON insights (tenant_id, office_key, kind);
CREATE INDEX insights_status ON insights (tenant_id, status, updated_at);

-- Append-only history of transitions, written in the transaction that changes
-- the insight. seq is the notification outbox's read position: AUTOINCREMENT
-- makes it strictly increasing and never reused, even after deletes.
CREATE TABLE insight_events (
  tenant_id TEXT NOT NULL,
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  insight_id TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('opened', 'updated', 'resolved', 'reopened')),
  at TEXT NOT NULL,
  summary TEXT NOT NULL
);
CREATE INDEX insight_events_insight ON insight_events (tenant_id, insight_id, seq);

-- Per office: when it is next due for evaluation (new reports make it due
-- now; data in the window or an active insight makes it due at the next hour,
-- when the window slides) and its own window medians, which feed other
-- offices' peer comparison.
CREATE TABLE insight_offices (
  tenant_id TEXT NOT NULL,
  office_key TEXT NOT NULL,
  due_at TEXT,
  city_key TEXT,
  latency_median_ms REAL,
  throughput_mbps REAL,
  perf_samples INTEGER NOT NULL DEFAULT 0,
  evaluated_at TEXT,
  PRIMARY KEY (tenant_id, office_key)
);
-- The timer's scan across tenants touches only due offices.
CREATE INDEX insight_offices_due ON insight_offices (due_at) WHERE due_at IS NOT NULL;
-- Peer figures are aggregated per city across the instance.
CREATE INDEX insight_offices_city ON insight_offices (city_key, evaluated_at) WHERE city_key IS NOT NULL;
