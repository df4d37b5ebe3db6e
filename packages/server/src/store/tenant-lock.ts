/**
 * @module store/tenant-lock
 * "One server at a time per tenant" for work that must not run twice
 * concurrently across `netinsights serve` processes sharing a database — the
 * insight engine's evaluation. The `locks` repository (added to `Store` here
 * by module augmentation, see store/README.md) takes a transaction-scoped
 * lock: PostgreSQL's `pg_try_advisory_xact_lock`, released by COMMIT or
 * ROLLBACK, so a server killed mid-evaluation frees it with its connection.
 * SQLite needs no lock: one writer transaction at a time holds the file.
 */
import type { Store } from './contract.ts';

export interface LocksRepo {
  /**
   * Inside a transaction: takes the tenant's lock until the transaction ends
   * and returns true, or returns false at once when another transaction (in
   * any process) holds it. Throws outside a transaction, where a lock would
   * end with the statement.
   */
  tryTenant(tenantId: string): Promise<boolean>;
}

declare module './contract.ts' {
  interface StoreExtensions {
    locks: LocksRepo;
  }
}

export type TenantLockResult<T> = { ran: true; value: T } | { ran: false };

/**
 * Runs `fn` in a transaction that holds the tenant's lock; when another
 * server holds it, returns `{ ran: false }` without running `fn` (that server
 * is doing the work).
 */
export function withTenantLock<T>(
  store: Store,
  tenantId: string,
  fn: (tx: Store) => Promise<T>,
): Promise<TenantLockResult<T>> {
  return store.transaction(async (tx): Promise<TenantLockResult<T>> => {
    if (!(await tx.locks.tryTenant(tenantId))) return { ran: false };
    return { ran: true, value: await fn(tx) };
  });
}
