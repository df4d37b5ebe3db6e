-- Failed sign-ins, shared by every server on this store (auth/login-throttle.ts).
-- key_hash is SHA-256 of the e-mail and client address: neither is kept in the clear.
CREATE TABLE login_failures (
  key_hash TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  first_at TEXT NOT NULL
);
CREATE INDEX login_failures_first ON login_failures (first_at);
