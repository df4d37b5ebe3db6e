import type { InsightKind, Severity } from '../../insights/kinds.ts';
import { toEvent, toInsight } from '../row-decoders.ts';
import { LOCK_KEY_SQL, num, numOrNull, type PgDb, type Row, str, strOrNull } from './db.ts';
import { defineRepository } from './repository.ts';

const _ms = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();

/** Holds the advisory lock named by `parts` until the current transaction ends. */
async function lockUntilCommit(db: PgDb, ...parts: string[]): Promise<void> {
  await db.run(`SELECT pg_advisory_xact_lock(${LOCK_KEY_SQL})`, [parts.join('\n')]);
}

/**
 * Reads one rollup bucket; inside a transaction, locks it until commit (see
 * the module comment): the row with FOR UPDATE or, while there is no row,
 * the right to create it (advisory lock, then the locked read again).
 */
async function readBucket(
  db: PgDb,
  columns: 'version' | 'data, version',
  tenantId: string,
  officeKey: string,
  bucketStart: string,
): Promise<Row | undefined> {
  const key = [tenantId, officeKey, bucketStart];
  const select = `SELECT ${columns} FROM insight_rollups
    WHERE tenant_id = $1 AND office_key = $2 AND bucket_start = $3`;
  if (!db.inTransaction) return db.get(select, key);
  const found = await db.get(`${select} FOR UPDATE`, key);
  if (found) return found;
  await lockUntilCommit(db, 'rollup', ...key);
  return db.get(`${select} FOR UPDATE`, key);
}

const INSERT_EVENT = `INSERT INTO insight_events (tenant_id, insight_id, type, at, summary)
  VALUES ($1, $2, $3, $4, $5) RETURNING seq`;

