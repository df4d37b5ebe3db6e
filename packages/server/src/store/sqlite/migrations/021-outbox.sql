-- Notification channels and the durable outbox.
--
-- A delivery is one message to one channel. It is written in the same
-- transaction as the insight event it carries, so an event is never lost
-- between being recorded and being sent. delivery_events makes
-- (channel, event) unique: an event is queued at most once per channel.
-- Workers claim due deliveries with a lease (lease_owner, lease_until); a
-- crashed worker's lease expires and another worker takes over. Once
-- status = 'delivered' a delivery is never claimed again.

CREATE TABLE notification_channels (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('webhook', 'teams', 'slack', 'email')),
  config TEXT NOT NULL,
  filters TEXT NOT NULL,
  digest_minutes INTEGER NOT NULL DEFAULT 0,
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE deliveries (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  is_test INTEGER NOT NULL DEFAULT 0,
  -- Office id for digest batching; NULL when the channel sends each event.
  digest_key TEXT,
  notices TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'delivered', 'failed', 'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  lease_owner TEXT,
  lease_until TEXT,
  last_status_code INTEGER,
  last_error TEXT,
  created_at TEXT NOT NULL,
  delivered_at TEXT,
  PRIMARY KEY (tenant_id, id)
);
-- The workers' instance-wide queue scan (not a tenant read).
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_recent ON deliveries (tenant_id, created_at, id);
CREATE INDEX deliveries_digest ON deliveries (tenant_id, channel_id, digest_key, status);

CREATE TABLE delivery_events (
  tenant_id TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  PRIMARY KEY (tenant_id, channel_id, event_id)
);

CREATE TABLE delivery_attempts (
  tenant_id TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  at TEXT NOT NULL,
  worker TEXT NOT NULL,
  ok INTEGER NOT NULL,
  status_code INTEGER,
  detail TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, delivery_id, attempt)
);
