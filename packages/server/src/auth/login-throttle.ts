/**
 * @module auth/login-throttle
 * Slows password guessing: after `maxFailures` failed sign-ins for the same
 * e-mail from the same IP within `windowMs`, further attempts are refused
 * until the window passes (429 + Retry-After). Kept in memory: it resets on
 * restart and is per collector process, which is enough against online
 * guessing (OWASP Authentication Cheat Sheet, "Login Throttling").
 */
export interface LoginThrottleOptions {
  maxFailures: number;
  windowMs: number;
  /** Upper bound on tracked keys, so a flood of distinct e-mails cannot grow memory without end. */
  maxKeys: number;
}

interface Entry {
  failures: number;
  firstAt: number;
}

export class LoginThrottle {
  readonly #opts: LoginThrottleOptions;
  readonly #entries = new Map<string, Entry>();

  constructor(opts: Partial<LoginThrottleOptions> = {}) {
    this.#opts = { maxFailures: 5, windowMs: 15 * 60_000, maxKeys: 100_000, ...opts };
  }

  static key(email: string, ip: string): string {
    return `${email.toLowerCase()}\u0000${ip}`;
  }

  /** Seconds to wait, or 0 when an attempt is allowed now. */
  retryAfter(key: string, now = Date.now()): number {
    const e = this.#entries.get(key);
    if (!e) return 0;
    if (now - e.firstAt >= this.#opts.windowMs) {
      this.#entries.delete(key);
      return 0;
    }
    return e.failures >= this.#opts.maxFailures ? (e.firstAt + this.#opts.windowMs - now) / 1000 : 0;
  }

  fail(key: string, now = Date.now()): void {
    const e = this.#entries.get(key);
    if (!e || now - e.firstAt >= this.#opts.windowMs) {
      if (this.#entries.size >= this.#opts.maxKeys) this.#prune(now);
      this.#entries.set(key, { failures: 1, firstAt: now });
    } else e.failures += 1;
  }

  succeed(key: string): void {
    this.#entries.delete(key);
  }

  #prune(now: number): void {
    for (const [k, e] of this.#entries) if (now - e.firstAt >= this.#opts.windowMs) this.#entries.delete(k);
    // Still full: drop the oldest entries (Map keeps insertion order).
    for (const k of this.#entries.keys()) {
      if (this.#entries.size < this.#opts.maxKeys) break;
      this.#entries.delete(k);
    }
  }
}
