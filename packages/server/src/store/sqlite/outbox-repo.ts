/**
 * @module store/sqlite/outbox-repo
 * Notification channels, deliveries and attempts (notify/store-contract.ts)
 * on SQLite (statements: store/statements/outbox.ts). Claims are one
 * UPDATE … RETURNING: SQLite runs writers one at a time (also across
 * processes sharing the file), so two workers can never take the same row.
 */
import type { InsightNotice } from '../../notify/notice.ts';
import { str, toDelivery } from '../row-decoders.ts';
import * as outbox from '../statements/outbox.ts';
import type { Params } from './db.ts';
import { defineRepository } from './repository.ts';

/** Flags are INTEGER 1 / 0. */
const flag = (b: boolean) => (b ? 1 : 0);
const PORTABLE = outbox.outboxStatements(flag);

const CLAIM = `UPDATE deliveries SET status = 'sending', lease_owner = $owner, lease_until = $leaseUntil,
    attempts = attempts + 1
  WHERE (tenant_id, id) IN (
    SELECT tenant_id, id FROM deliveries
    WHERE status IN ('pending', 'sending') AND next_attempt_at <= $now
      AND (lease_until IS NULL OR lease_until <= $now)
    ORDER BY next_attempt_at LIMIT $limit)
  RETURNING *`;

export const repository = defineRepository('outbox', (db) => ({
  ...db.bind(PORTABLE),
  deleteChannel(tenantId, id, at) {
    return db.atomically(() => {
      if (db.run(outbox.OUTBOX_SQL.deleteChannel, { tenantId, id }).changes === 0) return false;
      db.run(outbox.OUTBOX_SQL.cancelChannel, { tenantId, id, at });
      return true;
    });
  },
  enqueue(input) {
    return db.atomically(() => {
      const { tenantId, channelId, notice } = input;
      const event = { tenantId, channelId, eventId: notice.eventId };
      if (input.digestKey !== undefined) {
        const open = db.get(outbox.OUTBOX_SQL.openDigest, { tenantId, channelId, key: input.digestKey });
        if (open) {
          const id = str(open.id);
          if (db.run(outbox.OUTBOX_SQL.insertEvent, { ...event, deliveryId: id }).changes === 0)
            return undefined;
          const notices = JSON.parse(str(open.notices)) as InsightNotice[];
          notices.push(notice);
          db.run(outbox.OUTBOX_SQL.setNotices, { tenantId, id, notices: JSON.stringify(notices) });
          return { deliveryId: id, merged: true };
        }
      }
      if (db.run(outbox.OUTBOX_SQL.insertEvent, { ...event, deliveryId: input.newId }).changes === 0)
        return undefined;
      db.run(outbox.OUTBOX_SQL.insertDelivery, outbox.newDeliveryParams(input, flag) as Params);
      return { deliveryId: input.newId, merged: false };
    });
  },
  claim(owner, now, leaseUntil, limit) {
    return db.all(CLAIM, { owner, now, leaseUntil, limit }).map(toDelivery);
  },
  finish(input) {
    return db.atomically(() => {
      const row = db.get(outbox.OUTBOX_SQL.leased, {
        tenantId: input.tenantId,
        id: input.id,
        owner: input.owner,
      });
      if (!row) return false;
      const p = outbox.finishParams(input, Number(row.attempts), flag) as Params;
      db.run(outbox.OUTBOX_SQL.settle, p);
      db.run(outbox.OUTBOX_SQL.insertAttempt, p);
      return true;
    });
  },
  listDeliveries(tenantId, opts) {
    const [sql, params] = outbox.deliveriesPage(tenantId, opts);
    return outbox.deliveriesOf(db.all(sql, params as Params), opts.limit);
  },
  getCursor(name) {
    const r = db.get(outbox.OUTBOX_SQL.getCursor, { name });
    return r ? Number(r.seq) : 0;
  },
}));
