/**
 * @module store/postgres/db
 * A PostgreSQL connection as repositories see it: either the pool (each
 * statement on its own, autocommit) or the one client that holds the current
 * transaction. Statements are named prepared statements, so each connection
 * parses and plans a given SQL text once.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';

export type Row = Record<string, unknown>;

/** What both a pool and a checked-out client can do. */
export interface Queryable {
  query<R extends pg.QueryResultRow = Row>(config: pg.QueryConfig): Promise<pg.QueryResult<R>>;
}

const names = new Map<string, string>();
/** One stable name per SQL text (the same text is prepared once per connection). */
function statementName(text: string): string {
  let n = names.get(text);
  if (!n) {
    n = `ni_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    names.set(text, n);
  }
  return n;
}

export class PgDb {
  readonly #conn: Queryable;
  readonly #pool: pg.Pool;
  readonly #savepoints: { n: number };
  /** True when bound to a transaction's client (not the pool). */
  readonly inTransaction: boolean;

  constructor(conn: Queryable, pool: pg.Pool, inTransaction: boolean, savepoints = { n: 0 }) {
    this.#conn = conn;
    this.#pool = pool;
    this.inTransaction = inTransaction;
    this.#savepoints = savepoints;
  }

  async all(text: string, values: unknown[] = []): Promise<Row[]> {
    return (await this.#conn.query({ name: statementName(text), text, values })).rows;
  }

  async get(text: string, values: unknown[] = []): Promise<Row | undefined> {
    return (await this.all(text, values))[0];
  }

  async run(text: string, values: unknown[] = []): Promise<{ changes: number }> {
    const r = await this.#conn.query({ name: statementName(text), text, values });
    return { changes: r.rowCount ?? 0 };
  }

  /** Runs SQL that takes no parameters and may hold several statements (migrations, savepoints). */
  async exec(text: string): Promise<void> {
    await this.#conn.query({ text });
  }

  /**
   * Runs `fn` atomically: in a savepoint of the current transaction, or in a
   * transaction of its own on a client checked out for it.
   */
  async atomically<T>(fn: (db: PgDb) => Promise<T>): Promise<T> {
    if (this.inTransaction) {
      const sp = `ni_sp${++this.#savepoints.n}`;
      await this.exec(`SAVEPOINT ${sp}`);
      try {
        const out = await fn(this);
        await this.exec(`RELEASE SAVEPOINT ${sp}`);
        return out;
      } catch (err) {
        await this.exec(`ROLLBACK TO SAVEPOINT ${sp}`);
        await this.exec(`RELEASE SAVEPOINT ${sp}`);
        throw err;
      }
    }
    return inTransaction(this.#pool, (client) => fn(new PgDb(client, this.#pool, true)));
  }
}

/**
 * Checks out a client, runs `fn` between BEGIN and COMMIT, and returns the
 * client to the pool; on any failure rolls back. A client whose ROLLBACK
 * fails is destroyed rather than reused.
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // The server may cut a checked-out connection (restart, idle-in-transaction timeout, an
  // administrator): the pending query rejects, and without a listener the client's 'error'
  // event would crash the process. The client is then destroyed, not returned to the pool.
  const onError = (err: Error) => {
    broken = err;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    try {
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: unknown) => {
        broken = e as Error;
      });
      throw err;
    }
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

/**
 * Key for PostgreSQL advisory locks (a bigint), from parts joined with the
 * schema name: locks are per database, stores are per schema, so two stores
 * in one database never block each other.
 */
export const LOCK_KEY_SQL = `hashtextextended(current_schema() || chr(10) || $1, 0)`;

// Numbers arrive as strings for bigint counts; `num` converts either.
export { num, numOrNull, str, strOrNull } from '../row-decoders.ts';