export const repository = defineRepository('insights', (db) => ({
  async getRollup(tenantId, officeKey, bucketStart) {
    const r = await readBucket(db, 'data, version', tenantId, officeKey, bucketStart);
    return r ? { data: str(r.data), version: str(r.version) } : undefined;
  },

  async rollupVersion(tenantId, officeKey, bucketStart) {
    // The engine's cached read-modify-write starts here, so it locks like getRollup.
    const r = await readBucket(db, 'version', tenantId, officeKey, bucketStart);
    return r ? str(r.version) : undefined;
  },

  async putRollup(tenantId, officeKey, bucketStart, data, version) {
    await db.run(
      `INSERT INTO insight_rollups (tenant_id, office_key, bucket_start, data, version)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, office_key, bucket_start) DO UPDATE SET data = excluded.data,
         version = excluded.version`,
      [tenantId, officeKey, bucketStart, data, version],
    );
  },

  async rollups(tenantId, officeKey, from, to) {
    // Evaluation reads the window here first: holding the office's schedule row from now to
    // COMMIT makes a concurrent ingest's markDue wait, so the "due again" it sets for data
    // this evaluation did not see is not overwritten by the evaluation's setSchedule.
    if (db.inTransaction)
      await db.run('SELECT 1 FROM insight_offices WHERE tenant_id = $1 AND office_key = $2 FOR UPDATE', [
        tenantId,
        officeKey,
      ]);
    const rows = await db.all(
      `SELECT bucket_start, data FROM insight_rollups
       WHERE tenant_id = $1 AND office_key = $2 AND bucket_start >= $3 AND bucket_start <= $4
       ORDER BY bucket_start`,
      [tenantId, officeKey, from, to],
    );
    return rows.map((r) => ({ bucketStart: str(r.bucket_start), data: str(r.data) }));
  },

  async markDue(tenantId, officeKey, dueAt) {
    await db.run(
      `INSERT INTO insight_offices AS o (tenant_id, office_key, due_at) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, office_key) DO UPDATE SET due_at =
         CASE WHEN o.due_at IS NULL OR o.due_at > excluded.due_at THEN excluded.due_at ELSE o.due_at END`,
      [tenantId, officeKey, dueAt],
    );
  },

  async dueOffices(now, limit) {
    const rows = await db.all(
      `SELECT tenant_id, office_key FROM insight_offices
       WHERE due_at IS NOT NULL AND due_at <= $1 ORDER BY due_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => ({ tenantId: str(r.tenant_id), officeKey: str(r.office_key) }));
  },

  async getSchedule(tenantId, officeKey) {
    const r = await db.get('SELECT * FROM insight_offices WHERE tenant_id = $1 AND office_key = $2', [
      tenantId,
      officeKey,
    ]);
    if (!r) return undefined;
    return {
      dueAt: strOrNull(r.due_at),
      cityKey: strOrNull(r.city_key),
      latencyMedianMs: numOrNull(r.latency_median_ms),
      throughputMbps: numOrNull(r.throughput_mbps),
      perfSamples: num(r.perf_samples),
      evaluatedAt: str(r.evaluated_at ?? ''),
    };
  },

  async setSchedule(tenantId, officeKey, s) {
    await db.run(
      `INSERT INTO insight_offices (tenant_id, office_key, due_at, city_key, latency_median_ms,
         throughput_mbps, perf_samples, evaluated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (tenant_id, office_key) DO UPDATE SET due_at = excluded.due_at,
         city_key = excluded.city_key, latency_median_ms = excluded.latency_median_ms,
         throughput_mbps = excluded.throughput_mbps, perf_samples = excluded.perf_samples,
         evaluated_at = excluded.evaluated_at`,
      [
        tenantId,
        officeKey,
        s.dueAt,
        s.cityKey,
        s.latencyMedianMs,
        s.throughputMbps,
        s.perfSamples,
        s.evaluatedAt,
      ],
    );
  },

  async peerFigures(cityKey, since, minSamples, exclude) {
    // Instance-wide by design ("other users in your area"); returns figures only.
    const rows = await db.all(
      `SELECT latency_median_ms, throughput_mbps FROM insight_offices
       WHERE city_key = $1 AND evaluated_at >= $2 AND perf_samples >= $3
         AND NOT (tenant_id = $4 AND office_key = $5)`,
      [cityKey, since, minSamples, exclude.tenantId, exclude.officeKey],
    );
    return rows.map((r) => ({
      latencyMedianMs: numOrNull(r.latency_median_ms),
      throughputMbps: numOrNull(r.throughput_mbps),
    }));
  },

  async forOffice(tenantId, officeKey) {
    if (db.inTransaction) await lockUntilCommit(db, 'insights', tenantId, officeKey);
    const rows = await db.all('SELECT * FROM insights WHERE tenant_id = $1 AND office_key = $2', [
      tenantId,
      officeKey,
    ]);
    return rows.map(toInsight);
  },

  async save(i) {
    await db.run(
      `INSERT INTO insights (tenant_id, id, office_key, kind, status, severity, value, threshold, window_hours,
         evidence, fingerprint, first_detected_at, last_seen_at, resolved_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (tenant_id, id) DO UPDATE SET status = excluded.status, severity = excluded.severity,
         value = excluded.value, threshold = excluded.threshold, window_hours = excluded.window_hours,
         evidence = excluded.evidence, fingerprint = excluded.fingerprint,
         first_detected_at = excluded.first_detected_at, last_seen_at = excluded.last_seen_at,
         resolved_at = excluded.resolved_at, updated_at = excluded.updated_at`,
      [
        i.tenantId,
        i.id,
        i.officeKey,
        i.kind,
        i.status,
        i.severity,
        i.value,
        i.threshold,
        i.windowHours,
        JSON.stringify(i.evidence),
        i.fingerprint,
        iso(i.firstDetectedAt),
        iso(i.lastSeenAt),
        i.resolvedAt === null ? null : iso(i.resolvedAt),
        iso(i.updatedAt),
      ],
    );
  },

  async appendEvent(tenantId, insightId, e) {
    const write = async (t: PgDb) => {
      await lockUntilCommit(t, 'insight-events');
      return num((await t.get(INSERT_EVENT, [tenantId, insightId, e.type, e.at, e.summary]))?.seq);
    };
    return db.inTransaction ? write(db) : db.atomically(write);
  },

  async get(tenantId, id) {
    const r = await db.get('SELECT * FROM insights WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
    return r && toInsight(r);
  },

  async list(tenantId, filter) {
    const rows = await db.all(
      `SELECT * FROM insights WHERE tenant_id = $1
         AND ($2::text IS NULL OR status = $2::text)
         AND ($3::text IS NULL OR kind = $3::text)
         AND ($4::text IS NULL OR office_key = $4::text)
       ORDER BY status = 'active' DESC, updated_at DESC, id`,
      [tenantId, filter.status ?? null, filter.kind ?? null, filter.officeKey ?? null],
    );
    return rows.map(toInsight);
  },

  async events(tenantId, insightId) {
    const rows = await db.all(
      'SELECT * FROM insight_events WHERE tenant_id = $1 AND insight_id = $2 ORDER BY seq',
      [tenantId, insightId],
    );
    return rows.map(toEvent);
  },

  async eventsAfter(afterSeq, limit) {
    const rows = await db.all('SELECT * FROM insight_events WHERE seq > $1 ORDER BY seq LIMIT $2', [
      afterSeq,
      limit,
    ]);
    return rows.map(toEvent);
  },

  async activeList(tenantId) {
    const rows = await db.all(
      `SELECT id, kind, office_key, severity FROM insights
       WHERE tenant_id = $1 AND status = 'active' ORDER BY office_key, kind`,
      [tenantId],
    );
    return rows.map((r) => ({
      id: str(r.id),
      kind: str(r.kind) as InsightKind,
      officeKey: str(r.office_key),
      severity: str(r.severity) as Severity,
    }));
  },

  async purgeRollupsBefore(cutoff, limit) {
    const r = await db.run(
      `DELETE FROM insight_rollups WHERE (tenant_id, office_key, bucket_start) IN
         (SELECT tenant_id, office_key, bucket_start FROM insight_rollups WHERE bucket_start < $1 LIMIT $2)`,
      [cutoff, limit],
    );
    return r.changes;
  },
}));
