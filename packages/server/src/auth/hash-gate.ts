/**
 * @module auth/hash-gate
 * A process-wide bound on password hashing. Argon2 runs on libuv's
 * threadpool (4 threads unless UV_THREADPOOL_SIZE says otherwise), the same
 * pool that runs zlib for gzip uploads and file reads for the dashboard. 64
 * unauthenticated sign-ins at once used to take every thread for seconds,
 * so static files went from 4 ms to 4.7 s. The gate lets at most `limit`
 * hashes run at once, queues up to `maxQueued` more in arrival order, and
 * refuses the rest with 429 instead of letting the queue grow without end.
 */
import { rateLimited } from '../errors.ts';

export class HashGate {
  readonly #limit: number;
  readonly #maxQueued: number;
  #running = 0;
  readonly #queue: Array<() => void> = [];

  constructor(limit: number, maxQueued: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`hash gate limit must be ≥ 1, got ${limit}`);
    this.#limit = limit;
    this.#maxQueued = maxQueued;
  }

  /** Hashes running now and waiting (for tests and metrics). */
  get load(): { running: number; queued: number } {
    return { running: this.#running, queued: this.#queue.length };
  }

  /** Runs `work` when a slot is free; throws 429 NI_ERR_RATE_LIMITED when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#limit) {
      if (this.#queue.length >= this.#maxQueued) throw rateLimited('NI_ERR_RATE_LIMITED', 1);
      await new Promise<void>((resolve) => this.#queue.push(resolve));
    } else this.#running++;
    try {
      return await work();
    } finally {
      const next = this.#queue.shift();
      // The slot passes straight to the next waiter, so `running` stays counted.
      if (next) next();
      else this.#running--;
    }
  }
}

/**
 * Half the default pool: two hashes at once leave two threads for zlib and
 * file reads. On two cores, two Argon2id hashes (19 MiB, t = 2) already use
 * both, so a larger limit would not sign anyone in sooner.
 */
export const PASSWORD_HASH_GATE = new HashGate(2, 256);
