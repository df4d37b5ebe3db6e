/**
 * @module store/sqlite/reports-repo
 * Raw reports on SQLite (store/statements/reports.ts), the body LZ4-compressed
 * (report-body.ts). `insert` and `getMeta` are on the ingest path and call the
 * connection directly; retention deletes by rowid.
 */
import type { ReportMeta } from '../contract.ts';
import { toMeta } from '../row-decoders.ts';
import { pageOf } from '../shared/cursor.ts';
import { insertParams, REPORT_SQL, REPORTS, reportKey, reportsPage } from '../statements/reports.ts';
import type { Params } from './db.ts';
import { decodeReportBody, encodeReportBody } from './report-body.ts';
import { defineRepository } from './repository.ts';

const PURGE = `DELETE FROM reports WHERE rowid IN
  (SELECT rowid FROM reports WHERE received_at < $cutoff LIMIT $limit)`;

export const repository = defineRepository('reports', (db) => ({
  ...db.bind(REPORTS),
  insert(r) {
    const { changes } = db.run(
      REPORT_SQL.insert,
      insertParams(r, encodeReportBody(r.body, r.bodyUtf8)) as Params,
    );
    return { inserted: changes > 0 };
  },
  get(tenantId, id) {
    const r = db.get(REPORT_SQL.get, { tenantId, id });
    return r && { ...toMeta(r), body: decodeReportBody(r.body) };
  },
  getMeta(tenantId, id) {
    const r = db.get(REPORT_SQL.getMeta, { tenantId, id });
    return r && toMeta(r);
  },
  list(tenantId, opts) {
    const [sql, params] = reportsPage(tenantId, opts);
    return pageOf<Record<string, unknown>, ReportMeta>(
      db.all(sql, params as Params),
      opts.limit,
      toMeta,
      reportKey,
    );
  },
  purgeOlderThan(cutoff, limit) {
    return db.run(PURGE, { cutoff, limit }).changes;
  },
}));
