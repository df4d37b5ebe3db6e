-- Insight engine tables, PostgreSQL dialect (mirror of
-- sqlite/migrations/010-insights.sql). Keyed by tenant first.

CREATE TABLE insight_rollups (
  tenant_id text COLLATE "C" NOT NULL,
  office_key text COLLATE "C" NOT NULL,
  bucket_start text COLLATE "C" NOT NULL,
  data text NOT NULL,
  PRIMARY KEY (tenant_id, office_key, bucket_start)
);
CREATE INDEX insight_rollups_age ON insight_rollups (bucket_start);

CREATE TABLE insights (
  tenant_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  office_key text COLLATE "C" NOT NULL,
  kind text COLLATE "C" NOT NULL,
  status text COLLATE "C" NOT NULL CHECK (status IN ('active', 'resolved')),
  severity text NOT NULL CHECK (severity IN ('high', 'medium', 'low')),
  value double precision NOT NULL,
  threshold double precision NOT NULL,
  window_hours integer NOT NULL,
  evidence text NOT NULL,
  fingerprint text NOT NULL,
  first_detected_at text COLLATE "C" NOT NULL,
  last_seen_at text COLLATE "C" NOT NULL,
  resolved_at text COLLATE "C",
  updated_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
-- One insight per tenant × office × kind: two servers can never both open it.
CREATE UNIQUE INDEX insights_office_kind ON insights (tenant_id, office_key, kind);
CREATE INDEX insights_status ON insights (tenant_id, status, updated_at);

-- seq is the outbox's read position: an identity never reuses a value, and
-- appendEvent serialises writers (store/postgres/insights-repo.ts) so that a
-- reader never sees seq n+1 committed while seq n is still in flight.
-- The primary key leads with tenant_id (Citus); seq alone is unique too.
CREATE TABLE insight_events (
  tenant_id text COLLATE "C" NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  insight_id text COLLATE "C" NOT NULL,
  type text NOT NULL CHECK (type IN ('opened', 'updated', 'resolved', 'reopened')),
  at text COLLATE "C" NOT NULL,
  summary text NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX insight_events_insight ON insight_events (tenant_id, insight_id, seq);
-- The outbox's instance-wide feed reads by seq.
CREATE INDEX insight_events_seq ON insight_events (seq);

CREATE TABLE insight_offices (
  tenant_id text COLLATE "C" NOT NULL,
  office_key text COLLATE "C" NOT NULL,
  due_at text COLLATE "C",
  city_key text COLLATE "C",
  latency_median_ms double precision,
  throughput_mbps double precision,
  perf_samples integer NOT NULL DEFAULT 0,
  evaluated_at text COLLATE "C",
  PRIMARY KEY (tenant_id, office_key)
);
CREATE INDEX insight_offices_due ON insight_offices (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX insight_offices_city ON insight_offices (city_key, evaluated_at) WHERE city_key IS NOT NULL;
