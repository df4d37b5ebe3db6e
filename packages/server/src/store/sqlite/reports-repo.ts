/** @module store/sqlite/reports-repo — raw reports as received (LZ4-compressed: report-body.ts), one row per (tenant, reportId). */
import type { OfficeActivity, Page, ReportMeta } from '../contract.ts';
import { toMeta } from '../row-decoders.ts';
import { decodeCursor, encodeCursor, num, str, strOrNull } from './db.ts';
import { decodeReportBody, encodeReportBody } from './report-body.ts';
import { defineRepository } from './repository.ts';

const META = `tenant_id, id, received_at, office_id, discovered_id, device_id, egress_ip,
  checks, failures, failure_codes`;

export const repository = defineRepository('reports', (db) => ({
  insert(r) {
    const { changes } = db.run(
      `INSERT INTO reports (tenant_id, id, received_at, office_id, discovered_id, device_id, egress_ip,
         checks, failures, failure_codes, body)
       VALUES ($tenantId, $id, $receivedAt, $officeId, $discoveredId, $deviceId, $egressIp,
         $checks, $failures, $failureCodes, $body)
       ON CONFLICT (tenant_id, id) DO NOTHING`,
      { ...r, failureCodes: JSON.stringify(r.failureCodes), body: encodeReportBody(r.body, r.bodyUtf8) },
    );
    return { inserted: changes > 0 };
  },
  get(tenantId, id) {
    const r = db.get('SELECT * FROM reports WHERE tenant_id = $tenantId AND id = $id', { tenantId, id });
    return r && { ...toMeta(r), body: decodeReportBody(r.body) };
  },
  getMeta(tenantId, id) {
    const r = db.get(`SELECT ${META} FROM reports WHERE tenant_id = $tenantId AND id = $id`, {
      tenantId,
      id,
    });
    return r && toMeta(r);
  },
  list(tenantId, { officeId, cursor, limit }): Page<ReportMeta> {
    const c = cursor ? decodeCursor(cursor) : undefined;
    const where = ['tenant_id = $tenantId'];
    const p: Record<string, string | number> = { tenantId, limit: limit + 1 };
    if (officeId !== undefined) {
      where.push('office_id = $officeId');
      p.officeId = officeId;
    }
    if (c) {
      where.push('(received_at, id) < ($at, $id)');
      p.at = c.at;
      p.id = c.id;
    }
    const rows = db.all(
      `SELECT ${META} FROM reports WHERE ${where.join(' AND ')}
       ORDER BY received_at DESC, id DESC LIMIT $limit`,
      p,
    );
    const items = rows.slice(0, limit).map(toMeta);
    const last = items[items.length - 1];
    return rows.length > limit && last
      ? { items, nextCursor: encodeCursor(last.receivedAt, last.id) }
      : { items };
  },
  activitySince(tenantId, since): OfficeActivity[] {
    return db
      .all(
        `SELECT office_id, count(*) AS reports, count(DISTINCT device_id) AS devices,
           max(received_at) AS last_report_at
         FROM reports WHERE tenant_id = $tenantId AND received_at >= $since AND office_id IS NOT NULL
         GROUP BY office_id`,
        { tenantId, since },
      )
      .map((r) => ({
        officeId: str(r.office_id),
        reports: num(r.reports),
        devices: num(r.devices),
        lastReportAt: strOrNull(r.last_report_at),
      }));
  },
  countSince(tenantId, since) {
    const r = db.get(
      `SELECT count(*) AS reports, count(DISTINCT device_id) AS devices
       FROM reports WHERE tenant_id = $tenantId AND received_at >= $since`,
      { tenantId, since },
    );
    return { reports: num(r?.reports), devices: num(r?.devices) };
  },
  lastReportPerOffice(tenantId) {
    return db
      .all(
        `SELECT office_id, max(received_at) AS at FROM reports
         WHERE tenant_id = $tenantId AND office_id IS NOT NULL GROUP BY office_id`,
        { tenantId },
      )
      .map((r) => ({ officeId: str(r.office_id), at: str(r.at) }));
  },
  reassignDiscovered(tenantId, discoveredId, officeId) {
    return db.run(
      `UPDATE reports SET office_id = $officeId
       WHERE tenant_id = $tenantId AND discovered_id = $discoveredId AND office_id IS NULL`,
      { tenantId, discoveredId, officeId },
    ).changes;
  },
  purgeOlderThan(cutoff, limit) {
    return db.run(
      `DELETE FROM reports WHERE rowid IN
         (SELECT rowid FROM reports WHERE received_at < $cutoff LIMIT $limit)`,
      { cutoff, limit },
    ).changes;
  },
}));
