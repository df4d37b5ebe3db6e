/**
 * @module store/sqlite/migrate
 * The shared migration rules (store/shared/migrations.ts) on SQLite, run
 * synchronously: nothing else on the process's connection can come between
 * reading `schema_migrations` and applying, and another process waits at
 * BEGIN IMMEDIATE (busy timeout).
 */
import type { DatabaseSync } from 'node:sqlite';
import {
  MIGRATIONS_TABLE,
  type Migration,
  migrationFailed,
  pendingMigrations,
} from '../shared/migrations.ts';

export function migrate(db: DatabaseSync, migrations: Migration[]): number[] {
  db.exec(MIGRATIONS_TABLE);
  const todo = pendingMigrations(db.prepare('SELECT version, name FROM schema_migrations').all(), migrations);
  for (const m of todo) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw migrationFailed(m, err);
    }
  }
  return todo.map((m) => m.version);
}
