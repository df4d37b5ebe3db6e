/**
 * @module store/sqlite/gate
 * One SQLite connection serves the whole process. While a transaction is
 * open on it (possibly across `await`s), a statement issued by some other
 * request would silently join that transaction. The gate prevents that:
 * outside a transaction a call runs at once; during one it waits its turn.
 */
export class Gate {
  #held = false;
  #tail: Promise<void> = Promise.resolve();

  /** Runs a synchronous statement now, or after the open transaction. */
  run<T>(fn: () => T): Promise<T> {
    if (!this.#held) {
      try {
        return Promise.resolve(fn());
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.#tail.then(() => this.run(fn));
  }

  /** Holds the connection for the duration of `fn` (one transaction). */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    while (this.#held) await this.#tail;
    this.#held = true;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      return await fn();
    } finally {
      this.#held = false;
      release();
    }
  }
}
