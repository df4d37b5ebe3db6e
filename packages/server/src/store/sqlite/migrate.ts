/**
 * @module store/sqlite/migrate
 * Versioned migrations: `migrations/NNN-name.sql`, applied in number order,
 * each in its own transaction, and recorded in `schema_migrations`. A missing
 * lower number is still applied (parts of the server own number ranges, see
 * store/README.md). A recorded version whose file name changed is an error:
 * migrations are never edited once shipped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';

const FILE = /^(\d{3})-([a-z0-9-]+)\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(dir: URL): Migration[] {
  const seen = new Map<number, string>();
  const out: Migration[] = [];
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
  return out.sort((a, b) => a.version - b.version);
}

export function migrate(db: DatabaseSync, migrations: Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Map<number, string>();
  for (const r of db.prepare('SELECT version, name FROM schema_migrations').all())
    applied.set(Number(r.version), String(r.name));
  const done: number[] = [];
  for (const m of migrations) {
    const had = applied.get(m.version);
    if (had !== undefined) {
      if (had !== m.name)
        throw new Error(`migration ${m.version} was applied as "${had}" but the file is now "${m.name}"`);
      continue;
    }
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw new Error(`migration ${m.version}-${m.name} failed: ${(err as Error).message}`);
    }
    done.push(m.version);
  }
  return done;
}
