-- The collector's measurement plan (agents/measurement-planner.ts): heavy-check samples granted per
-- planning unit (an office, else the caller's network) and UTC day, and per device of that unit.
-- Shared by every collector on the database: a grant is one conditional upsert, so the quota holds.
CREATE TABLE plan_unit_days (
  tenant_id text COLLATE "C" NOT NULL,
  unit text COLLATE "C" NOT NULL,
  day text COLLATE "C" NOT NULL,
  check_name text COLLATE "C" NOT NULL,
  granted integer NOT NULL CHECK (granted >= 0),
  last_granted_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, unit, day, check_name)
);
CREATE TABLE plan_device_days (
  tenant_id text COLLATE "C" NOT NULL,
  unit text COLLATE "C" NOT NULL,
  day text COLLATE "C" NOT NULL,
  check_name text COLLATE "C" NOT NULL,
  device_id text COLLATE "C" NOT NULL,
  granted integer NOT NULL CHECK (granted >= 0),
  seen_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, unit, day, check_name, device_id)
);
