-- Each office's front doors at its last evaluation (insights/front-door-store-contract.ts): per workload,
-- the address its devices landed on, the median connect time and where the address is; read per city
-- (other tenants' offices only) for the distant-front-door comparison.
CREATE TABLE front_doors (
  tenant_id text COLLATE "C" NOT NULL,
  office_key text COLLATE "C" NOT NULL,
  workload text COLLATE "C" NOT NULL,
  address text COLLATE "C" NOT NULL,
  city_key text COLLATE "C",
  latency_median_ms double precision NOT NULL,
  samples integer NOT NULL,
  city text,
  country text,
  latitude double precision,
  longitude double precision,
  evaluated_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, office_key, workload, address)
);
CREATE INDEX front_doors_by_city ON front_doors (city_key, evaluated_at);
