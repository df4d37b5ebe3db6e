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
 *
 * The table is partitioned by day of receipt (migration 003,
 * report-partitions.ts), so its primary key holds `received_at` and an
 * `ON CONFLICT` no longer catches a re-sent copy received at another time:
 * `insert` calls `report_insert`, which takes the same lock, looks for the
 * id in the partitions it can be in, and inserts — one round trip.
 */
import type { ReportRow } from '../contract.ts';
import { str, toMeta } from '../row-decoders.ts';
import { pageOf } from '../shared/cursor.ts';
import { insertParams, REPORT_SQL, REPORTS, reportKey, reportsPage } from '../statements/reports.ts';
import { firstCopyNotBefore, prepareReportPartitions, purgeReports } from './report-partitions.ts';
import { defineRepository } from './repository.ts';

const INSERT = `SELECT report_insert($tenantId, $id, $receivedAt, $officeId, $discoveredId, $deviceId,
  $egressIp, $checks, $failures, $failureCodes, $body, $since) AS inserted`;

/**
 * One tenant's reports of a group commit in one statement: the columns as
 * arrays, one `report_insert` per row in order (a later copy of an id in the
 * same batch sees the earlier one: each call's statements see what the
 * previous calls wrote). The tenant is one parameter, not a column, so on
 * Citus (distributed by tenant_id) the statement and every insert it makes
 * go to that tenant's shard. Prepared once, whatever the batch size.
 *
 * The bodies travel as their UTF-8 bytes, end to end in one `bytea`
 * parameter sent in binary (pg sends a Buffer so), cut by offset and length:
 * as a text array each body was escaped for the array literal (every `"` of
 * the JSON) and encoded again, which cost the collector more than the rest
 * of the statement (profile of bench/postgres.bench.ts, ARCHITECTURE.md).
 * `convert_from` checks the bytes are UTF-8, as a text parameter would.
 */
const INSERT_MANY = `SELECT u.n, report_insert($tenantId, u.id, u.received_at, u.office_id, u.discovered_id,
    u.device_id, u.egress_ip, u.checks, u.failures, u.failure_codes,
    convert_from(substring($bodies::bytea FROM u.body_from FOR u.body_length), 'UTF8'), u.since) AS inserted
  FROM unnest($ids::text[], $receivedAts::text[], $officeIds::text[],
    $discoveredIds::text[], $deviceIds::text[], $egressIps::text[], $checks::integer[],
    $failures::integer[], $failureCodes::text[], $bodyFroms::integer[], $bodyLengths::integer[], $sinces::text[])
    WITH ORDINALITY AS u(id, received_at, office_id, discovered_id, device_id, egress_ip,
      checks, failures, failure_codes, body_from, body_length, since, n)
  ORDER BY u.n`;

/** The rows' bodies as UTF-8 bytes end to end, and where each starts (1-based, as SQL substring counts) and how long it is. */
function packBodies(rows: Row[]): { bodies: Buffer; froms: number[]; lengths: number[] } {
  const parts = rows.map((r) =>
    r.bodyUtf8
      ? Buffer.from(r.bodyUtf8.buffer, r.bodyUtf8.byteOffset, r.bodyUtf8.byteLength)
      : Buffer.from(r.body, 'utf8'),
  );
  const froms: number[] = [];
  let at = 1;
  for (const p of parts) {
    froms.push(at);
    at += p.length;
  }
  return { bodies: Buffer.concat(parts), froms, lengths: parts.map((p) => p.length) };
}

type Row = ReportRow & { bodyUtf8?: Uint8Array };

/** The positions of `rows` by tenant, tenants in sorted order (the same lock order on every server). */
function byTenant(rows: Row[]): Array<[string, number[]]> {
  const groups = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const g = groups.get(r.tenantId);
    if (g) g.push(i);
    else groups.set(r.tenantId, [i]);
  });
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export const repository = defineRepository('reports', (db) => ({
  ...db.bind(REPORTS),
  async insert(r) {
    // A concurrent insert of the same id by another server waits for that
    // transaction and then does nothing: the report is stored once.
    const since = firstCopyNotBefore(r.id, r.receivedAt);
    const row = await db.get(INSERT, { ...insertParams(r, r.body), since });
    return { inserted: row?.inserted === true };
  },
  async insertMany(rows) {
    const inserted = new Array<boolean>(rows.length).fill(false);
    for (const [tenantId, at] of byTenant(rows)) {
      const mine = at.map((i) => rows[i]!);
      const col = <T>(f: (r: Row) => T) => mine.map(f);
      const { bodies, froms, lengths } = packBodies(mine);
      const out = await db.all(INSERT_MANY, {
        tenantId,
        ids: col((r) => r.id),
        receivedAts: col((r) => r.receivedAt),
        officeIds: col((r) => r.officeId),
        discoveredIds: col((r) => r.discoveredId),
        deviceIds: col((r) => r.deviceId),
        egressIps: col((r) => r.egressIp),
        checks: col((r) => r.checks),
        failures: col((r) => r.failures),
        failureCodes: col((r) => JSON.stringify(r.failureCodes)),
        bodies,
        bodyFroms: froms,
        bodyLengths: lengths,
        sinces: col((r) => firstCopyNotBefore(r.id, r.receivedAt) ?? null),
      });
      // Rows come back in `n` order (1-based positions within this tenant's arrays).
      out.forEach((r, k) => {
        inserted[at[k]!] = r.inserted === true;
      });
    }
    return inserted;
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
    return purgeReports(db, cutoff, limit);
  },
  async prepareAhead(now) {
    await prepareReportPartitions(db, now);
  },
}));
