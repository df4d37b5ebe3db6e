/**
 * @module store/postgres/migrate
 * Versioned migrations on PostgreSQL, with the same rules as SQLite
 * (sqlite/migrate.ts, whose file loader is shared): `migrations/NNN-name.sql`
 * in number order, each in its own transaction, recorded in
 * `schema_migrations`; a recorded version whose name changed is an error.
 * Several servers may start at once against one database: a session advisory
 * lock lets one migrate while the others wait, then find nothing to do.
 */
import type pg from 'pg';
import type { Migration } from '../sqlite/migrate.ts';

export { loadMigrations, type Migration } from '../sqlite/migrate.ts';

const LOCK = `hashtextextended(current_schema() || chr(10) || 'netinsights-migrate', 0)`;

export async function migrate(pool: pg.Pool, migrations: Migration[]): Promise<number[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(`SELECT pg_advisory_lock(${LOCK})`);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)`);
      const applied = new Map<number, string>();
      for (const r of (await client.query('SELECT version, name FROM schema_migrations')).rows)
        applied.set(Number(r.version), String(r.name));
      const done: number[] = [];
      for (const m of migrations) {
        const had = applied.get(m.version);
        if (had !== undefined) {
          if (had !== m.name)
            throw new Error(`migration ${m.version} was applied as "${had}" but the file is now "${m.name}"`);
          continue;
        }
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
          throw new Error(`migration ${m.version}-${m.name} failed: ${(err as Error).message}`);
        }
        done.push(m.version);
      }
      return done;
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
