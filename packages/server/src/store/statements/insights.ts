/**
 * @module store/statements/insights
 * Rollups, the per-office schedule, insights and their events
 * (insights/store-contract.ts); both dialects. PostgreSQL adds locks around
 * some of them (postgres/insights-repo.ts); the retention DELETE differs
 * (SQLite deletes by rowid).
 */
import type { StoredInsight } from '../../insights/api-insight.ts';
import type { InsightKind, Severity } from '../../insights/kinds.ts';
import type { InsightFilter, OfficeSchedule } from '../../insights/store-contract.ts';
import { num, numOrNull, str, strOrNull, toEvent, toInsight } from '../row-decoders.ts';
import { exec, many, one } from '../shared/statement.ts';

const iso = (t: number) => new Date(t).toISOString();
const office = (tenantId: string, officeKey: string) => ({ tenantId, officeKey });

const BUCKET =
  'FROM insight_rollups WHERE tenant_id = $tenantId AND office_key = $officeKey AND bucket_start = $bucketStart';

/** Statements the dialects run by hand: on SQLite they are on the ingest path, on PostgreSQL they take locks. */
export const INSIGHT_SQL = {
  rollup: `SELECT data, version ${BUCKET}`,
  rollupVersion: `SELECT version ${BUCKET}`,
  putRollup: `INSERT INTO insight_rollups (tenant_id, office_key, bucket_start, data, version)
    VALUES ($tenantId, $officeKey, $bucketStart, $data, $version)
    ON CONFLICT (tenant_id, office_key, bucket_start) DO UPDATE SET data = excluded.data,
      version = excluded.version`,
  markDue: `INSERT INTO insight_offices AS o (tenant_id, office_key, due_at) VALUES ($tenantId, $officeKey, $dueAt)
    ON CONFLICT (tenant_id, office_key) DO UPDATE SET due_at =
      CASE WHEN o.due_at IS NULL OR o.due_at > excluded.due_at THEN excluded.due_at ELSE o.due_at END`,
  appendEvent: `INSERT INTO insight_events (tenant_id, insight_id, type, at, summary)
    VALUES ($tenantId, $insightId, $type, $at, $summary) RETURNING seq`,
};

const bySeq = (afterSeq: number, limit: number) => ({ afterSeq, limit });

