-- Notification channels and the durable outbox, PostgreSQL dialect (mirror
-- of sqlite/migrations/021-outbox.sql). Several servers claim deliveries with
-- SELECT … FOR UPDATE SKIP LOCKED plus the lease columns
-- (store/postgres/outbox-repo.ts), so no two of them send the same one.

CREATE TABLE notification_channels (
  tenant_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  name text NOT NULL,
  type text NOT NULL CHECK (type IN ('webhook', 'teams', 'slack', 'email')),
  config text NOT NULL,
  filters text NOT NULL,
  digest_minutes integer NOT NULL DEFAULT 0,
  enabled boolean NOT NULL DEFAULT true,
  created_at text COLLATE "C" NOT NULL,
  updated_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE deliveries (
  tenant_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  channel_id text COLLATE "C" NOT NULL,
  is_test boolean NOT NULL DEFAULT false,
  digest_key text COLLATE "C",
  notices text NOT NULL,
  status text COLLATE "C" NOT NULL CHECK (status IN ('pending', 'sending', 'delivered', 'failed', 'cancelled')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at text COLLATE "C" NOT NULL,
  lease_owner text,
  lease_until text COLLATE "C",
  last_status_code integer,
  last_error text,
  created_at text COLLATE "C" NOT NULL,
  delivered_at text COLLATE "C",
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_recent ON deliveries (tenant_id, created_at, id);
CREATE INDEX deliveries_digest ON deliveries (tenant_id, channel_id, digest_key, status);

CREATE TABLE delivery_events (
  tenant_id text COLLATE "C" NOT NULL,
  channel_id text COLLATE "C" NOT NULL,
  event_id text COLLATE "C" NOT NULL,
  delivery_id text COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, channel_id, event_id)
);

CREATE TABLE delivery_attempts (
  tenant_id text COLLATE "C" NOT NULL,
  delivery_id text COLLATE "C" NOT NULL,
  attempt integer NOT NULL,
  at text COLLATE "C" NOT NULL,
  worker text NOT NULL,
  ok boolean NOT NULL,
  status_code integer,
  detail text NOT NULL,
  duration_ms integer NOT NULL,
  PRIMARY KEY (tenant_id, delivery_id, attempt)
);
