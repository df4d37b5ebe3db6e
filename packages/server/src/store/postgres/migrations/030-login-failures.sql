-- Failed sign-ins, shared by every server on this database (auth/login-throttle.ts).
-- key_hash is SHA-256 of the e-mail and client address: neither is kept in the clear.
-- Looked up before any tenant is known: a reference table on Citus.
CREATE TABLE login_failures (
  key_hash text PRIMARY KEY,
  failures integer NOT NULL,
  first_at text COLLATE "C" NOT NULL
);
CREATE INDEX login_failures_first ON login_failures (first_at);
