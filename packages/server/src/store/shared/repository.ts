/**
 * @module store/shared/repository
 * How repositories plug into a dialect. Each `*-repo.ts` file of a dialect
 * folder exports `repository`: the Store key it fills and a factory over the
 * dialect's connection. The store finds these files by listing its folder, so
 * adding a repository needs no edit to a shared file, and a test checks that
 * both folders fill the same keys. Repositories are built lazily, after
 * migration (their statements need the tables).
 */
import { readdirSync } from 'node:fs';
import type { Store } from '../contract.ts';

/** The Store members that are repositories. */
export type RepositoryKey = Exclude<
  keyof Store,
  'dialect' | 'replica' | 'transaction' | 'beforeCommit' | 'migrate' | 'close'
>;

/** The synchronous twin of a promise-returning repository interface (the SQLite implementations). */
export type Sync<R> = {
  [K in keyof R]: R[K] extends (...args: infer A) => Promise<infer T> ? (...args: A) => T : never;
};

/** A repository of one dialect: the key it fills and how to build it over connection `Db`. */
export interface Repository<Db, K extends RepositoryKey = RepositoryKey> {
  name: K;
  create(db: Db): object;
}

/** Imports every `*-repo.ts` in `dir` (a dialect folder) and returns their `repository` exports. */
export async function loadRepositories<R>(dir: URL, label: string): Promise<R[]> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('-repo.ts'))
    .sort();
  return Promise.all(
    files.map(async (f) => {
      const mod = (await import(new URL(f, dir).href)) as { repository?: R };
      if (!mod.repository) throw new Error(`store/${label}/${f} does not export "repository"`);
      return mod.repository;
    }),
  );
}

/**
 * An object with one getter per repository name; the first read of each
 * builds it with `build` (and throws while `ready()` is false: the store is
 * used before `migrate()`), later reads return the same instance.
 */
export function lazyRepositories(
  names: readonly RepositoryKey[],
  ready: () => boolean,
  build: (name: RepositoryKey) => object,
): Record<string, object> {
  const out: Record<string, object> = {};
  for (const name of names) {
    let impl: object | undefined;
    Object.defineProperty(out, name, {
      enumerable: true,
      get: () => {
        if (!ready()) throw new Error('store used before migrate()');
        impl ??= build(name);
        return impl;
      },
    });
  }
  return out;
}
