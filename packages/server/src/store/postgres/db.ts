/**
 * @module store/postgres/db
 * A PostgreSQL connection as repositories see it: either the pool (each
 * statement on its own, autocommit) or the one client that holds the current
 * transaction. Repositories write `$name` parameters and pass objects, as on
 * SQLite; each SQL text is numbered (`$1`…) once and run as a named prepared
 * statement, so each connection also parses and plans it once — except
 * behind a pooler in transaction mode that does not track prepared
 * statements (PgBouncer before 1.21; `?pooler=transaction` on the URL, see
 * index.ts), where consecutive statements may reach different server
 * connections: there every statement is sent unnamed (parsed each time).
 *
 * Read replica (`--db-read`): a `PgDb` on the pool may also hold the
 * replica's pool; its `all`/`get` go there when the request allows it
 * (store/read-routing.ts), `run`, `exec` and transactions never do. A read
 * the replica fails (unreachable, or cancelled by a conflict with recovery:
 * https://www.postgresql.org/docs/15/hot-standby.html#HOT-STANDBY-CONFLICT)
 * is asked again of the primary, so a replica's trouble costs time, not an
 * answer.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { mayReadFromReplica } from '../read-routing.ts';
import type { Row } from '../row-decoders.ts';
import { dollar, numberParameters, positional } from '../shared/parameters.ts';
import { inSavepoint } from '../shared/savepoint.ts';
import { type AsyncMethods, bindStatements, type Params, type Statements } from '../shared/statement.ts';

export type { Params, Row };

/** What both a pool and a checked-out client can do. */
export interface Queryable {
  query<R extends pg.QueryResultRow = Row>(config: pg.QueryConfig): Promise<pg.QueryResult<R>>;
}

/** A SQL text as sent: its statement name, numbered text and the names its positions stand for. */
interface Prepared {
  name: string;
  text: string;
  names: string[];
  /** A plain query that a read-only standby can answer (see `readOnly`). */
  readOnly: boolean;
}

/**
 * Whether a statement only reads: a SELECT (or WITH) with no data-changing
 * clause, row lock or function of ours that writes (`report_insert`,
 * migration 003). Anything else goes to the primary even when `get`/`all`
 * runs it (`INSERT … RETURNING`, claims `FOR UPDATE`).
 */
const READ_ONLY = /^\s*(select|with)\b/i;
const WRITES =
  /\b(insert|update|delete|merge|for\s+(no\s+key\s+)?update|for\s+(key\s+)?share|report_insert|pg_advisory\w*)\b/i;
const readOnly = (text: string) => READ_ONLY.test(text) && !WRITES.test(text);

const observers = new Set<(sql: string) => void>();
/**
 * Calls `fn` with every SQL text a `PgDb` sends from now on, as written
 * (`$name` parameters), until the returned function is called; `undefined`
 * stops every observer. For the test that parses every statement of the
 * dialect (test/store/postgres-statements.test.ts) and tests that count
 * statements.
 */
export function observeStatements(fn: ((sql: string) => void) | undefined): () => void {
  if (!fn) {
    observers.clear();
    return () => {};
  }
  observers.add(fn);
  return () => observers.delete(fn);
}

const prepared = new Map<string, Prepared>();
/** Numbers and names a SQL text once (the same text is prepared once per connection). */
function prepare(sql: string): Prepared {
  let p = prepared.get(sql);
  if (!p) {
    const { text, names } = numberParameters(sql, dollar);
    p = {
      name: `ni_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`,
      text,
      names,
      readOnly: readOnly(text),
    };
    prepared.set(sql, p);
  }
  return p;
}

/** A read replica's pool, and whether statements are named there (see `named`). */
export interface ReplicaPool {
  pool: pg.Pool;
  named: boolean;
}

export class PgDb {
  readonly #conn: Queryable;
  readonly #replica: ReplicaPool | undefined;
  readonly #pool: pg.Pool;
  readonly #savepoints: { n: number };
  readonly #named: boolean;
  /** True when bound to a transaction's client (not the pool). */
  readonly inTransaction: boolean;

