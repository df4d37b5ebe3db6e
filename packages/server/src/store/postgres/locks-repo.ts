/** @module store/postgres/locks-repo — per-tenant transaction locks across servers (store/tenant-lock.ts). */
import '../tenant-lock.ts';
import { LOCK_KEY_SQL } from './db.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('locks', (db) => ({
  async tryTenant(tenantId) {
    if (!db.inTransaction) throw new Error('locks.tryTenant() needs a transaction (store.transaction)');
    const r = await db.get(`SELECT pg_try_advisory_xact_lock(${LOCK_KEY_SQL}) AS ok`, {
      lockKey: `tenant\n${tenantId}`,
    });
    return r?.ok === true;
  },
}));
