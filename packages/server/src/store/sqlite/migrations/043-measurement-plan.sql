-- The collector's measurement plan (agents/measurement-planner.ts): heavy-check samples granted per
-- planning unit (an office, else the caller's network) and UTC day, and per device of that unit.
-- Shared by every collector on the database: a grant is one conditional upsert, so the quota holds.
CREATE TABLE plan_unit_days (
  tenant_id TEXT NOT NULL,
  unit TEXT NOT NULL,
  day TEXT NOT NULL,
  check_name TEXT NOT NULL,
  granted INTEGER NOT NULL,
  last_granted_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, unit, day, check_name)
);
CREATE TABLE plan_device_days (
  tenant_id TEXT NOT NULL,
  unit TEXT NOT NULL,
  day TEXT NOT NULL,
  check_name TEXT NOT NULL,
  device_id TEXT NOT NULL,
  granted INTEGER NOT NULL,
  seen_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, unit, day, check_name, device_id)
);
