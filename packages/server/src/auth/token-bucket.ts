/**
 * @module auth/token-bucket
 * Per-credential rate limiting for ingest: a token bucket refilled at
 * `ratePerSecond` up to `burst`. Answers how long to wait when empty, for
 * the Retry-After header.
 */
export class TokenBuckets {
  readonly #rate: number;
  readonly #burst: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(ratePerSecond: number, burst: number) {
    this.#rate = ratePerSecond;
    this.#burst = burst;
  }

  /** Takes one token; returns 0 when allowed, else the seconds until one is available. */
  take(key: string, now = Date.now()): number {
    let b = this.#buckets.get(key);
    if (!b) {
      if (this.#buckets.size > 100_000) this.#buckets.clear();
      b = { tokens: this.#burst, at: now };
      this.#buckets.set(key, b);
    }
    b.tokens = Math.min(this.#burst, b.tokens + ((now - b.at) / 1000) * this.#rate);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return (1 - b.tokens) / this.#rate;
  }
}
