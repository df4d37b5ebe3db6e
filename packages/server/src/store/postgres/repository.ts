/**
 * @module store/postgres/repository
 * How a repository plugs into the PostgreSQL dialect: each `*-repo.ts` file
 * in this folder exports `repository`, the Store key it fills and a factory
 * over a `PgDb` (the pool, or the client of the current transaction). The
 * store finds these files by listing the folder, like the SQLite dialect, and
 * a test checks that both folders fill the same keys.
 */
import type { Store } from '../contract.ts';
import type { RepositoryKey } from '../sqlite/repository.ts';
import type { PgDb } from './db.ts';

export type { RepositoryKey };

export interface PgRepository<K extends RepositoryKey = RepositoryKey> {
  name: K;
  create(db: PgDb): Store[K];
}

/** Identity helper that checks a repository against its contract. */
export function defineRepository<K extends RepositoryKey>(
  name: K,
  create: (db: PgDb) => Store[K],
): PgRepository<K> {
  return { name, create };
}
