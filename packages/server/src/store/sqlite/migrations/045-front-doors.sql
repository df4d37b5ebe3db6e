-- Each office's front doors at its last evaluation (insights/front-door-store-contract.ts): per workload,
-- the address its devices landed on, the median connect time and where the address is; read per city
-- (other tenants' offices only) for the distant-front-door comparison.
CREATE TABLE front_doors (
  tenant_id TEXT NOT NULL,
  office_key TEXT NOT NULL,
  workload TEXT NOT NULL,
  address TEXT NOT NULL,
  city_key TEXT,
  latency_median_ms REAL NOT NULL,
  samples INTEGER NOT NULL,
  city TEXT,
  country TEXT,
  latitude REAL,
  longitude REAL,
  evaluated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, office_key, workload, address)
);
CREATE INDEX front_doors_by_city ON front_doors (city_key, evaluated_at);
