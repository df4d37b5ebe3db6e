/**
 * @module store/open-store
 * Opens the store a URL names and brings its schema up to date:
 * `postgres://…` / `postgresql://…` → PostgreSQL (store/postgres),
 * `sqlite:<file>` or a plain file path → SQLite (store/sqlite).
 * `netinsights serve --db <url>` ends here (through store/index.ts).
 */
import type { Store } from './contract.ts';
import { openPostgresStore } from './postgres/index.ts';
import { openSqliteStore } from './sqlite/index.ts';

export interface StoreConfig {
  /** `postgres://…` (PostgreSQL), or `sqlite:<file>` / a plain file path (SQLite). */
  url: string;
  /** PostgreSQL only: pool size (default 10). */
  poolSize?: number;
  /** PostgreSQL only: a streaming replica of `url` that serves dashboard and API reads (`--db-read`). */
  readUrl?: string;
}

const POSTGRES = /^postgres(ql)?:\/\//i;

/** Which dialect a `--db` value selects. */
export function dialectOf(url: string): 'postgres' | 'sqlite' {
  return POSTGRES.test(url) ? 'postgres' : 'sqlite';
}

export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.readUrl !== undefined && dialectOf(config.url) !== 'postgres')
    throw new Error('--db-read needs a PostgreSQL --db (postgres://…): SQLite has no replicas');
  const store =
    dialectOf(config.url) === 'postgres'
      ? await openPostgresStore({
          url: config.url,
          ...(config.poolSize !== undefined ? { poolSize: config.poolSize } : {}),
          ...(config.readUrl !== undefined ? { readUrl: config.readUrl } : {}),
        })
      : await openSqliteStore({
          file: config.url.startsWith('sqlite:') ? config.url.slice('sqlite:'.length) : config.url,
        });
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
  return store;
}
