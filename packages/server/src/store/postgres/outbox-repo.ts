/**
 * @module store/postgres/outbox-repo
 * Notification channels, deliveries and attempts (notify/store-contract.ts)
 * on PostgreSQL (statements: store/statements/outbox.ts), where several
 * servers run the outbox worker against one database. A claim goes tenant by
 * tenant, the longest waiting first (per-tenant.ts); in each it picks due rows
 * with `FOR UPDATE SKIP LOCKED` and takes their lease in the same statement:
 * a row another server is claiming is skipped, not waited for, and a row
 * whose lease it already holds no longer matches (the locked row is
 * re-checked against the WHERE clause), so no two servers ever get the same
 * delivery. `finish` only counts for the lease holder, and digest merging
 * locks the open digest row so that a claim and a merge cannot both have it.
 * The event pump's cursor is locked for the length of its pass (`getCursor`
 * in a transaction), so pumps on two servers take turns.
 */
import type { InsightNotice } from '../../notify/notice.ts';
import { num, str, toDelivery } from '../row-decoders.ts';
import * as outbox from '../statements/outbox.ts';
import type { PgDb } from './db.ts';
import { perTenant } from './per-tenant.ts';
import { defineRepository } from './repository.ts';

/** Flags are booleans. */
const flag = (b: boolean) => b;
const PORTABLE = outbox.outboxStatements(flag);

const DUE = `status IN ('pending', 'sending') AND next_attempt_at <= $now
      AND (lease_until IS NULL OR lease_until <= $now)`;
/** Tenants with due deliveries, the longest waiting first (read on every shard, no locks). */
const TENANTS_DUE = `SELECT tenant_id FROM deliveries WHERE ${DUE}
  GROUP BY tenant_id ORDER BY min(next_attempt_at), tenant_id LIMIT $limit`;
/** One tenant's claim: a single-shard statement on Citus (store/postgres/per-tenant.ts). */
const CLAIM = `UPDATE deliveries d SET status = 'sending', lease_owner = $owner, lease_until = $leaseUntil,
    attempts = d.attempts + 1
  FROM (
    SELECT tenant_id, id FROM deliveries
    WHERE tenant_id = $tenantId AND ${DUE}
    ORDER BY next_attempt_at LIMIT $limit
    FOR UPDATE SKIP LOCKED) due
  WHERE d.tenant_id = $tenantId AND d.tenant_id = due.tenant_id AND d.id = due.id
  RETURNING d.*`;

export const repository = defineRepository('outbox', (db) => ({
  ...db.bind(PORTABLE),
  deleteChannel(tenantId, id, at) {
    return db.atomically(async (t) => {
      if ((await t.run(outbox.OUTBOX_SQL.deleteChannel, { tenantId, id })).changes === 0) return false;
      await t.run(outbox.OUTBOX_SQL.cancelChannel, { tenantId, id, at });
      return true;
    });
  },
  enqueue(input) {
    return db.atomically(async (t: PgDb) => {
      const { tenantId, channelId, notice } = input;
      const event = { tenantId, channelId, eventId: notice.eventId };
      if (input.digestKey !== undefined) {
        // FOR UPDATE: a worker claiming it at the same moment either waits for this merge or wins and
        // then the row no longer matches here (lease_owner set), and a new delivery is made.
        const open = await t.get(`${outbox.OUTBOX_SQL.openDigest} FOR UPDATE`, {
          tenantId,
          channelId,
          key: input.digestKey,
        });
        if (open) {
          const id = str(open.id);
          if ((await t.run(outbox.OUTBOX_SQL.insertEvent, { ...event, deliveryId: id })).changes === 0)
            return undefined;
          const notices = JSON.parse(str(open.notices)) as InsightNotice[];
          notices.push(notice);
          await t.run(outbox.OUTBOX_SQL.setNotices, { tenantId, id, notices: JSON.stringify(notices) });
          return { deliveryId: id, merged: true };
        }
      }
      if ((await t.run(outbox.OUTBOX_SQL.insertEvent, { ...event, deliveryId: input.newId })).changes === 0)
        return undefined;
      await t.run(outbox.OUTBOX_SQL.insertDelivery, outbox.newDeliveryParams(input, flag));
      return { deliveryId: input.newId, merged: false };
    });
  },
  async claim(owner, now, leaseUntil, limit) {
    const out: ReturnType<typeof toDelivery>[] = [];
    await perTenant(db, TENANTS_DUE, { now }, limit, async (tenantId, remaining) => {
      const rows = await db.all(CLAIM, { owner, now, leaseUntil, limit: remaining, tenantId });
      out.push(...rows.map(toDelivery));
      return rows.length;
    });
    return out;
  },
  finish(input) {
    return db.atomically(async (t) => {
      const row = await t.get(`${outbox.OUTBOX_SQL.leased} FOR UPDATE`, {
        tenantId: input.tenantId,
        id: input.id,
        owner: input.owner,
      });
      if (!row) return false;
      const p = outbox.finishParams(input, num(row.attempts), flag);
      await t.run(outbox.OUTBOX_SQL.settle, p);
      await t.run(outbox.OUTBOX_SQL.insertAttempt, p);
      return true;
    });
  },
  async listDeliveries(tenantId, opts) {
    const [sql, params] = outbox.deliveriesPage(tenantId, opts);
    return outbox.deliveriesOf(await db.all(sql, params), opts.limit);
  },
  async getCursor(name) {
    // Inside a transaction (the event pump's pass) the cursor stays locked until commit, so two
    // servers' pumps take turns instead of both reading the same events.
    if (db.inTransaction) await db.lockUntilCommit('cursor', name);
    const r = await db.get(outbox.OUTBOX_SQL.getCursor, { name });
    return r ? num(r.seq) : 0;
  },
}));
