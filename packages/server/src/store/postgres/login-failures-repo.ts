/** @module store/postgres/login-failures-repo — failed sign-ins per key, for the login throttle. */
import type { LoginFailureWindow } from '../contract.ts';
import { num, type Row, str } from './db.ts';
import { defineRepository } from './repository.ts';

const toWindow = (r: Row): LoginFailureWindow => ({
  failures: num(r.failures),
  firstAt: str(r.first_at),
});

export const repository = defineRepository('loginFailures', (db) => ({
  async record(keyHash, now, windowStart) {
    // One statement: concurrent failures on several servers all count (the row lock orders them).
    const r = await db.get(
      `INSERT INTO login_failures AS f (key_hash, failures, first_at) VALUES ($1, 1, $2)
       ON CONFLICT (key_hash) DO UPDATE SET
         failures = CASE WHEN f.first_at < $3 THEN 1 ELSE f.failures + 1 END,
         first_at = CASE WHEN f.first_at < $3 THEN $2 ELSE f.first_at END
       RETURNING failures, first_at`,
      [keyHash, now, windowStart],
    );
    return toWindow(r!);
  },
  async get(keyHash) {
    const r = await db.get('SELECT failures, first_at FROM login_failures WHERE key_hash = $1', [keyHash]);
    return r && toWindow(r);
  },
  async clear(keyHash) {
    await db.run('DELETE FROM login_failures WHERE key_hash = $1', [keyHash]);
  },
  async purgeBefore(windowStart) {
    const { changes } = await db.run('DELETE FROM login_failures WHERE first_at < $1', [windowStart]);
    return changes;
  },
}));
