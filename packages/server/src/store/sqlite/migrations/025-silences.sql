-- Silences (maintenance windows, notify/silence-contract.ts): per office
-- (office_id) or for every office (NULL), per insight kind or every kind
-- (NULL). Times are ISO-8601 text; a silence is in force on [starts_at, ends_at).
CREATE TABLE silences (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  office_id TEXT,
  kind TEXT,
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  suppressed INTEGER NOT NULL DEFAULT 0,
  last_suppressed_at TEXT,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX silences_window ON silences (tenant_id, ends_at);
