/**
 * @module auth/login-throttle
 * Slows password guessing: after `maxFailures` failed sign-ins for the same
 * e-mail from the same IP within `windowMs`, further attempts are refused
 * until the window passes (429 + Retry-After), the right password included
 * (OWASP Authentication Cheat Sheet, "Login Throttling").
 *
 * An attempt is counted before its password is hashed (`attempt`), in one
 * atomic statement: 600 parallel wrong passwords used to pass the check
 * together and get 299 hashed; now the sixth and later are refused without
 * hashing. A right password clears the run.
 *
 * The count lives in the store, so every server sharing a database throttles
 * alike (an attacker gains nothing by spreading guesses over them) and a
 * restart forgets nothing. Keys are SHA-256 of e-mail and address: the table
 * holds neither in the clear.
 */
import type { Store } from '../store/contract.ts';
import { hashSecret } from './secrets.ts';

export interface LoginThrottleOptions {
  maxFailures: number;
  windowMs: number;
}

export class LoginThrottle {
  readonly #store: Store;
  readonly #opts: LoginThrottleOptions;

  constructor(store: Store, opts: Partial<LoginThrottleOptions> = {}) {
    this.#store = store;
    this.#opts = { maxFailures: 5, windowMs: 15 * 60_000, ...opts };
  }

  static key(email: string, ip: string): string {
    // The same SHA-256 the stored tokens get: nothing readable is kept.
    return hashSecret(`${email.toLowerCase()}\u0000${ip}`);
  }

  /**
   * Counts one attempt before the password is checked; returns the seconds to
   * wait (the attempt is refused) or 0 (go on and check it). The count and the
   * decision are one statement, so parallel attempts cannot all pass.
   */
  async attempt(key: string, now: Date): Promise<number> {
    const run = await this.#store.loginFailures.record(key, now.toISOString(), this.#windowStart(now));
    if (run.failures <= this.#opts.maxFailures) return 0;
    const ends = Date.parse(run.firstAt) + this.#opts.windowMs;
    return Math.max(1, (ends - now.getTime()) / 1000);
  }

  async succeed(key: string): Promise<void> {
    await this.#store.loginFailures.clear(key);
  }

  /** Forgets runs whose window has passed (called with the other retention purges). */
  purge(now: Date): Promise<number> {
    return this.#store.loginFailures.purgeBefore(this.#windowStart(now));
  }

  #windowStart(now: Date): string {
    return new Date(now.getTime() - this.#opts.windowMs).toISOString();
  }
}