  /**
   * `named` false: send every statement unnamed (behind a transaction-mode pooler).
   * `replica`: only for the pool's `PgDb`, never a transaction's.
   */
  constructor(
    conn: Queryable,
    pool: pg.Pool,
    inTransaction: boolean,
    savepoints = { n: 0 },
    named = true,
    replica?: ReplicaPool,
  ) {
    this.#conn = conn;
    this.#replica = inTransaction ? undefined : replica;
    this.#pool = pool;
    this.inTransaction = inTransaction;
    this.#savepoints = savepoints;
    this.#named = named;
  }

  /** `read`: the statement only reads, so it may go to the replica. */
  #query(sql: string, params: Params, read = false): Promise<pg.QueryResult<Row>> {
    for (const o of observers) o(sql);
    const { name, text, names, readOnly } = prepare(sql);
    const values = positional(names, params);
    const primary = () => this.#conn.query<Row>(this.#named ? { name, text, values } : { text, values });
    const replica = this.#replica;
    if (!read || !readOnly || !replica || !mayReadFromReplica()) return primary();
    return replica.pool.query<Row>(replica.named ? { name, text, values } : { text, values }).catch(primary);
  }

  async all(sql: string, params: Params = {}): Promise<Row[]> {
    return (await this.#query(sql, params, true)).rows;
  }

  async get(sql: string, params: Params = {}): Promise<Row | undefined> {
    return (await this.#query(sql, params, true)).rows[0];
  }

  async run(sql: string, params: Params = {}): Promise<{ changes: number }> {
    return { changes: (await this.#query(sql, params)).rowCount ?? 0 };
  }

  /** Runs SQL that takes no parameters and may hold several statements (migrations, savepoints). */
  async exec(text: string): Promise<void> {
    for (const o of observers) o(text);
    await this.#conn.query({ text });
  }

  /** The portable statements of `set` as methods on this connection. */
  bind<S extends Statements>(set: S): AsyncMethods<S> {
    return bindStatements(this, set, async (raw, result) => result((await raw) as never)) as AsyncMethods<S>;
  }

  /**
   * Runs `fn` atomically: in a savepoint of the current transaction, or in a
   * transaction of its own on a client checked out for it.
   */
  atomically<T>(fn: (db: PgDb) => Promise<T>): Promise<T> {
    if (this.inTransaction)
      return inSavepoint(
        (sql) => this.exec(sql),
        `ni_sp${++this.#savepoints.n}`,
        () => fn(this),
      );
    return inTransaction(this.#pool, (client) =>
      fn(new PgDb(client, this.#pool, true, { n: 0 }, this.#named)),
    );
  }

  /** Holds the advisory lock named by `parts` until the current transaction ends. */
  async lockUntilCommit(...parts: string[]): Promise<void> {
    await this.run(`SELECT pg_advisory_xact_lock(${LOCK_KEY_SQL})`, { lockKey: parts.join('\n') });
  }
}

/**
 * Checks out a client for `fn` and returns it to the pool afterwards. The
 * server may cut a checked-out connection (restart, idle-in-transaction
 * timeout, an administrator): the pending query rejects, and without a
 * listener the client's 'error' event would crash the process. A client that
 * saw such an error, or that `fn` marks broken, is destroyed rather than
 * reused.
 */
export async function withClient<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient, markBroken: (err: Error) => void) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const markBroken = (err: Error) => {
    broken = err;
  };
  client.on('error', markBroken);
  try {
    return await fn(client, markBroken);
  } finally {
    client.off('error', markBroken);
    client.release(broken);
  }
}

/**
 * Checks out a client, runs `fn` between BEGIN and COMMIT, and returns the
 * client to the pool; on any failure rolls back. A client whose ROLLBACK
 * fails is destroyed rather than reused.
 */
export function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, async (client, markBroken) => {
    await client.query('BEGIN');
    try {
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: unknown) => markBroken(e as Error));
      throw err;
    }
  });
}

/**
 * Key for PostgreSQL advisory locks (a bigint), from the `$lockKey` text
 * joined with the schema name: locks are per database, stores are per
 * schema, so two stores in one database never block each other.
 */
export const LOCK_KEY_SQL = `hashtextextended(current_schema() || chr(10) || $lockKey, 0)`;

// Numbers arrive as strings for bigint counts; `num` converts either.
export { num, numOrNull, str, strOrNull } from '../row-decoders.ts';
