/**
 * @module store/sqlite/outbox-repo
 * Notification channels, deliveries and attempts (notify/store-contract.ts)
 * on SQLite. Claims are one UPDATE … RETURNING: SQLite runs writers one at a
 * time (also across processes sharing the file), so two workers can never
 * take the same row.
 */
import type { ChannelRow } from '../../notify/channel.ts';
import type { InsightNotice } from '../../notify/notice.ts';
import type { DeliveryRow, DeliveryStatus } from '../../notify/store-contract.ts';
import { decodeCursor, encodeCursor, numOrNull, type Row, type SqliteDb, str, strOrNull } from './db.ts';
import { defineRepository } from './repository.ts';

function toChannel(r: Row): ChannelRow {
  return {
    tenantId: str(r.tenant_id),
    id: str(r.id),
    name: str(r.name),
    type: str(r.type) as ChannelRow['type'],
    config: JSON.parse(str(r.config)) as ChannelRow['config'],
    filters: JSON.parse(str(r.filters)) as ChannelRow['filters'],
    digestMinutes: Number(r.digest_minutes),
    enabled: Number(r.enabled) === 1,
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
  };
}

function toDelivery(r: Row): DeliveryRow {
  return {
    tenantId: str(r.tenant_id),
    id: str(r.id),
    channelId: str(r.channel_id),
    test: Number(r.is_test) === 1,
    digestKey: strOrNull(r.digest_key),
    notices: JSON.parse(str(r.notices)) as InsightNotice[],
    status: str(r.status) as DeliveryStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: str(r.next_attempt_at),
    leaseOwner: strOrNull(r.lease_owner),
    leaseUntil: strOrNull(r.lease_until),
    lastStatusCode: numOrNull(r.last_status_code),
    lastError: strOrNull(r.last_error),
    createdAt: str(r.created_at),
    deliveredAt: strOrNull(r.delivered_at),
  };
}

/** Runs `fn` atomically: inside the caller's transaction, or in its own IMMEDIATE one. */
function atomically<T>(db: SqliteDb, fn: () => T): T {
  if (db.raw.isTransaction) {
    db.raw.exec('SAVEPOINT outbox_op');
    try {
      const out = fn();
      db.raw.exec('RELEASE outbox_op');
      return out;
    } catch (err) {
      db.raw.exec('ROLLBACK TO outbox_op');
      db.raw.exec('RELEASE outbox_op');
      throw err;
    }
  }
  // IMMEDIATE takes the write lock before the read, so a read-then-write cannot race another process.
  db.raw.exec('BEGIN IMMEDIATE');
  try {
    const out = fn();
    db.raw.exec('COMMIT');
    return out;
  } catch (err) {
    if (db.raw.isTransaction) db.raw.exec('ROLLBACK');
    throw err;
  }
}

const STATUSES: DeliveryStatus[] = ['pending', 'sending', 'delivered', 'failed', 'cancelled'];

