/**
 * @module store
 * Opens the configured store. Callers depend on `Store` (contract.ts) only.
 */
import type { Store } from './contract.ts';
import { openSqliteStore } from './sqlite/index.ts';

export type * from './contract.ts';

export interface StoreConfig {
  /** `sqlite:<file>` / a plain file path (SQLite), or `postgres://…` (not yet available). */
  url: string;
}

export async function openStore(config: StoreConfig): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(config.url))
    throw new Error('PostgreSQL is not available yet (issue #6); use a SQLite file');
  const file = config.url.startsWith('sqlite:') ? config.url.slice('sqlite:'.length) : config.url;
  const store = await openSqliteStore({ file });
  await store.migrate();
  return store;
}
