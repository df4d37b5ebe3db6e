/**
 * @module store/sqlite/db
 * The SQLite connection as repositories see it: a prepared-statement cache,
 * the portable statement sets bound as synchronous methods, and the atomic
 * step. Repositories are synchronous here; the store wraps them into the
 * promise-returning contract (see sqlite/index.ts).
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { numberParameters, positional } from '../shared/parameters.ts';
import {
  bindStatements,
  type StatementRunner,
  type Statements,
  type SyncMethods,
} from '../shared/statement.ts';

export type Params = Record<string, SQLInputValue>;
export type Row = Record<string, SQLInputValue>;

/** A statement and the parameter names its positions stand for. */
interface Prepared {
  stmt: StatementSync;
  names: string[];
}

export class SqliteDb {
  readonly raw: DatabaseSync;
  readonly #cache = new Map<string, Prepared>();
  #atomic = 0;

  constructor(raw: DatabaseSync) {
    this.raw = raw;
  }

  /**
   * Prepares once per SQL text; statements are reused for the life of the
   * connection. Repositories write `$name` parameters and pass objects; the
   * statement is prepared with numbered ones and bound by position, which
   * node:sqlite does about three times faster than by name (~1.5 µs against
   * ~4.5 µs for the 11 parameters of a report row).
   */
  #prepare(sql: string): Prepared {
    let p = this.#cache.get(sql);
    if (!p) {
      const { text, names } = numberParameters(sql);
      p = { stmt: this.raw.prepare(text), names };
      this.#cache.set(sql, p);
    }
    return p;
  }

  run(sql: string, params: Params = {}): { changes: number } {
    const { stmt, names } = this.#prepare(sql);
    const r = stmt.run(...positional(names, params));
    return { changes: Number(r.changes) };
  }

  get(sql: string, params: Params = {}): Row | undefined {
    const { stmt, names } = this.#prepare(sql);
    return stmt.get(...positional(names, params)) as Row | undefined;
  }

  all(sql: string, params: Params = {}): Row[] {
    const { stmt, names } = this.#prepare(sql);
    return stmt.all(...positional(names, params)) as Row[];
  }

  /** The portable statements of `set` as synchronous methods on this connection. */
  bind<S extends Statements>(set: S): SyncMethods<S> {
    // The descriptors build values SQLite binds (strings, numbers, null); the cast only widens the type.
    const runner = this as unknown as StatementRunner;
    return bindStatements(runner, set, (raw, result) => result(raw as never)) as SyncMethods<S>;
  }

  /** Runs `fn` atomically: in a savepoint of the caller's transaction, or in an IMMEDIATE one of its own. */
  atomically<T>(fn: () => T): T {
    const raw = this.raw;
    if (raw.isTransaction) {
      const sp = `ni_atomic${++this.#atomic}`;
      raw.exec(`SAVEPOINT ${sp}`);
      try {
        const out = fn();
        raw.exec(`RELEASE SAVEPOINT ${sp}`);
        return out;
      } catch (err) {
        raw.exec(`ROLLBACK TO SAVEPOINT ${sp}`);
        raw.exec(`RELEASE SAVEPOINT ${sp}`);
        throw err;
      }
    }
    // IMMEDIATE takes the write lock before the read, so a read-then-write cannot race another process.
    raw.exec('BEGIN IMMEDIATE');
    try {
      const out = fn();
      raw.exec('COMMIT');
      return out;
    } catch (err) {
      if (raw.isTransaction) raw.exec('ROLLBACK');
      throw err;
    }
  }
}

export { num, numOrNull, str, strOrNull } from '../row-decoders.ts';
export { numberParameters } from '../shared/parameters.ts';
