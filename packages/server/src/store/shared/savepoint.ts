/**
 * @module store/shared/savepoint
 * The savepoint frame both dialects use for `tx.transaction(fn)` and for
 * their own atomic steps inside a transaction: a failure in `fn` rolls back
 * only what `fn` did, and the caller's transaction goes on.
 */

/**
 * Runs `fn` inside SAVEPOINT `name` on `exec`'s connection (SQLite and
 * PostgreSQL share the syntax). On a throw the savepoint is rolled back and
 * released, `rolledBack` runs (e.g. to drop before-commit callbacks
 * registered inside), and the error is rethrown.
 */
export async function inSavepoint<T>(
  exec: (sql: string) => unknown,
  name: string,
  fn: () => Promise<T>,
  rolledBack?: () => void,
): Promise<T> {
  await exec(`SAVEPOINT ${name}`);
  try {
    const result = await fn();
    await exec(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (err) {
    await exec(`ROLLBACK TO SAVEPOINT ${name}`);
    await exec(`RELEASE SAVEPOINT ${name}`);
    rolledBack?.();
    throw err;
  }
}
