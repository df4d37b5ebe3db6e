/**
 * @module store/sqlite/locks-repo
 * Per-tenant locks (store/tenant-lock.ts) on SQLite: a transaction already
 * holds the only write lock on the file, so the tenant is always free here.
 */
import '../tenant-lock.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('locks', (db) => ({
  tryTenant() {
    if (!db.raw.isTransaction) throw new Error('locks.tryTenant() needs a transaction (store.transaction)');
    return true;
  },
}));
