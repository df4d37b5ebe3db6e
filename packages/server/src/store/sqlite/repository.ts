/**
 * @module store/sqlite/repository
 * How a repository plugs into the SQLite dialect. Each `*-repo.ts` file in
 * this folder exports `repository`: the Store key it fills and a factory
 * that builds the synchronous implementation over the connection. The store
 * finds these files by listing the folder, so adding a repository (insights,
 * outbox, …) needs no edit to a shared file.
 */
import type { Store } from '../contract.ts';
import type { SqliteDb } from './db.ts';

/** The synchronous twin of a promise-returning repository interface. */
export type Sync<R> = {
  [K in keyof R]: R[K] extends (...args: infer A) => Promise<infer T> ? (...args: A) => T : never;
};

export type RepositoryKey = Exclude<
  keyof Store,
  'dialect' | 'transaction' | 'beforeCommit' | 'migrate' | 'close'
>;

export interface SqliteRepository<K extends RepositoryKey = RepositoryKey> {
  name: K;
  create(db: SqliteDb): Sync<Store[K]>;
}

/** Identity helper that checks a repository against its contract. */
export function defineRepository<K extends RepositoryKey>(
  name: K,
  create: (db: SqliteDb) => Sync<Store[K]>,
): SqliteRepository<K> {
  return { name, create };
}
