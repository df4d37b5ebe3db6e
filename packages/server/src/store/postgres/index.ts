/**
 * @module store/postgres
 * The store on PostgreSQL (`netinsights serve --db postgres://…`), for more
 * than one machine: any number of servers share one database. Same contract,
 * same repository files and same migration numbers as the SQLite dialect.
 *
 * Connections: a `pg` pool. A statement outside a transaction takes any free
 * connection (autocommit). `transaction(fn)` checks one connection out for the
 * whole of `fn` (BEGIN … COMMIT, READ COMMITTED); `tx.transaction(fn)` inside
 * it is a SAVEPOINT that rolls back alone, as on SQLite. Unlike SQLite, the
 * outer store stays usable during a transaction (other connections), but the
 * contract's rule stands: inside `fn` use only `tx`.
 *
 * Durability: a 2xx from ingest follows COMMIT, which with PostgreSQL's
 * default `synchronous_commit = on` has flushed the WAL to disk
 * (https://www.postgresql.org/docs/current/wal-async-commit.html).
 *
 * Pooling: behind PgBouncer in transaction mode the store keeps no session
 * state (advisory locks are transaction-scoped, `SET LOCAL` only). PgBouncer
 * before 1.21 does not carry prepared statements across server connections:
 * add `pooler=transaction` to the URL's query and every statement is sent
 * unnamed (https://www.pgbouncer.org/features.html). `schema` needs the
 * `options` startup parameter, which PgBouncer refuses; give a database
 * of its own there.
 *
 * Read replica: `readUrl` (`--db-read`) names a hot standby of the same
 * cluster (streaming replication). The requests marked by
 * store/read-routing.ts read there outside transactions; `replica` tells
 * the HTTP layer how far the standby has replayed, for read-your-writes
 * (http/read-your-writes.ts). The standby is checked at open: it must be in
 * recovery and have the primary's system identifier, so a wrong URL stops
 * the start instead of serving someone else's data.
 *
 * Isolation between tests: `schema` puts every table in one schema (created
 * if missing), through the connection's search_path; advisory lock keys
 * include the schema name (db.ts), so stores in one database never collide.
 */
import pg from 'pg';
import { BeforeCommitQueue, outsideTransaction } from '../before-commit.ts';
import type { ReadReplica, Store } from '../contract.ts';
import { loadMigrations } from '../shared/migrations.ts';
import { lazyRepositories, loadRepositories } from '../shared/repository.ts';
import { inSavepoint } from '../shared/savepoint.ts';
import { inTransaction, PgDb, type ReplicaPool } from './db.ts';
import { migrate } from './migrate.ts';
import { prepareReportPartitions } from './report-partitions.ts';

/** How often the start-up partition pass is tried before the start fails. */
const PARTITION_ATTEMPTS = 3;

import type { PgRepository } from './repository.ts';

export interface PostgresStoreOptions {
  /** `postgres://user[:password]@host[:port]/database[?…]` (libpq-style URL). */
  url: string;
  /** Put every table in this schema (created if missing); default: the server's search_path. */
  schema?: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Extra migration folders (tests); the dialect's own folder is always read. */
  migrationDirs?: URL[];
  /** A streaming replica of `url`'s cluster for reads (`--db-read`); same schema and pool size. */
  readUrl?: string;
}

const here = new URL('./', import.meta.url);

/**
 * WAL positions for read-your-writes: the primary's insert position (past
 * every committed write, even with synchronous_commit off) and whether the
 * standby's replay has reached a position.
 */
