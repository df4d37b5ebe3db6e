/**
 * @module store/statements/outbox
 * Notification channels, deliveries and attempts (notify/store-contract.ts);
 * both dialects. Flags are `$name` parameters encoded by the dialect (`flag`:
 * SQLite 1 / 0, PostgreSQL booleans). Claims and the locked reads of
 * `enqueue` and `finish` differ (`FOR UPDATE`, `SKIP LOCKED`) and live in
 * each dialect's repository, which also runs the multi-statement steps.
 */
import type { ChannelRow } from '../../notify/channel.ts';
import type { DeliveryRow, DeliveryStatus, EnqueueInput, FinishInput } from '../../notify/store-contract.ts';
import type { Page } from '../contract.ts';
import { num, str, strOrNull, toAttempt, toChannel, toDelivery } from '../row-decoders.ts';
import { decodeCursor, pageOf } from '../shared/cursor.ts';
import {
  changed,
  exec,
  first,
  many,
  noParams,
  one,
  type Params,
  type Row,
  rows,
} from '../shared/statement.ts';

const STATUSES: DeliveryStatus[] = ['pending', 'sending', 'delivered', 'failed', 'cancelled'];
const byId = (tenantId: string, id: string) => ({ tenantId, id });

/** Statements the dialects run inside their own atomic steps. */
export const OUTBOX_SQL = {
  deleteChannel: 'DELETE FROM notification_channels WHERE tenant_id = $tenantId AND id = $id',
  cancelChannel: `UPDATE deliveries SET status = 'cancelled', last_error = 'channel deleted', lease_owner = NULL,
      lease_until = NULL, delivered_at = NULL, next_attempt_at = $at
    WHERE tenant_id = $tenantId AND channel_id = $id AND status IN ('pending', 'sending')`,
  /** The open digest for this office, if one is still waiting (never sent, not leased). */
  openDigest: `SELECT id, notices FROM deliveries
    WHERE tenant_id = $tenantId AND channel_id = $channelId AND digest_key = $key
      AND status = 'pending' AND attempts = 0 AND lease_owner IS NULL
    ORDER BY created_at LIMIT 1`,
  /** An event already queued for a channel inserts nothing: `changes` 0. */
  insertEvent: `INSERT INTO delivery_events (tenant_id, channel_id, event_id, delivery_id)
    VALUES ($tenantId, $channelId, $eventId, $deliveryId) ON CONFLICT DO NOTHING`,
  setNotices: 'UPDATE deliveries SET notices = $notices WHERE tenant_id = $tenantId AND id = $id',
  insertDelivery: `INSERT INTO deliveries (tenant_id, id, channel_id, is_test, digest_key, notices, status, attempts,
      next_attempt_at, created_at)
    VALUES ($tenantId, $id, $channelId, $isTest, $key, $notices, 'pending', 0, $due, $now)`,
  /** The attempt count of a delivery `owner` still leases. */
  leased: `SELECT attempts FROM deliveries WHERE tenant_id = $tenantId AND id = $id
      AND status = 'sending' AND lease_owner = $owner`,
  settle: `UPDATE deliveries SET status = $status, lease_owner = NULL, lease_until = NULL,
      next_attempt_at = $next, last_status_code = $code, last_error = $error, delivered_at = $deliveredAt
    WHERE tenant_id = $tenantId AND id = $id`,
  insertAttempt: `INSERT INTO delivery_attempts (tenant_id, delivery_id, attempt, at, worker, ok, status_code, detail,
      duration_ms)
    VALUES ($tenantId, $id, $attempt, $at, $owner, $ok, $code, $detail, $ms)
    ON CONFLICT (tenant_id, delivery_id, attempt) DO NOTHING`,
  getCursor: 'SELECT seq FROM outbox_cursors WHERE name = $name',
};

/** How a dialect stores a flag. */
export type Flag = (b: boolean) => unknown;

/** The `$name` values of the first delivery of an event (`enqueue` without an open digest). */
export const newDeliveryParams = (input: EnqueueInput, flag: Flag) => ({
  tenantId: input.tenantId,
  id: input.newId,
  channelId: input.channelId,
  isTest: flag(false),
  key: input.digestKey ?? null,
  notices: JSON.stringify([input.notice]),
  due: input.digestDueAt ?? input.now,
  now: input.now,
});

/** The `$name` values of `settle` and `insertAttempt` for a finished attempt number `attempt`. */
export const finishParams = (input: FinishInput, attempt: number, flag: Flag) => ({
  tenantId: input.tenantId,
  id: input.id,
  owner: input.owner,
  at: input.at,
  status: input.outcome === 'retry' ? 'pending' : input.outcome,
  next: input.nextAttemptAt ?? input.at,
  code: input.statusCode ?? null,
  error: input.outcome === 'delivered' ? null : input.detail,
  deliveredAt: input.outcome === 'delivered' ? input.at : null,
  attempt,
  ok: flag(input.outcome === 'delivered'),
  detail: input.detail.slice(0, 1000),
  ms: Math.round(input.durationMs),
});

