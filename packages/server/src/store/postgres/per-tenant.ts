/**
 * @module store/postgres/per-tenant
 * The Citus-aware shape of work that spans tenants (outbox claims,
 * retention): one read that names the tenants with work, then one statement
 * per tenant with `tenant_id = $tenantId`. On Citus, distributed by
 * tenant_id, the read runs on every shard without locks, and each statement
 * is routed to one shard, where `FOR UPDATE SKIP LOCKED` and `LIMIT` in a
 * subquery are allowed (across shards they are not:
 * https://docs.citusdata.com/en/stable/develop/reference_workarounds.html).
 * On plain PostgreSQL the same statements are one index range per tenant.
 */
import type { PgDb } from './db.ts';

/**
 * Runs `each` for the tenants `tenantsSql` returns (column `tenant_id`, in
 * its order) with the rows still wanted, until `limit` is reached; returns
 * the sum of what `each` did.
 */
export async function perTenant(
  db: PgDb,
  tenantsSql: string,
  params: Record<string, unknown>,
  limit: number,
  each: (tenantId: string, remaining: number) => Promise<number>,
): Promise<number> {
  let done = 0;
  for (const r of await db.all(tenantsSql, { ...params, limit })) {
    if (done >= limit) break;
    done += await each(String(r.tenant_id), limit - done);
  }
  return done;
}
