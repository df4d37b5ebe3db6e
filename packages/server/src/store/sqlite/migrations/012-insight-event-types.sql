-- Two more event types: an insight kind turned off ('disabled') or on again
-- ('enabled') in the settings. They go into the insight's history but never
-- page (notify/event-pump.ts). SQLite cannot alter a CHECK constraint, so the
-- table is rebuilt with the same rows and seq values, and AUTOINCREMENT's
-- counter carries over: a seq once used (even by a deleted event) is never
-- handed out again, or the outbox cursor, already past it, would skip it.
CREATE TABLE insight_events_new (
  tenant_id TEXT NOT NULL,
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  insight_id TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('opened', 'updated', 'resolved', 'reopened', 'disabled', 'enabled')),
  at TEXT NOT NULL,
  summary TEXT NOT NULL
);
INSERT INTO insight_events_new (tenant_id, seq, insight_id, type, at, summary)
  SELECT tenant_id, seq, insight_id, type, at, summary FROM insight_events;
DELETE FROM sqlite_sequence WHERE name = 'insight_events_new';
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'insight_events_new', seq FROM sqlite_sequence WHERE name = 'insight_events';
DROP TABLE insight_events;
ALTER TABLE insight_events_new RENAME TO insight_events;
CREATE INDEX insight_events_insight ON insight_events (tenant_id, insight_id, seq);
