/**
 * @module store/sqlite/db
 * The SQLite connection as repositories see it: a prepared-statement cache
 * and small row helpers. Repositories are synchronous here; the store wraps
 * them into the promise-returning contract (see sqlite/index.ts).
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';

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
}

/** A parameter the object leaves out is NULL, as an unbound named parameter was. */
function positional(names: string[], params: Params): SQLInputValue[] {
  const values = new Array<SQLInputValue>(names.length);
  for (let i = 0; i < names.length; i++) values[i] = params[names[i]!] ?? null;
  return values;
}

/**
 * Rewrites `$name` parameters as `?N`, numbered by first appearance (a name
 * used twice keeps its number), skipping string literals, quoted identifiers
 * and comments, where a `$` is just text (e.g. a JSON path '$.a').
 */
export function numberParameters(sql: string): { text: string; names: string[] } {
  const names: string[] = [];
  let text = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    let end = i + 1;
    if (c === "'" || c === '"' || c === '`') {
      end = sql.indexOf(c, i + 1);
      // A doubled quote is an escaped one: keep scanning.
      while (end !== -1 && sql[end + 1] === c) end = sql.indexOf(c, end + 2);
      end = end === -1 ? sql.length : end + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      end = sql.indexOf('\n', i);
      if (end === -1) end = sql.length;
    } else if (c === '/' && sql[i + 1] === '*') {
      end = sql.indexOf('*/', i + 2);
      end = end === -1 ? sql.length : end + 2;
    } else if (c === '$') {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))?.[0];
      if (name) {
        let n = names.indexOf(name);
        if (n === -1) n = names.push(name) - 1;
        text += `?${n + 1}`;
        i += 1 + name.length;
        continue;
      }
    }
    text += sql.slice(i, end);
    i = end;
  }
  return { text, names };
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
