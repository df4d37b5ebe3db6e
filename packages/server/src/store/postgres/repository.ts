/**
 * @module store/postgres/repository
 * A repository of the PostgreSQL dialect: the Store key it fills and a
 * factory over a `PgDb` (the pool, or the client of the current transaction).
 * The plumbing is shared with SQLite (store/shared/repository.ts).
 */
import type { Store } from '../contract.ts';
import type { Repository, RepositoryKey } from '../shared/repository.ts';
import type { PgDb } from './db.ts';

export type { RepositoryKey };
export type PgRepository<K extends RepositoryKey = RepositoryKey> = Repository<PgDb, K>;

/** Identity helper that checks a repository against its contract. */
export function defineRepository<K extends RepositoryKey>(
  name: K,
  create: (db: PgDb) => Store[K],
): PgRepository<K> {
  return { name, create };
}
