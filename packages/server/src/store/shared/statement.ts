/**
 * @module store/shared/statement
 * A portable statement: SQL text written once with `$name` parameters, the
 * parameter object a repository method's arguments become, and what the
 * result becomes. Each dialect binds a set of them into repository methods
 * (`SqliteDb#bind`: synchronous; `PgDb#bind`: promises), numbering the
 * parameters once per text when it prepares it. What differs between the
 * dialects (upserts with `max()` / `greatest()`, locks, `FOR UPDATE`,
 * `SKIP LOCKED`, booleans) stays in the dialect's repository file.
 */
import type { Row } from '../row-decoders.ts';

export type { Row };
/** `$name` → value; a name left out binds NULL. */
export type Params = Record<string, unknown>;

/** What a statement returns before `result` shapes it. */
type Raw = { run: { changes: number }; get: Row | undefined; all: Row[] };

export interface Statement<A extends unknown[], R, M extends keyof Raw = keyof Raw> {
  readonly sql: string;
  /** Which driver call runs it. */
  readonly mode: M;
  /** The arguments as `$name` values (a row object may be passed as it is: only named columns are read). */
  readonly params: (...args: A) => object;
  readonly result: (raw: Raw[M]) => R;
}

/** Any statement, whatever its arguments and result. */
export interface AnyStatement {
  readonly sql: string;
  readonly mode: keyof Raw;
  readonly params: (...args: never[]) => object;
  // biome-ignore lint/suspicious/noExplicitAny: each mode's raw result differs; `bind` pairs them
  readonly result: (raw: any) => unknown;
}

/** A statement's arguments and result, as its bound method sees them. */
type Signature<S> = S extends { params: (...args: infer A) => object; result: (raw: never) => infer R }
  ? [A, R]
  : never;

/** A set of statements, keyed by the repository method each becomes. */
export type Statements = Record<string, AnyStatement>;

/** The methods a set binds to on a synchronous connection. */
export type SyncMethods<S extends Statements> = {
  [K in keyof S]: (...args: Signature<S[K]>[0]) => Signature<S[K]>[1];
};

/** The methods a set binds to on an asynchronous connection. */
export type AsyncMethods<S extends Statements> = {
  [K in keyof S]: (...args: Signature<S[K]>[0]) => Promise<Signature<S[K]>[1]>;
};

const none = () => undefined;

/** A write whose result is not needed. */
export function exec<A extends unknown[]>(
  sql: string,
  params: (...args: A) => object,
): Statement<A, void, 'run'> {
  return { sql, mode: 'run', params, result: none };
}

/** A write that answers whether it changed a row. */
export function changed<A extends unknown[]>(
  sql: string,
  params: (...args: A) => object,
): Statement<A, boolean, 'run'> {
  return { sql, mode: 'run', params, result: (r) => r.changes > 0 };
}

/** A write that answers how many rows it changed. */
export function changes<A extends unknown[]>(
  sql: string,
  params: (...args: A) => object,
): Statement<A, number, 'run'> {
  return { sql, mode: 'run', params, result: (r) => r.changes };
}

/** A read of at most one row, decoded; undefined when there is none. */
export function one<A extends unknown[], T>(
  sql: string,
  params: (...args: A) => object,
  decode: (row: Row) => T,
): Statement<A, T | undefined, 'get'> {
  return { sql, mode: 'get', params, result: (r) => (r === undefined ? undefined : decode(r)) };
}

/** A read of the first row, whatever it holds (e.g. an aggregate: `count(*) AS n`). */
export function first<A extends unknown[], T>(
  sql: string,
  params: (...args: A) => object,
  result: (row: Row | undefined) => T,
): Statement<A, T, 'get'> {
  return { sql, mode: 'get', params, result };
}

/** A read of every row, each decoded. */
export function many<A extends unknown[], T>(
  sql: string,
  params: (...args: A) => object,
  decode: (row: Row) => T,
): Statement<A, T[], 'all'> {
  return { sql, mode: 'all', params, result: (rows) => rows.map(decode) };
}

/** For a statement without parameters. */
export const noParams = (): object => ({});

/** A read of every row, shaped as a whole (e.g. counts gathered into a record). */
export function rows<A extends unknown[], T>(
  sql: string,
  params: (...args: A) => object,
  result: (rows: Row[]) => T,
): Statement<A, T, 'all'> {
  return { sql, mode: 'all', params, result };
}

/** The three driver calls, as both dialects' connections offer them (sync or async). */
export interface StatementRunner {
  run(sql: string, params: Params): unknown;
  get(sql: string, params: Params): unknown;
  all(sql: string, params: Params): unknown;
}

/**
 * The methods of `set` on `db`: each builds its parameters, runs its SQL in
 * its mode, and hands the raw result to `finish` with the statement's
 * `result` (SQLite applies it at once, PostgreSQL once the promise settles).
 */
export function bindStatements(
  db: StatementRunner,
  set: Statements,
  finish: (raw: unknown, result: (raw: never) => unknown) => unknown,
): Record<string, (...args: unknown[]) => unknown> {
  const out: Record<string, (...args: unknown[]) => unknown> = {};
  for (const [key, st] of Object.entries(set)) {
    const { sql, mode, result } = st;
    const params = st.params as (...args: unknown[]) => Params;
    out[key] = (...args) => finish(db[mode](sql, params(...args)), result);
  }
  return out;
}