/** The page query of `listDeliveries`. CAST: PostgreSQL must know the type of a parameter compared with NULL. */
export function deliveriesPage(
  tenantId: string,
  opts: { channelId?: string; status?: DeliveryStatus; cursor?: string; limit: number },
): [string, Params] {
  const cursor = opts.cursor ? decodeCursor(opts.cursor) : undefined;
  return [
    `SELECT * FROM deliveries
     WHERE tenant_id = $tenantId
       AND (CAST($channelId AS TEXT) IS NULL OR channel_id = CAST($channelId AS TEXT))
       AND (CAST($status AS TEXT) IS NULL OR status = CAST($status AS TEXT))
       AND (CAST($cAt AS TEXT) IS NULL OR (created_at, id) < (CAST($cAt AS TEXT), CAST($cId AS TEXT)))
     ORDER BY created_at DESC, id DESC LIMIT $limit`,
    {
      tenantId,
      channelId: opts.channelId ?? null,
      status: opts.status ?? null,
      cAt: cursor?.at ?? null,
      cId: cursor?.id ?? null,
      limit: opts.limit + 1,
    },
  ];
}

/** The page of `listDeliveries` from its rows. */
export const deliveriesOf = (rows: Row[], limit: number): Page<DeliveryRow> =>
  pageOf(rows, limit, toDelivery, (d) => ({ at: d.createdAt, id: d.id }));

/** The statements both dialects bind as they are, with the dialect's flag encoding. */
export function outboxStatements(flag: Flag) {
  return {
    createChannel: exec(
      `INSERT INTO notification_channels
         (tenant_id, id, name, type, config, filters, digest_minutes, enabled, created_at, updated_at)
       VALUES ($tenantId, $id, $name, $type, $config, $filters, $digestMinutes, $enabled, $createdAt, $updatedAt)`,
      (row: ChannelRow) => ({
        ...row,
        config: JSON.stringify(row.config),
        filters: JSON.stringify(row.filters),
        enabled: flag(row.enabled),
      }),
    ),
    getChannel: one(
      'SELECT * FROM notification_channels WHERE tenant_id = $tenantId AND id = $id',
      byId,
      toChannel,
    ),
    listChannels: many(
      'SELECT * FROM notification_channels WHERE tenant_id = $tenantId ORDER BY created_at, id',
      (tenantId: string) => ({ tenantId }),
      toChannel,
    ),
    setChannelConfig: changed(
      `UPDATE notification_channels SET config = $config, updated_at = $at
       WHERE tenant_id = $tenantId AND id = $id`,
      (tenantId: string, id: string, config: ChannelRow['config'], at: string) => ({
        tenantId,
        id,
        config: JSON.stringify(config),
        at,
      }),
    ),
    enqueueTest: exec(
      `INSERT INTO deliveries (tenant_id, id, channel_id, is_test, notices, status, attempts, next_attempt_at,
         created_at)
       VALUES ($tenantId, $id, $channelId, $isTest, '[]', 'pending', 0, $now, $now)`,
      (tenantId: string, channelId: string, id: string, now: string) => ({
        tenantId,
        id,
        channelId,
        now,
        isTest: flag(true),
      }),
    ),
    getDelivery: one('SELECT * FROM deliveries WHERE tenant_id = $tenantId AND id = $id', byId, toDelivery),
    listAttempts: many(
      'SELECT * FROM delivery_attempts WHERE tenant_id = $tenantId AND delivery_id = $deliveryId ORDER BY attempt',
      (tenantId: string, deliveryId: string) => ({ tenantId, deliveryId }),
      toAttempt,
    ),
    countByStatus: rows('SELECT status, count(*) AS n FROM deliveries GROUP BY status', noParams, (found) => {
      const out = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
      for (const r of found) out[str(r.status) as DeliveryStatus] = num(r.n);
      return out;
    }),
    // A leased delivery becomes claimable again only when its lease ends.
    nextDueAt: first(
      `SELECT min(CASE WHEN status = 'pending' THEN next_attempt_at ELSE lease_until END) AS due
       FROM deliveries WHERE status IN ('pending', 'sending')`,
      noParams,
      (r) => (r ? (strOrNull(r.due) ?? undefined) : undefined),
    ),
    setCursor: exec(
      `INSERT INTO outbox_cursors (name, seq, updated_at) VALUES ($name, $seq, $at)
       ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at`,
      (name: string, seq: number, at: string) => ({ name, seq, at }),
    ),
  };
}
