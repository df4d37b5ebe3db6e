/**
 * @module store/postgres/migrate
 * The shared migration rules (store/shared/migrations.ts) on PostgreSQL.
 * Several servers may start at once against one database: a session
 * advisory lock lets one migrate while the others wait, then find nothing to do.
 */
import type pg from 'pg';
import {
  MIGRATIONS_TABLE,
  type Migration,
  migrationFailed,
  pendingMigrations,
} from '../shared/migrations.ts';

const LOCK = `hashtextextended(current_schema() || chr(10) || 'netinsights-migrate', 0)`;

export async function migrate(pool: pg.Pool, migrations: Migration[]): Promise<number[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(`SELECT pg_advisory_lock(${LOCK})`);
    try {
      await client.query(MIGRATIONS_TABLE);
      const recorded = (await client.query('SELECT version, name FROM schema_migrations')).rows;
      const todo = pendingMigrations(recorded, migrations);
      for (const m of todo) {
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query(
            'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
            [m.version, m.name, new Date().toISOString()],
          );
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw migrationFailed(m, err);
        }
      }
      return todo.map((m) => m.version);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${LOCK})`);
    }
  } catch (err) {
    broken = err as Error;
    throw err;
  } finally {
    // A client that failed mid-way may still hold the session lock: close it rather than reuse it.
    client.release(broken);
  }
}
