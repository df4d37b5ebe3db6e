-- Read positions of the notification pump in instance-wide feeds (today:
-- insight_events.seq). Advanced in the same transaction that queues the
-- deliveries for the events read, so a crash neither skips nor repeats one.
CREATE TABLE outbox_cursors (
  name TEXT NOT NULL PRIMARY KEY,
  seq INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);
