-- Silences (maintenance windows, notify/silence-contract.ts): per office
-- (office_id) or for every office (NULL), per insight kind or every kind
-- (NULL). Times are ISO-8601 text; a silence is in force on [starts_at, ends_at).
CREATE TABLE silences (
  tenant_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  office_id text COLLATE "C",
  kind text COLLATE "C",
  starts_at text COLLATE "C" NOT NULL,
  ends_at text COLLATE "C" NOT NULL,
  reason text NOT NULL,
  created_by text NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  suppressed integer NOT NULL DEFAULT 0,
  last_suppressed_at text COLLATE "C",
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX silences_window ON silences (tenant_id, ends_at);
