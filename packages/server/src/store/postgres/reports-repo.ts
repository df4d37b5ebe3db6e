/**
 * @module store/postgres/reports-repo
 * Raw reports as received, one row per (tenant, reportId).
 *
 * Ingest asks `getMeta` whether a report is already stored and, if not,
 * stores it and folds it into the insight rollup, all in one transaction. On
 * SQLite nothing can come between the question and the insert (one writer).
 * Here two servers can receive the same report at the same moment, so
 * `getMeta` inside a transaction first locks that report id until commit:
 * the second server waits for the first one's commit and then sees the
 * report — a duplicate, not counted again. Outside a transaction (API reads)
 * it takes no lock.
 */
import type { OfficeActivity, Page, ReportMeta } from '../contract.ts';
import { toMeta } from '../row-decoders.ts';
import { decodeCursor, encodeCursor } from '../sqlite/db.ts';
import { LOCK_KEY_SQL, num, str, strOrNull } from './db.ts';
import { defineRepository } from './repository.ts';

const META = `tenant_id, id, received_at, office_id, discovered_id, device_id, egress_ip,
  checks, failures, failure_codes`;

export const repository = defineRepository('reports', (db) => ({
  async insert(r) {
    // A concurrent insert of the same id by another server waits for that
    // transaction and then does nothing: the report is stored once.
    const { changes } = await db.run(
      `INSERT INTO reports (tenant_id, id, received_at, office_id, discovered_id, device_id, egress_ip,
         checks, failures, failure_codes, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (tenant_id, id) DO NOTHING`,
      [
        r.tenantId,
        r.id,
        r.receivedAt,
        r.officeId,
        r.discoveredId,
        r.deviceId,
        r.egressIp,
        r.checks,
        r.failures,
        JSON.stringify(r.failureCodes),
        r.body,
      ],
    );
    return { inserted: changes > 0 };
  },
  async get(tenantId, id) {
    const r = await db.get('SELECT * FROM reports WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
    return r && { ...toMeta(r), body: str(r.body) };
  },
  async getMeta(tenantId, id) {
    if (db.inTransaction)
      await db.run(`SELECT pg_advisory_xact_lock(${LOCK_KEY_SQL})`, [`report\n${tenantId}\n${id}`]);
    const r = await db.get(`SELECT ${META} FROM reports WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    return r && toMeta(r);
  },
  async list(tenantId, { officeId, cursor, limit }): Promise<Page<ReportMeta>> {
    const c = cursor ? decodeCursor(cursor) : undefined;
    const where = ['tenant_id = $1'];
    const p: unknown[] = [tenantId];
    if (officeId !== undefined) {
      p.push(officeId);
      where.push(`office_id = $${p.length}`);
    }
    if (c) {
      p.push(c.at, c.id);
      where.push(`(received_at, id) < ($${p.length - 1}, $${p.length})`);
    }
    p.push(limit + 1);
    const rows = await db.all(
      `SELECT ${META} FROM reports WHERE ${where.join(' AND ')}
       ORDER BY received_at DESC, id DESC LIMIT $${p.length}`,
      p,
    );
    const items = rows.slice(0, limit).map(toMeta);
    const last = items[items.length - 1];
    return rows.length > limit && last
      ? { items, nextCursor: encodeCursor(last.receivedAt, last.id) }
      : { items };
  },
  async activitySince(tenantId, since): Promise<OfficeActivity[]> {
    const rows = await db.all(
      `SELECT office_id, count(*) AS reports, count(DISTINCT device_id) AS devices,
         max(received_at) AS last_report_at
       FROM reports WHERE tenant_id = $1 AND received_at >= $2 AND office_id IS NOT NULL
       GROUP BY office_id`,
      [tenantId, since],
    );
    return rows.map((r) => ({
      officeId: str(r.office_id),
      reports: num(r.reports),
      devices: num(r.devices),
      lastReportAt: strOrNull(r.last_report_at),
    }));
  },
  async lastReportPerOffice(tenantId) {
    const rows = await db.all(
      `SELECT office_id, max(received_at) AS at FROM reports
       WHERE tenant_id = $1 AND office_id IS NOT NULL GROUP BY office_id`,
      [tenantId],
    );
    return rows.map((r) => ({ officeId: str(r.office_id), at: str(r.at) }));
  },
  async countSince(tenantId, since) {
    const r = await db.get(
      `SELECT count(*) AS reports, count(DISTINCT device_id) AS devices
       FROM reports WHERE tenant_id = $1 AND received_at >= $2`,
      [tenantId, since],
    );
    return { reports: num(r?.reports), devices: num(r?.devices) };
  },
  async reassignDiscovered(tenantId, discoveredId, officeId) {
    const r = await db.run(
      `UPDATE reports SET office_id = $3
       WHERE tenant_id = $1 AND discovered_id = $2 AND office_id IS NULL`,
      [tenantId, discoveredId, officeId],
    );
    return r.changes;
  },
  async purgeOlderThan(cutoff, limit) {
    const r = await db.run(
      `DELETE FROM reports WHERE (tenant_id, id) IN
         (SELECT tenant_id, id FROM reports WHERE received_at < $1 LIMIT $2)`,
      [cutoff, limit],
    );
    return r.changes;
  },
}));
