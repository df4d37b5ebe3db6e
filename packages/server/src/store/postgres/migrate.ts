/**
 * @module store/postgres/migrate
 * The shared migration rules (store/shared/migrations.ts) on PostgreSQL.
 * Several servers may start at once against one database. Each migration's
 * transaction first takes a transaction-scoped advisory lock, then reads
 * what is recorded and applies the migration only if it is still missing:
 * one server applies it, the others wait and find it done. Only
 * transaction-scoped state is used, so this works through a pooler in
 * transaction mode (PgBouncer), where consecutive statements of one client
 * may run on different server connections.
 */
import type pg from 'pg';
import {
  MIGRATIONS_TABLE,
  type Migration,
  migrationFailed,
  pendingMigrations,
} from '../shared/migrations.ts';
import { withClient } from './db.ts';

const LOCK = `hashtextextended(current_schema() || chr(10) || 'netinsights-migrate', 0)`;

export function migrate(pool: pg.Pool, migrations: Migration[]): Promise<number[]> {
  return withClient(pool, async (client, markBroken) => {
    const recorded = async () =>
      pendingMigrations((await client.query('SELECT version, name FROM schema_migrations')).rows, migrations);
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(${LOCK})`);
      await client.query(MIGRATIONS_TABLE);
      await client.query('COMMIT');
      const done: number[] = [];
      for (const first of await recorded()) {
        await client.query('BEGIN');
        try {
          await client.query(`SELECT pg_advisory_xact_lock(${LOCK})`);
          // Another server may have applied it (and those before it) while this one waited.
          const m = (await recorded()).find((x) => x.version === first.version);
          if (m) {
            await client.query(m.sql);
            await client.query(
              'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
              [m.version, m.name, new Date().toISOString()],
            );
            done.push(m.version);
          }
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw migrationFailed(first, err);
        }
      }
      return done;
    } catch (err) {
      // A client that failed mid-way may be in a broken transaction: close it rather than reuse it.
      markBroken(err as Error);
      throw err;
    }
  });
}
