/**
 * @module store/sqlite/repository
 * A repository of the SQLite dialect: the Store key it fills and a factory
 * that builds the synchronous implementation over the connection (the
 * plumbing is shared: store/shared/repository.ts).
 */
import type { Store } from '../contract.ts';
import type { Repository, RepositoryKey, Sync } from '../shared/repository.ts';
import type { SqliteDb } from './db.ts';

export type { RepositoryKey, Sync };
export type SqliteRepository<K extends RepositoryKey = RepositoryKey> = Repository<SqliteDb, K>;

/** Identity helper that checks a repository against its contract. */
export function defineRepository<K extends RepositoryKey>(
  name: K,
  create: (db: SqliteDb) => Sync<Store[K]>,
): SqliteRepository<K> {
  return { name, create };
}