function replicaPositions(primary: pg.Pool, replica: pg.Pool): ReadReplica {
  return {
    async writePosition() {
      return String((await primary.query('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0].lsn);
    },
    async hasReplayed(position) {
      const r = await replica.query({
        text: 'SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS done',
        values: [position],
      });
      return r.rows[0]?.done === true;
    },
  };
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** A pool on `href`; `named` is false behind a pooler in transaction mode (`?pooler=transaction`). */
function openPool(flag: string, href: string, opts: PostgresStoreOptions): ReplicaPool {
  const url = new URL(href);
  const pooler = url.searchParams.get('pooler');
  if (pooler !== null && pooler !== 'transaction')
    throw new Error(
      `${flag}: pooler=${pooler} is not known (pooler=transaction: a pooler in transaction mode)`,
    );
  url.searchParams.delete('pooler');
  const pool = new pg.Pool({
    connectionString: url.href,
    max: opts.poolSize ?? 10,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  // An idle connection that the server drops (restart, failover) must not crash the process;
  // the pool discards it and the next query opens a new one.
  pool.on('error', () => {});
  return { pool, named: pooler === null };
}

/** What identifies a cluster (a physical standby shares its primary's) and whether it is a standby. */
const CLUSTER_SQL = `SELECT (SELECT system_identifier FROM pg_control_system())::text AS system,
  pg_is_in_recovery() AS standby`;

/** A refused `--db-read`, named as configuration errors are (the command line prints it as one line). */
const refused = (message: string) =>
  Object.assign(new Error(`--db-read: ${message}`), { name: 'ConfigError', key: 'dbRead' });

/** Refuses a `--db-read` that is not a hot standby of the `--db` cluster. */
async function checkReplica(primary: pg.Pool, replica: pg.Pool, readUrl: string): Promise<void> {
  const where = new URL(readUrl).host;
  const p = (await primary.query(CLUSTER_SQL)).rows[0];
  let r: { system: string; standby: boolean } | undefined;
  try {
    r = (await replica.query(CLUSTER_SQL)).rows[0];
  } catch (err) {
    throw refused(`cannot reach the replica at ${where}: ${(err as Error).message}`);
  }
  if (!r?.standby)
    throw refused(
      `${where} is not a standby (pg_is_in_recovery() is false); give a streaming replica of --db, or leave --db-read out`,
    );
  if (r.system !== p?.system)
    throw refused(
      `${where} is a standby of another cluster (system identifier ${r.system}, --db has ${p?.system})`,
    );
}

export async function openPostgresStore(opts: PostgresStoreOptions): Promise<Store> {
  if (opts.schema !== undefined && !SCHEMA_NAME.test(opts.schema))
    throw new Error(`schema "${opts.schema}" must be lower-case letters, digits and _ (at most 63)`);
  const { pool, named } = openPool('--db', opts.url, opts);
  let reader: ReplicaPool | undefined;
  try {
    if (opts.readUrl) {
      reader = openPool('--db-read', opts.readUrl, opts);
      await checkReplica(pool, reader.pool, opts.readUrl);
    }
    if (opts.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`);
  } catch (err) {
    await Promise.all([pool.end(), reader?.pool.end()]);
    throw err;
  }
  const replica = reader && replicaPositions(pool, reader.pool);
  const repos = await loadRepositories<PgRepository>(here, 'postgres');
  const byName = new Map(repos.map((r) => [r.name, r]));
  let migrated = false;
  let closed = false;

  /** A store whose repositories run on `db`; built lazily, per repository. */
  const bind = (db: PgDb, extra: object): Store => {
    const out = lazyRepositories(
      repos.map((r) => r.name),
      () => migrated,
      (name) => byName.get(name)!.create(db),
    );
    return Object.assign(out, { dialect: 'postgres' }, extra) as unknown as Store;
  };

  const txStore = (client: pg.PoolClient, pending: BeforeCommitQueue): Store => {
    const savepoints = { n: 0 };
    const db = new PgDb(client, pool, true, savepoints, named);
    const tx: Store = bind(db, {
      transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
        const mark = pending.mark();
        return inSavepoint(
          (sql) => client.query(sql),
          `sp${++savepoints.n}`,
          () => fn(tx),
          () => pending.rollBackTo(mark),
        );
      },
      beforeCommit: (fn: Parameters<Store['beforeCommit']>[0]) => pending.add(fn),
      migrate: () => Promise.reject(new Error('migrate() inside a transaction')),
      close: () => Promise.reject(new Error('close() inside a transaction')),
    });
    return tx;
  };

  return bind(new PgDb(pool, pool, false, { n: 0 }, named, reader), {
    ...(replica ? { replica } : {}),
    beforeCommit: outsideTransaction,
    transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
      if (closed) return Promise.reject(new Error('store is closed'));
      return inTransaction(pool, async (client) => {
        const pending = new BeforeCommitQueue();
        const result = await fn(txStore(client, pending));
        await pending.run();
        return result;
      });
    },
    async migrate() {
      const all = loadMigrations(new URL('./migrations/', here), ...(opts.migrationDirs ?? []));
      const done = await migrate(pool, all);
      migrated = true;
      // Today's and the coming days' report partitions exist before the first upload. A connection
      // cut during this pass (seen through PgBouncer while a second server started beside this one)
      // fails only that pass, on a connection the pool then discards: try again on a fresh one.
      for (let attempt = 1; ; attempt++) {
        try {
          await prepareReportPartitions(
            new PgDb(pool, pool, false, { n: 0 }, named),
            new Date().toISOString(),
          );
          break;
        } catch (err) {
          if (attempt >= PARTITION_ATTEMPTS) throw err;
          await new Promise((r) => setTimeout(r, 250 * attempt));
        }
      }
      return done;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([pool.end(), reader?.pool.end()]);
    },
  });
}
