/**
 * @module store/postgres/reports-repo
 * Raw reports on PostgreSQL (store/statements/reports.ts), the body as text
 * (PostgreSQL compresses it itself, TOAST).
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
import { str, toMeta } from '../row-decoders.ts';
import { pageOf } from '../shared/cursor.ts';
import { insertParams, REPORT_SQL, REPORTS, reportKey, reportsPage } from '../statements/reports.ts';
import { defineRepository } from './repository.ts';

const PURGE = `DELETE FROM reports WHERE (tenant_id, id) IN
  (SELECT tenant_id, id FROM reports WHERE received_at < $cutoff LIMIT $limit)`;

export const repository = defineRepository('reports', (db) => ({
  ...db.bind(REPORTS),
  async insert(r) {
    // A concurrent insert of the same id by another server waits for that
    // transaction and then does nothing: the report is stored once.
    const { changes } = await db.run(REPORT_SQL.insert, insertParams(r, r.body));
    return { inserted: changes > 0 };
  },
  async get(tenantId, id) {
    const r = await db.get(REPORT_SQL.get, { tenantId, id });
    return r && { ...toMeta(r), body: str(r.body) };
  },
  async getMeta(tenantId, id) {
    if (db.inTransaction) await db.lockUntilCommit('report', tenantId, id);
    const r = await db.get(REPORT_SQL.getMeta, { tenantId, id });
    return r && toMeta(r);
  },
  async list(tenantId, opts) {
    const [sql, params] = reportsPage(tenantId, opts);
    return pageOf(await db.all(sql, params), opts.limit, toMeta, reportKey);
  },
  async purgeOlderThan(cutoff, limit) {
    return (await db.run(PURGE, { cutoff, limit })).changes;
  },
}));
