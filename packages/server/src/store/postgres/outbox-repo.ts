/**
 * @module store/postgres/outbox-repo
 * Notification channels, deliveries and attempts (notify/store-contract.ts)
 * on PostgreSQL, where several servers run the outbox worker against one
 * database. A claim picks due rows with `FOR UPDATE SKIP LOCKED` and takes
 * their lease in the same statement: a row another server is claiming is
 * skipped, not waited for, and a row whose lease it already holds no longer
 * matches (the locked row is re-checked against the WHERE clause), so no two
 * servers ever get the same delivery. `finish` only counts for the lease
 * holder, and digest merging locks the open digest row so that a claim and a
 * merge cannot both have it. The event pump's cursor is locked for the length
 * of its pass (`getCursor` in a transaction), so pumps on two servers take
 * turns.
 */
import type { ChannelRow } from '../../notify/channel.ts';
import type { InsightNotice } from '../../notify/notice.ts';
import type { DeliveryRow, DeliveryStatus } from '../../notify/store-contract.ts';
import { decodeCursor, encodeCursor } from '../sqlite/db.ts';
import { LOCK_KEY_SQL, num, numOrNull, type PgDb, type Row, str, strOrNull } from './db.ts';
import { defineRepository } from './repository.ts';

function toChannel(r: Row): ChannelRow {
  return {
    tenantId: str(r.tenant_id),
    id: str(r.id),
    name: str(r.name),
    type: str(r.type) as ChannelRow['type'],
    config: JSON.parse(str(r.config)) as ChannelRow['config'],
    filters: JSON.parse(str(r.filters)) as ChannelRow['filters'],
    digestMinutes: num(r.digest_minutes),
    enabled: r.enabled === true,
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
  };
}

function toDelivery(r: Row): DeliveryRow {
  return {
    tenantId: str(r.tenant_id),
    id: str(r.id),
    channelId: str(r.channel_id),
    test: r.is_test === true,
    digestKey: strOrNull(r.digest_key),
    notices: JSON.parse(str(r.notices)) as InsightNotice[],
    status: str(r.status) as DeliveryStatus,
    attempts: num(r.attempts),
    nextAttemptAt: str(r.next_attempt_at),
    leaseOwner: strOrNull(r.lease_owner),
    leaseUntil: strOrNull(r.lease_until),
    lastStatusCode: numOrNull(r.last_status_code),
    lastError: strOrNull(r.last_error),
    createdAt: str(r.created_at),
    deliveredAt: strOrNull(r.delivered_at),
  };
}

const STATUSES: DeliveryStatus[] = ['pending', 'sending', 'delivered', 'failed', 'cancelled'];

const INSERT_EVENT = `INSERT INTO delivery_events (tenant_id, channel_id, event_id, delivery_id)
  VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`;

