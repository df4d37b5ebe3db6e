/**
 * @module store/sqlite/db
 * The SQLite connection as repositories see it: a prepared-statement cache
 * and small row helpers. Repositories are synchronous here; the store wraps
 * them into the promise-returning contract (see sqlite/index.ts).
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';

export type Params = Record<string, SQLInputValue>;
export type Row = Record<string, SQLInputValue>;

export class SqliteDb {
  readonly raw: DatabaseSync;
  readonly #cache = new Map<string, StatementSync>();

  constructor(raw: DatabaseSync) {
    this.raw = raw;
  }

  /** Prepares once per SQL text; statements are reused for the life of the connection. */
  stmt(sql: string): StatementSync {
    let s = this.#cache.get(sql);
    if (!s) {
      s = this.raw.prepare(sql);
      this.#cache.set(sql, s);
    }
    return s;
  }

  run(sql: string, params: Params = {}): { changes: number } {
    const r = this.stmt(sql).run(params);
    return { changes: Number(r.changes) };
  }

  get(sql: string, params: Params = {}): Row | undefined {
    return this.stmt(sql).get(params) as Row | undefined;
  }

  all(sql: string, params: Params = {}): Row[] {
    return this.stmt(sql).all(params) as Row[];
  }
}

export { num, numOrNull, str, strOrNull } from '../row-decoders.ts';

/**
 * Keyset cursor for "newest first" lists ordered by (time, id): opaque to
 * clients, base64url of `time|id`.
 */
export function encodeCursor(at: string, id: string): string {
  return Buffer.from(`${at}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { at: string; id: string } | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  if (bar <= 0) return undefined;
  return { at: text.slice(0, bar), id: text.slice(bar + 1) };
}
