/**
 * @module store/shared/migrations
 * Versioned migrations, the same rules in every dialect: each dialect's
 * `migrations/NNN-name.sql` (plus extra folders tests pass), applied in
 * number order, each in its own transaction, and recorded in
 * `schema_migrations (version, name, applied_at)`. A recorded version is
 * never applied again, and one recorded under another name is an error:
 * migrations are never edited or renamed once shipped. A missing lower number
 * is still applied (parts of the server own number ranges, see
 * store/README.md). The file text is not recorded, so only the version and
 * the name tie a database to its history.
 */
import { readdirSync, readFileSync } from 'node:fs';

const FILE = /^(\d{3})-([a-z0-9-]+)\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations of `dirs`, in number order; a bad file name or a number used twice throws. */
export function loadMigrations(...dirs: URL[]): Migration[] {
  const seen = new Map<number, string>();
  const out: Migration[] = [];
  for (const dir of dirs) {
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith('.sql')) continue;
      const m = FILE.exec(file);
      if (!m) throw new Error(`migration file name "${file}" must look like 001-some-name.sql`);
      const version = Number(m[1]);
      const other = seen.get(version);
      if (other) throw new Error(`two migrations share number ${m[1]}: ${other} and ${file}`);
      seen.set(version, file);
      out.push({ version, name: m[2]!, sql: readFileSync(new URL(file, dir), 'utf8') });
    }
  }
  return out.sort((a, b) => a.version - b.version);
}

/** Creates the table that records applied migrations (the same in both dialects). */
export const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)`;

/**
 * What of `migrations` the database has not recorded yet, given its
 * `schema_migrations` rows; throws when a recorded version's name differs.
 * Each dialect applies the result in order, each in its own transaction
 * (SQLite synchronously, so that no other statement of the process comes
 * between reading the record and applying).
 */
export function pendingMigrations(
  recorded: Iterable<Record<string, unknown>>,
  migrations: readonly Migration[],
): Migration[] {
  const applied = new Map<number, string>();
  for (const r of recorded) applied.set(Number(r.version), String(r.name));
  return migrations.filter((m) => {
    const had = applied.get(m.version);
    if (had === undefined) return true;
    if (had !== m.name)
      throw new Error(`migration ${m.version} was applied as "${had}" but the file is now "${m.name}"`);
    return false;
  });
}

/** The error a migration that failed to apply becomes. */
export function migrationFailed(m: Migration, err: unknown): Error {
  return new Error(`migration ${m.version}-${m.name} failed: ${(err as Error).message}`);
}
