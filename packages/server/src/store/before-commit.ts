/**
 * @module store/before-commit
 * The callbacks a transaction runs just before its COMMIT (Store
 * `beforeCommit`), shared by both dialects. Work that many calls in one
 * transaction add to — the insight rollup of an office's hour, touched by
 * every report of an ingest batch — is gathered as the calls come and
 * written once, still inside the transaction, so it commits (or rolls back)
 * together with the rows it summarises.
 *
 * Savepoints: a callback registered inside `tx.transaction()` that rolls
 * back is dropped with it (the queue is cut back to its length at the
 * savepoint), so a rolled-back item leaves nothing behind.
 */

/**
 * A before-commit callback. `scratch` is shared by the callbacks of one
 * commit and dropped after it, so callbacks can gather into one write.
 */
export type BeforeCommitFn = (scratch: Map<unknown, unknown>) => Promise<void> | void;

export class BeforeCommitQueue {
  readonly #queue: BeforeCommitFn[] = [];

  add(fn: BeforeCommitFn): void {
    this.#queue.push(fn);
  }

  /** Where a savepoint starts. */
  mark(): number {
    return this.#queue.length;
  }

  /** The savepoint that started at `mark` rolled back: forget what it registered. */
  rollBackTo(mark: number): void {
    this.#queue.length = Math.min(this.#queue.length, mark);
  }

  /** Runs every callback in order, including those registered while running; a throw stops the commit. */
  async run(): Promise<void> {
    const scratch = new Map<unknown, unknown>();
    for (let i = 0; i < this.#queue.length; i++) await this.#queue[i]!(scratch);
    this.#queue.length = 0;
  }
}

export function outsideTransaction(): never {
  throw new Error('beforeCommit() is only available inside a transaction');
}
