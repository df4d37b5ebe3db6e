-- The network assessment per office and day (assessment/store-contract.ts): the score, its weight
-- (devices), the area it is compared in, and the whole assessment as JSON, as of the day's last evaluation.
CREATE TABLE assessment_days (
  tenant_id text COLLATE "C" NOT NULL,
  office_key text COLLATE "C" NOT NULL,
  day text COLLATE "C" NOT NULL,
  score double precision,
  devices integer NOT NULL,
  city_key text COLLATE "C",
  country_key text COLLATE "C",
  detail text NOT NULL,
  evaluated_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, office_key, day)
);
-- The tenant's history by day.
CREATE INDEX assessment_days_tenant_day ON assessment_days (tenant_id, day);
-- The area quintile reads other tenants' offices of one city or country (cross-tenant by design).
CREATE INDEX assessment_days_city ON assessment_days (city_key, day);
CREATE INDEX assessment_days_country ON assessment_days (country_key, day);
