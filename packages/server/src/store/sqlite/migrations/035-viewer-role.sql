-- A third role, viewer (read-only everywhere). SQLite cannot alter a CHECK
-- constraint, so the users table is rebuilt with the same columns and index.
CREATE TABLE users_new (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  email TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'viewer')),
  created_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
INSERT INTO users_new (tenant_id, id, email, password_hash, role, created_at)
  SELECT tenant_id, id, email, password_hash, role, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
-- Login is by e-mail alone, so an e-mail belongs to one tenant only.
CREATE UNIQUE INDEX users_email ON users (email);
