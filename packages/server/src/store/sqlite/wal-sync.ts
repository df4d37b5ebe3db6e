/**
 * @module store/sqlite/wal-sync
 * Durable commits without blocking the event loop. With
 * `synchronous=FULL`, SQLite fsyncs the WAL inside COMMIT, on the main
 * thread: every batch stalls all other requests for the disk's flush time.
 * Instead the connection runs `synchronous=NORMAL` (COMMIT only writes the
 * WAL frames) and the store then flushes the WAL file with `fdatasync` on
 * libuv's thread pool before it reports the transaction committed. A commit
 * is acknowledged only after a flush that started after it, so the guarantee
 * is the same as FULL (https://www.sqlite.org/wal.html#durability); while the
 * flush runs, the next requests are parsed and the next batch is written.
 * Concurrent callers share flushes: at most one runs, plus one queued.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { dirname } from 'node:path';

export class WalSync {
  readonly #walPath: string;
  #handle: Promise<FileHandle> | undefined;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;

  constructor(dbFile: string) {
    this.#walPath = `${dbFile}-wal`;
  }

  /** Resolves once everything committed before this call is on disk. */
  sync(): Promise<void> {
    if (!this.#running) {
      this.#running = this.#flush().finally(() => {
        this.#running = undefined;
      });
      return this.#running;
    }
    // The running flush may have started before our commit: one more after it, shared.
    this.#queued ??= this.#running.then(
      () => this.#next(),
      () => this.#next(),
    );
    return this.#queued;
  }

  #next(): Promise<void> {
    this.#queued = undefined;
    return this.sync();
  }

  async #flush(): Promise<void> {
    this.#handle ??= this.#openWal();
    await (await this.#handle).datasync();
  }

  async #openWal(): Promise<FileHandle> {
    const handle = await open(this.#walPath, 'r');
    // The WAL's directory entry must be durable too (once, when first opened).
    const dir = await open(dirname(this.#walPath), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    return handle;
  }

  async close(): Promise<void> {
    const h = this.#handle;
    this.#handle = undefined;
    if (h) await (await h).close();
  }
}
