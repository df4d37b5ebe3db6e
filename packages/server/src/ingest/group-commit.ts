/**
 * @module ingest/group-commit
 * Group commit: uploads that arrive within a few milliseconds share one
 * transaction (one fsync), and each upload is answered only after that
 * transaction has committed — so a 2xx still means "durably stored". When an
 * item fails, the batch is redone with a savepoint per item: the failing
 * item gets its own error, the rest of the batch commits.
 *
 * `maxInFlight` batches may commit at once. SQLite has one writer, so one
 * at a time loses nothing there. On PostgreSQL a commit is a chain of round
 * trips (BEGIN, the reports, the rollup, the location, COMMIT and its WAL
 * flush) during which the collector would otherwise sit idle: a second
 * batch is gathered and sent meanwhile. Batches that touch the same rollup
 * row still take turns on its lock (store/postgres/insights-repo.ts), as
 * two servers' batches do.
 */
import type { Store } from '../store/contract.ts';

export interface GroupCommitOptions {
  /** How long the first item of a batch waits for company (0 = next tick). */
  maxWaitMs: number;
  maxBatch: number;
  /** Batches committing at once (default 1: one after the other). */
  maxInFlight?: number;
}

interface Pending<I, R> {
  item: I;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export class GroupCommit<I, R, P = never> {
  readonly #store: Store;
  readonly #opts: GroupCommitOptions;
  readonly #work: (tx: Store, item: I, pre?: P) => Promise<R>;
  readonly #beforeCommit: ((tx: Store) => Promise<void>) | undefined;
  readonly #prepareBatch: ((tx: Store, items: I[]) => Promise<P[] | undefined>) | undefined;
  #queue: Array<Pending<I, R>> = [];
  #timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  readonly #inFlight = new Set<Promise<void>>();
  #closed = false;

  /**
   * @param work stores one item; runs in its own savepoint.
   * @param beforeCommit runs once per batch after the items, in the same
   *   transaction (e.g. the insight engine writing the rollups it updated).
   * @param prepareBatch in the fast path only, runs first with every item
   *   (e.g. one multi-row insert); its i-th result goes to `work` as `pre`.
   *   The per-item redo after a failure does not run it: `work` then gets no
   *   `pre` and does everything itself.
   */
  constructor(
    store: Store,
    opts: GroupCommitOptions,
    work: (tx: Store, item: I, pre?: P) => Promise<R>,
    beforeCommit?: (tx: Store) => Promise<void>,
    prepareBatch?: (tx: Store, items: I[]) => Promise<P[] | undefined>,
  ) {
    this.#store = store;
    this.#opts = opts;
    this.#work = work;
    this.#beforeCommit = beforeCommit;
    this.#prepareBatch = prepareBatch;
  }

  submit(item: I): Promise<R> {
    if (this.#closed) return Promise.reject(new Error('ingest is shutting down'));
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#inFlight.size >= (this.#opts.maxInFlight ?? 1) || this.#timer) return;
    if (this.#queue.length >= this.#opts.maxBatch || this.#opts.maxWaitMs === 0)
      this.#timer = setImmediate(() => this.#flush());
    else this.#timer = setTimeout(() => this.#flush(), this.#opts.maxWaitMs);
  }

  #flush(): void {
    this.#timer = undefined;
    const batch = this.#queue.splice(0, this.#opts.maxBatch);
    if (batch.length === 0) return;
    const flushing: Promise<void> = this.#commit(batch).finally(() => {
      this.#inFlight.delete(flushing);
      // Whatever arrived during the commit is already a batch: go at once.
      if (this.#queue.length && !this.#timer) this.#timer = setImmediate(() => this.#flush());
    });
    this.#inFlight.add(flushing);
    // Room for another batch: gather the next one while this one commits.
    if (this.#queue.length) this.#schedule();
  }

  /**
   * Fast path: the whole batch in one transaction without savepoints. If any
   * item fails, that transaction rolls back and the batch is redone with one
   * savepoint per item, so the failing item fails alone. Answers are given
   * only after COMMIT.
   */
  async #commit(batch: Array<Pending<I, R>>): Promise<void> {
    let values: R[];
    try {
      values = await this.#store.transaction(async (tx) => {
        const out: R[] = [];
        const pre = await this.#prepareBatch?.(
          tx,
          batch.map((p) => p.item),
        );
        for (const [i, p] of batch.entries()) out.push(await this.#work(tx, p.item, pre?.[i]));
        if (this.#beforeCommit) await this.#beforeCommit(tx);
        return out;
      });
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      await this.#commitOneByOne(batch);
      return;
    }
    batch.forEach((p, i) => {
      p.resolve(values[i]!);
    });
  }

  async #commitOneByOne(batch: Array<Pending<I, R>>): Promise<void> {
    const outcomes: Array<{ ok: true; value: R } | { ok: false; error: unknown }> = [];
    try {
      await this.#store.transaction(async (tx) => {
        for (const p of batch) {
          try {
            outcomes.push({ ok: true, value: await tx.transaction((sp) => this.#work(sp, p.item)) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
        if (this.#beforeCommit) await this.#beforeCommit(tx);
      });
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    });
  }

  /** Stops accepting and waits until everything queued is committed. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#inFlight.size || this.#queue.length || this.#timer) {
      if (this.#inFlight.size) await Promise.allSettled([...this.#inFlight]);
      else await new Promise((r) => setImmediate(r));
    }
  }
}
