/** @module store/sqlite/login-failures-repo — failed sign-ins per key, for the login throttle. */
import type { LoginFailureWindow } from '../contract.ts';
import { num, type Row, str } from './db.ts';
import { defineRepository } from './repository.ts';

const toWindow = (r: Row): LoginFailureWindow => ({ failures: num(r.failures), firstAt: str(r.first_at) });

export const repository = defineRepository('loginFailures', (db) => ({
  record(keyHash, now, windowStart) {
    // One statement, so two sign-ins failing at once both count.
    const r = db.get(
      `INSERT INTO login_failures (key_hash, failures, first_at) VALUES ($keyHash, 1, $now)
       ON CONFLICT (key_hash) DO UPDATE SET
         failures = CASE WHEN first_at < $windowStart THEN 1 ELSE failures + 1 END,
         first_at = CASE WHEN first_at < $windowStart THEN $now ELSE first_at END
       RETURNING failures, first_at`,
      { keyHash, now, windowStart },
    );
    return toWindow(r!);
  },
  get(keyHash) {
    const r = db.get('SELECT failures, first_at FROM login_failures WHERE key_hash = $keyHash', { keyHash });
    return r && toWindow(r);
  },
  clear(keyHash) {
    db.run('DELETE FROM login_failures WHERE key_hash = $keyHash', { keyHash });
  },
  purgeBefore(windowStart) {
    return db.run('DELETE FROM login_failures WHERE first_at < $windowStart', { windowStart }).changes;
  },
}));
