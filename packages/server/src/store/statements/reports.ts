/**
 * @module store/statements/reports
 * Raw reports, one row per (tenant, reportId); both dialects. The body
 * column differs (SQLite: LZ4 BLOB, PostgreSQL: text it compresses itself),
 * so each dialect fills and reads `$body`; the retention DELETE differs
 * (SQLite deletes by rowid).
 */
import type { ReportFilter, ReportMeta, ReportRow } from '../contract.ts';
import { num, str, strOrNull } from '../row-decoders.ts';
import { decodeCursor } from '../shared/cursor.ts';
import { changes, first, many, type Params } from '../shared/statement.ts';

const META = `tenant_id, id, received_at, office_id, discovered_id, device_id, egress_ip,
  checks, failures, failure_codes`;

/** Statements each dialect runs with its own parameters or locks around them. */
export const REPORT_SQL = {
  /** A duplicate (tenant, id) inserts nothing: `changes` 0. */
  insert: `INSERT INTO reports (tenant_id, id, received_at, office_id, discovered_id, device_id, egress_ip,
      checks, failures, failure_codes, body)
    VALUES ($tenantId, $id, $receivedAt, $officeId, $discoveredId, $deviceId, $egressIp,
      $checks, $failures, $failureCodes, $body)
    ON CONFLICT (tenant_id, id) DO NOTHING`,
  get: 'SELECT * FROM reports WHERE tenant_id = $tenantId AND id = $id',
  getMeta: `SELECT ${META} FROM reports WHERE tenant_id = $tenantId AND id = $id`,
};

/** The `$name` values of the insert, with the dialect's stored form of the body. */
export const insertParams = (r: ReportRow, body: unknown) => ({
  ...r,
  failureCodes: JSON.stringify(r.failureCodes),
  body,
});

/** The SQL condition of each filter field: a fixed text per field, so the statements stay a small set. */
const FILTER_SQL: Record<keyof ReportFilter, (f: ReportFilter) => string> = {
  officeId: () => 'AND office_id = $officeId',
  deviceId: () => 'AND device_id = $deviceId',
  result: (f) => (f.result === 'failed' ? 'AND failures > 0' : 'AND failures = 0'),
  since: () => 'AND received_at >= $since',
  until: () => 'AND received_at < $until',
};

/** The page query of `reports.list` (newest first; one row more than `limit` tells that more follow). */
export function reportsPage(
  tenantId: string,
  opts: ReportFilter & { cursor?: string; limit: number },
): [string, Params] {
  const c = opts.cursor ? decodeCursor(opts.cursor) : undefined;
  const where = (Object.keys(FILTER_SQL) as Array<keyof ReportFilter>)
    .filter((k) => opts[k] !== undefined)
    .map((k) => FILTER_SQL[k](opts));
  const sql = `SELECT ${META} FROM reports WHERE tenant_id = $tenantId ${where.join(' ')}
      ${c ? 'AND (received_at, id) < ($at, $id)' : ''}
      ORDER BY received_at DESC, id DESC LIMIT $limit`;
  const params: Params = { tenantId, limit: opts.limit + 1 };
  for (const k of ['officeId', 'deviceId', 'since', 'until'] as const)
    if (opts[k] !== undefined) params[k] = opts[k];
  if (c) Object.assign(params, { at: c.at, id: c.id });
  return [sql, params];
}

/** Where the next page starts after `m`. */
export const reportKey = (m: ReportMeta) => ({ at: m.receivedAt, id: m.id });

const since = (tenantId: string, since: string) => ({ tenantId, since });

export const REPORTS = {
  activitySince: many(
    `SELECT office_id, count(*) AS reports, count(DISTINCT device_id) AS devices,
       max(received_at) AS last_report_at
     FROM reports WHERE tenant_id = $tenantId AND received_at >= $since AND office_id IS NOT NULL
     GROUP BY office_id`,
    since,
    (r) => ({
      officeId: str(r.office_id),
      reports: num(r.reports),
      devices: num(r.devices),
      lastReportAt: strOrNull(r.last_report_at),
    }),
  ),
  countSince: first(
    `SELECT count(*) AS reports, count(DISTINCT device_id) AS devices
     FROM reports WHERE tenant_id = $tenantId AND received_at >= $since`,
    since,
    (r) => ({ reports: num(r?.reports), devices: num(r?.devices) }),
  ),
  lastReportPerOffice: many(
    `SELECT office_id, max(received_at) AS at FROM reports
     WHERE tenant_id = $tenantId AND office_id IS NOT NULL GROUP BY office_id`,
    (tenantId: string) => ({ tenantId }),
    (r) => ({ officeId: str(r.office_id), at: str(r.at) }),
  ),
  reassignDiscovered: changes(
    `UPDATE reports SET office_id = $officeId
     WHERE tenant_id = $tenantId AND discovered_id = $discoveredId AND office_id IS NULL`,
    (tenantId: string, discoveredId: string, officeId: string) => ({ tenantId, discoveredId, officeId }),
  ),
};
