-- Two more event types: an insight kind turned off ('disabled') or on again
-- ('enabled') in the settings. They go into the insight's history but never
-- page (notify/event-pump.ts).
ALTER TABLE insight_events DROP CONSTRAINT insight_events_type_check;
ALTER TABLE insight_events ADD CONSTRAINT insight_events_type_check
  CHECK (type IN ('opened', 'updated', 'resolved', 'reopened', 'disabled', 'enabled'));