export const INSIGHTS = {
  rollups: many(
    `SELECT bucket_start, data FROM insight_rollups
     WHERE tenant_id = $tenantId AND office_key = $officeKey AND bucket_start >= $from AND bucket_start <= $to
     ORDER BY bucket_start`,
    (tenantId: string, officeKey: string, from: string, to: string) => ({ tenantId, officeKey, from, to }),
    (r) => ({ bucketStart: str(r.bucket_start), data: str(r.data) }),
  ),
  dueOffices: many(
    `SELECT tenant_id, office_key FROM insight_offices
     WHERE due_at IS NOT NULL AND due_at <= $now ORDER BY due_at LIMIT $limit`,
    (now: string, limit: number) => ({ now, limit }),
    (r) => ({ tenantId: str(r.tenant_id), officeKey: str(r.office_key) }),
  ),
  getSchedule: one(
    'SELECT * FROM insight_offices WHERE tenant_id = $tenantId AND office_key = $officeKey',
    office,
    (r): OfficeSchedule => ({
      dueAt: strOrNull(r.due_at),
      cityKey: strOrNull(r.city_key),
      latencyMedianMs: numOrNull(r.latency_median_ms),
      throughputMbps: numOrNull(r.throughput_mbps),
      perfSamples: num(r.perf_samples),
      evaluatedAt: str(r.evaluated_at ?? ''),
    }),
  ),
  setSchedule: exec(
    `INSERT INTO insight_offices (tenant_id, office_key, due_at, city_key, latency_median_ms,
       throughput_mbps, perf_samples, evaluated_at)
     VALUES ($tenantId, $officeKey, $dueAt, $cityKey, $latencyMedianMs, $throughputMbps, $perfSamples, $evaluatedAt)
     ON CONFLICT (tenant_id, office_key) DO UPDATE SET due_at = excluded.due_at,
       city_key = excluded.city_key, latency_median_ms = excluded.latency_median_ms,
       throughput_mbps = excluded.throughput_mbps, perf_samples = excluded.perf_samples,
       evaluated_at = excluded.evaluated_at`,
    (tenantId: string, officeKey: string, s: OfficeSchedule) => ({ ...s, tenantId, officeKey }),
  ),
  // "Other users in your area": other tenants' offices only (the asking tenant's own never count),
  // and only offices that still exist (the join drops a deleted office at once; discovered locations
  // are not offices). The tenant id is returned for grouping; only aggregates leave insights/peers.ts.
  peerFigures: many(
    `SELECT f.tenant_id, f.latency_median_ms, f.throughput_mbps FROM insight_offices f
     JOIN offices o ON o.tenant_id = f.tenant_id AND o.id = f.office_key
     WHERE f.city_key = $cityKey AND f.evaluated_at >= $since AND f.perf_samples >= $minSamples
       AND f.tenant_id <> $tenantId`,
    (cityKey: string, since: string, minSamples: number, tenantId: string) => ({
      cityKey,
      since,
      minSamples,
      tenantId,
    }),
    (r) => ({
      tenantId: str(r.tenant_id),
      latencyMedianMs: numOrNull(r.latency_median_ms),
      throughputMbps: numOrNull(r.throughput_mbps),
    }),
  ),
  forOffice: many(
    'SELECT * FROM insights WHERE tenant_id = $tenantId AND office_key = $officeKey',
    office,
    toInsight,
  ),
  save: exec(
    `INSERT INTO insights (tenant_id, id, office_key, kind, status, severity, value, threshold, window_hours,
       evidence, fingerprint, first_detected_at, last_seen_at, resolved_at, updated_at)
     VALUES ($tenantId, $id, $officeKey, $kind, $status, $severity, $value, $threshold, $windowHours,
       $evidence, $fingerprint, $firstDetectedAt, $lastSeenAt, $resolvedAt, $updatedAt)
     ON CONFLICT (tenant_id, id) DO UPDATE SET status = excluded.status, severity = excluded.severity,
       value = excluded.value, threshold = excluded.threshold, window_hours = excluded.window_hours,
       evidence = excluded.evidence, fingerprint = excluded.fingerprint,
       first_detected_at = excluded.first_detected_at, last_seen_at = excluded.last_seen_at,
       resolved_at = excluded.resolved_at, updated_at = excluded.updated_at`,
    (i: StoredInsight) => ({
      ...i,
      evidence: JSON.stringify(i.evidence),
      firstDetectedAt: iso(i.firstDetectedAt),
      lastSeenAt: iso(i.lastSeenAt),
      resolvedAt: i.resolvedAt === null ? null : iso(i.resolvedAt),
      updatedAt: iso(i.updatedAt),
    }),
  ),
  get: one(
    'SELECT * FROM insights WHERE tenant_id = $tenantId AND id = $id',
    (tenantId: string, id: string) => ({ tenantId, id }),
    toInsight,
  ),
  // CAST: PostgreSQL must know a parameter's type even where it is only compared with NULL.
  list: many(
    `SELECT * FROM insights WHERE tenant_id = $tenantId
       AND (CAST($status AS TEXT) IS NULL OR status = CAST($status AS TEXT))
       AND (CAST($kind AS TEXT) IS NULL OR kind = CAST($kind AS TEXT))
       AND (CAST($officeKey AS TEXT) IS NULL OR office_key = CAST($officeKey AS TEXT))
     ORDER BY status = 'active' DESC, updated_at DESC, id`,
    (tenantId: string, filter: InsightFilter) => ({
      tenantId,
      status: filter.status ?? null,
      kind: filter.kind ?? null,
      officeKey: filter.officeKey ?? null,
    }),
    toInsight,
  ),
  events: many(
    'SELECT * FROM insight_events WHERE tenant_id = $tenantId AND insight_id = $insightId ORDER BY seq',
    (tenantId: string, insightId: string) => ({ tenantId, insightId }),
    toEvent,
  ),
  eventsAfter: many(
    'SELECT * FROM insight_events WHERE seq > $afterSeq ORDER BY seq LIMIT $limit',
    bySeq,
    toEvent,
  ),
  activeList: many(
    `SELECT id, kind, office_key, severity FROM insights
     WHERE tenant_id = $tenantId AND status = 'active' ORDER BY office_key, kind`,
    (tenantId: string) => ({ tenantId }),
    (r) => ({
      id: str(r.id),
      kind: str(r.kind) as InsightKind,
      officeKey: str(r.office_key),
      severity: str(r.severity) as Severity,
    }),
  ),
};

/** The `$name` values of `appendEvent`. */
export const eventParams = (
  tenantId: string,
  insightId: string,
  e: { type: string; at: string; summary: string },
) => ({
  tenantId,
  insightId,
  type: e.type,
  at: e.at,
  summary: e.summary,
});
