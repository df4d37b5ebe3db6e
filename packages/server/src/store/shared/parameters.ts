/**
 * @module store/shared/parameters
 * Statements are written once with `$name` parameters; each dialect numbers
 * them for its driver when it prepares a text (SQLite `?N`, PostgreSQL `$N`)
 * and binds values by position. The rewrite runs once per SQL text — the
 * dialects cache the result — never per call.
 */

/** How a dialect writes the parameter numbered `n` (1-based). */
export type Placeholder = (n: number) => string;

/** SQLite's numbered parameter: `?1`. */
export const questionMark: Placeholder = (n) => `?${n}`;
/** PostgreSQL's numbered parameter: `$1`. */
export const dollar: Placeholder = (n) => `$${n}`;

/**
 * Rewrites `$name` parameters as numbered ones (by first appearance; a name
 * used twice keeps its number), skipping string literals, quoted identifiers
 * and comments, where a `$` is just text (e.g. a JSON path '$.a'). A `$`
 * followed by a digit (already numbered) is left alone.
 */
export function numberParameters(
  sql: string,
  placeholder: Placeholder = questionMark,
): { text: string; names: string[] } {
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
        text += placeholder(n + 1);
        i += 1 + name.length;
        continue;
      }
    }
    text += sql.slice(i, end);
    i = end;
  }
  return { text, names };
}

/** The values of `names` from `params`, by position; a name the object leaves out is NULL. */
export function positional<V>(names: readonly string[], params: Readonly<Record<string, V>>): (V | null)[] {
  const values = new Array<V | null>(names.length);
  for (let i = 0; i < names.length; i++) values[i] = params[names[i]!] ?? null;
  return values;
}
