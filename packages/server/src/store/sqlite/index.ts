/**
 * @module store/sqlite
 * The embedded default store: one SQLite file through Node's built-in
 * `node:sqlite`, so `netinsights serve` needs nothing else installed.
 *
 * Durability: WAL journal. In WAL mode `synchronous=NORMAL` survives a process
 * crash (SIGKILL) but may lose the last commits on power loss or an OS crash
 * (https://www.sqlite.org/pragma.html#pragma_synchronous). So `transaction()`
 * resolves only after the WAL file has been flushed with fdatasync — the
 * guarantee of FULL — but that flush runs on libuv's thread pool instead of
 * inside COMMIT on the event loop (wal-sync.ts). Its cost is shared by every
 * report of an ingest batch (group commit). `:memory:` stores skip it.
 */
import { DatabaseSync } from 'node:sqlite';
import { BeforeCommitQueue, outsideTransaction } from '../before-commit.ts';
import type { Store } from '../contract.ts';
import { loadMigrations } from '../shared/migrations.ts';
import { lazyRepositories, loadRepositories, type RepositoryKey } from '../shared/repository.ts';
import { inSavepoint } from '../shared/savepoint.ts';
import { startCheckpointer } from './checkpointer.ts';
import { SqliteDb } from './db.ts';
import { Gate } from './gate.ts';
import { migrate } from './migrate.ts';
import type { SqliteRepository } from './repository.ts';
import { WalSync } from './wal-sync.ts';

export interface SqliteStoreOptions {
  /** Database file, or `:memory:` for tests. */
  file: string;
  /** How long a writer waits for another process's lock, in ms (default 5000). */
  busyTimeoutMs?: number;
  /** Extra migration folders (tests); the dialect's own folder is always read. */
  migrationDirs?: URL[];
}

const here = new URL('./', import.meta.url);

type AnyFn = (...args: unknown[]) => unknown;

/** Wraps a synchronous repository so each call goes through `run` and returns a promise. */
function wrap(repo: object, run: <T>(fn: () => T) => Promise<T>): object {
  const out: Record<string, AnyFn> = {};
  for (const [key, value] of Object.entries(repo)) {
    if (typeof value === 'function') out[key] = (...args: unknown[]) => run(() => (value as AnyFn)(...args));
  }
  return out;
}

export async function openSqliteStore(opts: SqliteStoreOptions): Promise<Store> {
  const raw = new DatabaseSync(opts.file);
  // Only takes effect on a new, empty file (https://www.sqlite.org/pragma.html#pragma_page_size).
  // 4 KiB (SQLite's default): a compressed report row is ~1.7 KB (report-body.ts), and every
  // commit also rewrites one leaf page of each index it touched, so smaller pages mean fewer
  // bytes through the WAL and the checkpoint. (Files made with 16 KiB pages before keep them.)
  raw.exec('PRAGMA page_size = 4096');
  raw.exec('PRAGMA journal_mode = WAL');
  const file = opts.file === ':memory:' || opts.file === '' ? undefined : opts.file;
  // NORMAL + an explicit fdatasync before a commit is reported (see the module comment).
  raw.exec(`PRAGMA synchronous = ${file ? 'NORMAL' : 'FULL'}`);
  const walSync = file ? new WalSync(file) : undefined;
  raw.exec(`PRAGMA busy_timeout = ${Math.trunc(opts.busyTimeoutMs ?? 5000)}`);
  // Checkpoints run in a worker (checkpointer.ts); ~80 MB of WAL is only the backstop
  // (counted in pages, whose size depends on when the file was created).
  const checkpointer = file ? startCheckpointer(file) : undefined;
  if (checkpointer) {
    const pageSize = Number((raw.prepare('PRAGMA page_size').get() as { page_size: number }).page_size);
    raw.exec(`PRAGMA wal_autocheckpoint = ${Math.ceil((80 * 1024 * 1024) / pageSize)}`);
  }
  const db = new SqliteDb(raw);
  const gate = new Gate();
  const repos = await loadRepositories<SqliteRepository>(here, 'sqlite');
  const names = repos.map((r) => r.name);
  let migrated = false;
  let closed = false;
  let savepoints = 0;
  /** The open transaction's before-commit callbacks (one transaction at a time: the gate). */
  let pending: BeforeCommitQueue | undefined;
  /** The synchronous repositories, built once after migration over the one connection. */
  const instances = new Map<RepositoryKey, object>();
  const bind = (run: <T>(fn: () => T) => Promise<T>) =>
    lazyRepositories(
      names,
      () => migrated,
      (name) => wrap(instances.get(name)!, run),
    );

  const direct = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err);
    }
  };

  const txStore = Object.assign(bind(direct), {
    dialect: 'sqlite',
    transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
      const mark = pending?.mark() ?? 0;
      return inSavepoint(
        (sql) => raw.exec(sql),
        `sp${++savepoints}`,
        () => fn(txStore),
        () => pending?.rollBackTo(mark),
      );
    },
    beforeCommit(fn: Parameters<Store['beforeCommit']>[0]) {
      if (!pending) outsideTransaction();
      pending.add(fn);
    },
    migrate: () => Promise.reject(new Error('migrate() inside a transaction')),
    close: () => Promise.reject(new Error('close() inside a transaction')),
  }) as unknown as Store;

  const store = Object.assign(
    bind((fn) => gate.run(fn)),
    {
      dialect: 'sqlite',
      beforeCommit: outsideTransaction,
      async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
        const result = await gate.exclusive(async () => {
          raw.exec('BEGIN IMMEDIATE');
          const queue = new BeforeCommitQueue();
          pending = queue;
          try {
            const r = await fn(txStore);
            await queue.run();
            raw.exec('COMMIT');
            return r;
          } catch (err) {
            if (raw.isTransaction) raw.exec('ROLLBACK');
            throw err;
          } finally {
            pending = undefined;
          }
        });
        // Outside the gate: the next transaction may already run while this one is flushed.
        if (walSync) await walSync.sync();
        return result;
      },
      async migrate() {
        const all = loadMigrations(new URL('./migrations/', here), ...(opts.migrationDirs ?? []));
        const done = await gate.exclusive(async () => migrate(raw, all));
        if (walSync && done.length) await walSync.sync();
        if (!migrated) {
          for (const r of repos) instances.set(r.name, r.create(db));
          migrated = true;
        }
        return done;
      },
      async close() {
        if (closed) return;
        closed = true;
        // The checkpointer's own connection goes first: left running, it could recreate the
        // -wal/-shm files after the caller has moved on (and deleted the directory).
        await checkpointer?.stop();
        await gate.exclusive(async () => {
          if (raw.isOpen) raw.close();
        });
        // A read-only handle kept for fdatasync: nothing is lost if closing it fails.
        await walSync?.close().catch(() => {});
      },
    },
  ) as unknown as Store;

  return store;
}