export const repository = defineRepository('outbox', (db) => ({
  async createChannel(row) {
    await db.run(
      `INSERT INTO notification_channels
         (tenant_id, id, name, type, config, filters, digest_minutes, enabled, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        row.tenantId,
        row.id,
        row.name,
        row.type,
        JSON.stringify(row.config),
        JSON.stringify(row.filters),
        row.digestMinutes,
        row.enabled,
        row.createdAt,
        row.updatedAt,
      ],
    );
  },
  async getChannel(tenantId, id) {
    const r = await db.get('SELECT * FROM notification_channels WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      id,
    ]);
    return r ? toChannel(r) : undefined;
  },
  async listChannels(tenantId) {
    const rows = await db.all(
      'SELECT * FROM notification_channels WHERE tenant_id = $1 ORDER BY created_at, id',
      [tenantId],
    );
    return rows.map(toChannel);
  },
  deleteChannel(tenantId, id, at) {
    return db.atomically(async (t) => {
      const r = await t.run('DELETE FROM notification_channels WHERE tenant_id = $1 AND id = $2', [
        tenantId,
        id,
      ]);
      if (r.changes === 0) return false;
      await t.run(
        `UPDATE deliveries SET status = 'cancelled', last_error = 'channel deleted', lease_owner = NULL,
           lease_until = NULL, delivered_at = NULL, next_attempt_at = $3
         WHERE tenant_id = $1 AND channel_id = $2 AND status IN ('pending', 'sending')`,
        [tenantId, id, at],
      );
      return true;
    });
  },
  enqueue(input) {
    return db.atomically(async (t: PgDb) => {
      const { tenantId, channelId, notice } = input;
      if (input.digestKey !== undefined) {
        // Merge into the open digest for this office, if one is still waiting (never sent, not leased).
        // FOR UPDATE: a worker claiming it at the same moment either waits for this merge or wins and
        // then the row no longer matches here (lease_owner set), and a new delivery is made.
        const open = await t.get(
          `SELECT id, notices FROM deliveries
           WHERE tenant_id = $1 AND channel_id = $2 AND digest_key = $3
             AND status = 'pending' AND attempts = 0 AND lease_owner IS NULL
           ORDER BY created_at LIMIT 1 FOR UPDATE`,
          [tenantId, channelId, input.digestKey],
        );
        if (open) {
          const seen = await t.run(INSERT_EVENT, [tenantId, channelId, notice.eventId, str(open.id)]);
          if (seen.changes === 0) return undefined;
          const notices = JSON.parse(str(open.notices)) as InsightNotice[];
          notices.push(notice);
          await t.run('UPDATE deliveries SET notices = $3 WHERE tenant_id = $1 AND id = $2', [
            tenantId,
            str(open.id),
            JSON.stringify(notices),
          ]);
          return { deliveryId: str(open.id), merged: true };
        }
      }
      const seen = await t.run(INSERT_EVENT, [tenantId, channelId, notice.eventId, input.newId]);
      if (seen.changes === 0) return undefined;
      await t.run(
        `INSERT INTO deliveries (tenant_id, id, channel_id, is_test, digest_key, notices, status, attempts,
           next_attempt_at, created_at)
         VALUES ($1, $2, $3, false, $4, $5, 'pending', 0, $6, $7)`,
        [
          tenantId,
          input.newId,
          channelId,
          input.digestKey ?? null,
          JSON.stringify([notice]),
          input.digestDueAt ?? input.now,
          input.now,
        ],
      );
      return { deliveryId: input.newId, merged: false };
    });
  },
  async enqueueTest(tenantId, channelId, id, now) {
    await db.run(
      `INSERT INTO deliveries (tenant_id, id, channel_id, is_test, notices, status, attempts, next_attempt_at, created_at)
       VALUES ($1, $2, $3, true, '[]', 'pending', 0, $4, $4)`,
      [tenantId, id, channelId, now],
    );
  },
  async claim(owner, now, leaseUntil, limit) {
    const rows = await db.all(
      `UPDATE deliveries d SET status = 'sending', lease_owner = $1, lease_until = $2,
         attempts = d.attempts + 1
       FROM (
         SELECT tenant_id, id FROM deliveries
         WHERE status IN ('pending', 'sending') AND next_attempt_at <= $3
           AND (lease_until IS NULL OR lease_until <= $3)
         ORDER BY next_attempt_at LIMIT $4
         FOR UPDATE SKIP LOCKED) due
       WHERE d.tenant_id = due.tenant_id AND d.id = due.id
       RETURNING d.*`,
      [owner, leaseUntil, now, limit],
    );
    return rows.map(toDelivery);
  },
  finish(input) {
    return db.atomically(async (t) => {
      const row = await t.get(
        `SELECT attempts FROM deliveries WHERE tenant_id = $1 AND id = $2
           AND status = 'sending' AND lease_owner = $3 FOR UPDATE`,
        [input.tenantId, input.id, input.owner],
      );
      if (!row) return false;
      const status = input.outcome === 'retry' ? 'pending' : input.outcome;
      await t.run(
        `UPDATE deliveries SET status = $3, lease_owner = NULL, lease_until = NULL,
           next_attempt_at = $4, last_status_code = $5, last_error = $6, delivered_at = $7
         WHERE tenant_id = $1 AND id = $2`,
        [
          input.tenantId,
          input.id,
          status,
          input.nextAttemptAt ?? input.at,
          input.statusCode ?? null,
          input.outcome === 'delivered' ? null : input.detail,
          input.outcome === 'delivered' ? input.at : null,
        ],
      );
      await t.run(
        `INSERT INTO delivery_attempts (tenant_id, delivery_id, attempt, at, worker, ok, status_code, detail, duration_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (tenant_id, delivery_id, attempt) DO NOTHING`,
        [
          input.tenantId,
          input.id,
          num(row.attempts),
          input.at,
          input.owner,
          input.outcome === 'delivered',
          input.statusCode ?? null,
          input.detail.slice(0, 1000),
          Math.round(input.durationMs),
        ],
      );
      return true;
    });
  },
  async getDelivery(tenantId, id) {
    const r = await db.get('SELECT * FROM deliveries WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
    return r ? toDelivery(r) : undefined;
  },
  async listDeliveries(tenantId, opts) {
    const cursor = opts.cursor ? decodeCursor(opts.cursor) : undefined;
    const rows = await db.all(
      `SELECT * FROM deliveries
       WHERE tenant_id = $1
         AND ($2::text IS NULL OR channel_id = $2::text)
         AND ($3::text IS NULL OR status = $3::text)
         AND ($4::text IS NULL OR (created_at, id) < ($4::text, $5::text))
       ORDER BY created_at DESC, id DESC LIMIT $6`,
      [
        tenantId,
        opts.channelId ?? null,
        opts.status ?? null,
        cursor?.at ?? null,
        cursor?.id ?? null,
        opts.limit + 1,
      ],
    );
    const items = rows.slice(0, opts.limit).map(toDelivery);
    const last = items.at(-1);
    return rows.length > opts.limit && last
      ? { items, nextCursor: encodeCursor(last.createdAt, last.id) }
      : { items };
  },
  async listAttempts(tenantId, deliveryId) {
    const rows = await db.all(
      'SELECT * FROM delivery_attempts WHERE tenant_id = $1 AND delivery_id = $2 ORDER BY attempt',
      [tenantId, deliveryId],
    );
    return rows.map((r) => ({
      tenantId: str(r.tenant_id),
      deliveryId: str(r.delivery_id),
      attempt: num(r.attempt),
      at: str(r.at),
      worker: str(r.worker),
      ok: r.ok === true,
      statusCode: numOrNull(r.status_code),
      detail: str(r.detail),
      durationMs: num(r.duration_ms),
    }));
  },
  async countByStatus() {
    const out = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
    for (const r of await db.all('SELECT status, count(*) AS n FROM deliveries GROUP BY status'))
      out[str(r.status) as DeliveryStatus] = num(r.n);
    return out;
  },
  async nextDueAt() {
    // A leased delivery becomes claimable again only when its lease ends.
    const r = await db.get(
      `SELECT min(CASE WHEN status = 'pending' THEN next_attempt_at ELSE lease_until END) AS due
       FROM deliveries WHERE status IN ('pending', 'sending')`,
    );
    return r ? (strOrNull(r.due) ?? undefined) : undefined;
  },
  async getCursor(name) {
    // Inside a transaction (the event pump's pass) the cursor stays locked until commit, so two
    // servers' pumps take turns instead of both reading the same events.
    if (db.inTransaction) await db.run(`SELECT pg_advisory_xact_lock(${LOCK_KEY_SQL})`, [`cursor\n${name}`]);
    const r = await db.get('SELECT seq FROM outbox_cursors WHERE name = $1', [name]);
    return r ? num(r.seq) : 0;
  },
  async setCursor(name, seq, at) {
    await db.run(
      `INSERT INTO outbox_cursors (name, seq, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at`,
      [name, seq, at],
    );
  },
}));
