/** @module store/statements/login-failures — failed sign-ins per key, for the login throttle; both dialects. */
import { toLoginFailureWindow } from '../row-decoders.ts';
import { changes, exec, first, one } from '../shared/statement.ts';

const byKey = (keyHash: string) => ({ keyHash });

export const LOGIN_FAILURES = {
  // One statement: concurrent failures (on several servers) all count; the row lock orders them.
  record: first(
    `INSERT INTO login_failures AS f (key_hash, failures, first_at) VALUES ($keyHash, 1, $now)
     ON CONFLICT (key_hash) DO UPDATE SET
       failures = CASE WHEN f.first_at < $windowStart THEN 1 ELSE f.failures + 1 END,
       first_at = CASE WHEN f.first_at < $windowStart THEN $now ELSE f.first_at END
     RETURNING failures, first_at`,
    (keyHash: string, now: string, windowStart: string) => ({ keyHash, now, windowStart }),
    (r) => toLoginFailureWindow(r!),
  ),
  get: one(
    'SELECT failures, first_at FROM login_failures WHERE key_hash = $keyHash',
    byKey,
    toLoginFailureWindow,
  ),
  clear: exec('DELETE FROM login_failures WHERE key_hash = $keyHash', byKey),
  purgeBefore: changes('DELETE FROM login_failures WHERE first_at < $windowStart', (windowStart: string) => ({
    windowStart,
  })),
};
