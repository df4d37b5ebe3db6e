-- Read positions of the notification pump in instance-wide feeds (mirror of
-- sqlite/migrations/022). Not tenant data: one row per feed (on Citus, a
-- reference table).
CREATE TABLE outbox_cursors (
  name text COLLATE "C" NOT NULL PRIMARY KEY,
  seq bigint NOT NULL,
  updated_at text COLLATE "C" NOT NULL
);