export const repository = defineRepository('outbox', (db) => ({
  createChannel(row) {
    db.run(
      `INSERT INTO notification_channels
         (tenant_id, id, name, type, config, filters, digest_minutes, enabled, created_at, updated_at)
       VALUES ($tenantId, $id, $name, $type, $config, $filters, $digest, $enabled, $createdAt, $updatedAt)`,
      {
        tenantId: row.tenantId,
        id: row.id,
        name: row.name,
        type: row.type,
        config: JSON.stringify(row.config),
        filters: JSON.stringify(row.filters),
        digest: row.digestMinutes,
        enabled: row.enabled ? 1 : 0,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
      },
    );
  },
  getChannel(tenantId, id) {
    const r = db.get('SELECT * FROM notification_channels WHERE tenant_id = $tenantId AND id = $id', {
      tenantId,
      id,
    });
    return r ? toChannel(r) : undefined;
  },
  listChannels(tenantId) {
    return db
      .all('SELECT * FROM notification_channels WHERE tenant_id = $tenantId ORDER BY created_at, id', {
        tenantId,
      })
      .map(toChannel);
  },
  deleteChannel(tenantId, id, at) {
    return atomically(db, () => {
      const r = db.run('DELETE FROM notification_channels WHERE tenant_id = $tenantId AND id = $id', {
        tenantId,
        id,
      });
      if (r.changes === 0) return false;
      db.run(
        `UPDATE deliveries SET status = 'cancelled', last_error = 'channel deleted', lease_owner = NULL,
           lease_until = NULL, delivered_at = NULL, next_attempt_at = $at
         WHERE tenant_id = $tenantId AND channel_id = $id AND status IN ('pending', 'sending')`,
        { tenantId, id, at },
      );
      return true;
    });
  },
  enqueue(input) {
    return atomically(db, () => {
      const { tenantId, channelId, notice } = input;
      if (input.digestKey !== undefined) {
        // Merge into the open digest for this office, if one is still waiting (never sent, not leased).
        const open = db.get(
          `SELECT id, notices FROM deliveries
           WHERE tenant_id = $tenantId AND channel_id = $channelId AND digest_key = $key
             AND status = 'pending' AND attempts = 0 AND lease_owner IS NULL
           ORDER BY created_at LIMIT 1`,
          { tenantId, channelId, key: input.digestKey },
        );
        if (open) {
          const seen = db.run(
            `INSERT INTO delivery_events (tenant_id, channel_id, event_id, delivery_id)
             VALUES ($tenantId, $channelId, $eventId, $deliveryId) ON CONFLICT DO NOTHING`,
            { tenantId, channelId, eventId: notice.eventId, deliveryId: str(open.id) },
          );
          if (seen.changes === 0) return undefined;
          const notices = JSON.parse(str(open.notices)) as InsightNotice[];
          notices.push(notice);
          db.run('UPDATE deliveries SET notices = $notices WHERE tenant_id = $tenantId AND id = $id', {
            tenantId,
            id: str(open.id),
            notices: JSON.stringify(notices),
          });
          return { deliveryId: str(open.id), merged: true };
        }
      }
      const seen = db.run(
        `INSERT INTO delivery_events (tenant_id, channel_id, event_id, delivery_id)
         VALUES ($tenantId, $channelId, $eventId, $deliveryId) ON CONFLICT DO NOTHING`,
        { tenantId, channelId, eventId: notice.eventId, deliveryId: input.newId },
      );
      if (seen.changes === 0) return undefined;
      db.run(
        `INSERT INTO deliveries (tenant_id, id, channel_id, is_test, digest_key, notices, status, attempts,
           next_attempt_at, created_at)
         VALUES ($tenantId, $id, $channelId, 0, $key, $notices, 'pending', 0, $due, $now)`,
        {
          tenantId,
          id: input.newId,
          channelId,
          key: input.digestKey ?? null,
          notices: JSON.stringify([notice]),
          due: input.digestDueAt ?? input.now,
          now: input.now,
        },
      );
      return { deliveryId: input.newId, merged: false };
    });
  },
  enqueueTest(tenantId, channelId, id, now) {
    db.run(
      `INSERT INTO deliveries (tenant_id, id, channel_id, is_test, notices, status, attempts, next_attempt_at, created_at)
       VALUES ($tenantId, $id, $channelId, 1, '[]', 'pending', 0, $now, $now)`,
      { tenantId, id, channelId, now },
    );
  },
  claim(owner, now, leaseUntil, limit) {
    return db
      .all(
        `UPDATE deliveries SET status = 'sending', lease_owner = $owner, lease_until = $leaseUntil,
           attempts = attempts + 1
         WHERE (tenant_id, id) IN (
           SELECT tenant_id, id FROM deliveries
           WHERE status IN ('pending', 'sending') AND next_attempt_at <= $now
             AND (lease_until IS NULL OR lease_until <= $now)
           ORDER BY next_attempt_at LIMIT $limit)
         RETURNING *`,
        { owner, now, leaseUntil, limit },
      )
      .map(toDelivery);
  },
  finish(input) {
    return atomically(db, () => {
      const row = db.get(
        `SELECT attempts FROM deliveries WHERE tenant_id = $tenantId AND id = $id
           AND status = 'sending' AND lease_owner = $owner`,
        { tenantId: input.tenantId, id: input.id, owner: input.owner },
      );
      if (!row) return false;
      const status = input.outcome === 'retry' ? 'pending' : input.outcome;
      db.run(
        `UPDATE deliveries SET status = $status, lease_owner = NULL, lease_until = NULL,
           next_attempt_at = $next, last_status_code = $code, last_error = $error, delivered_at = $deliveredAt
         WHERE tenant_id = $tenantId AND id = $id`,
        {
          tenantId: input.tenantId,
          id: input.id,
          status,
          next: input.nextAttemptAt ?? input.at,
          code: input.statusCode ?? null,
          error: input.outcome === 'delivered' ? null : input.detail,
          deliveredAt: input.outcome === 'delivered' ? input.at : null,
        },
      );
      db.run(
        `INSERT INTO delivery_attempts (tenant_id, delivery_id, attempt, at, worker, ok, status_code, detail, duration_ms)
         VALUES ($tenantId, $id, $attempt, $at, $owner, $ok, $code, $detail, $ms)
         ON CONFLICT (tenant_id, delivery_id, attempt) DO NOTHING`,
        {
          tenantId: input.tenantId,
          id: input.id,
          attempt: Number(row.attempts),
          at: input.at,
          owner: input.owner,
          ok: input.outcome === 'delivered' ? 1 : 0,
          code: input.statusCode ?? null,
          detail: input.detail.slice(0, 1000),
          ms: Math.round(input.durationMs),
        },
      );
      return true;
    });
  },
  getDelivery(tenantId, id) {
    const r = db.get('SELECT * FROM deliveries WHERE tenant_id = $tenantId AND id = $id', { tenantId, id });
    return r ? toDelivery(r) : undefined;
  },
  listDeliveries(tenantId, opts) {
    const cursor = opts.cursor ? decodeCursor(opts.cursor) : undefined;
    const rows = db.all(
      `SELECT * FROM deliveries
       WHERE tenant_id = $tenantId
         AND ($channelId IS NULL OR channel_id = $channelId)
         AND ($status IS NULL OR status = $status)
         AND ($cAt IS NULL OR (created_at, id) < ($cAt, $cId))
       ORDER BY created_at DESC, id DESC LIMIT $limit`,
      {
        tenantId,
        channelId: opts.channelId ?? null,
        status: opts.status ?? null,
        cAt: cursor?.at ?? null,
        cId: cursor?.id ?? null,
        limit: opts.limit + 1,
      },
    );
    const items = rows.slice(0, opts.limit).map(toDelivery);
    const last = items.at(-1);
    return rows.length > opts.limit && last
      ? { items, nextCursor: encodeCursor(last.createdAt, last.id) }
      : { items };
  },
  listAttempts(tenantId, deliveryId) {
    return db
      .all(
        `SELECT * FROM delivery_attempts WHERE tenant_id = $tenantId AND delivery_id = $deliveryId ORDER BY attempt`,
        { tenantId, deliveryId },
      )
      .map((r) => ({
        tenantId: str(r.tenant_id),
        deliveryId: str(r.delivery_id),
        attempt: Number(r.attempt),
        at: str(r.at),
        worker: str(r.worker),
        ok: Number(r.ok) === 1,
        statusCode: numOrNull(r.status_code),
        detail: str(r.detail),
        durationMs: Number(r.duration_ms),
      }));
  },
  countByStatus() {
    const out = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
    for (const r of db.all('SELECT status, count(*) AS n FROM deliveries GROUP BY status'))
      out[str(r.status) as DeliveryStatus] = Number(r.n);
    return out;
  },
  nextDueAt() {
    // A leased delivery becomes claimable again only when its lease ends.
    const r = db.get(
      `SELECT min(CASE WHEN status = 'pending' THEN next_attempt_at ELSE lease_until END) AS due
       FROM deliveries WHERE status IN ('pending', 'sending')`,
    );
    return r ? (strOrNull(r.due) ?? undefined) : undefined;
  },
  getCursor(name) {
    const r = db.get('SELECT seq FROM outbox_cursors WHERE name = $name', { name });
    return r ? Number(r.seq) : 0;
  },
  setCursor(name, seq, at) {
    db.run(
      `INSERT INTO outbox_cursors (name, seq, updated_at) VALUES ($name, $seq, $at)
       ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at`,
      { name, seq, at },
    );
  },
}));
