import type { InsightKind, Severity } from '../../insights/kinds.ts';
import { toEvent, toInsight } from '../row-decoders.ts';
import { num, numOrNull, str, strOrNull } from './db.ts';
import { defineRepository } from './repository.ts';

const _ms = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();

export const repository = defineRepository('insights', (db) => ({
  getRollup(tenantId, officeKey, bucketStart) {
    const r = db.get(
      `SELECT data, version FROM insight_rollups
       WHERE tenant_id = $tenantId AND office_key = $officeKey AND bucket_start = $bucketStart`,
      { tenantId, officeKey, bucketStart },
    );
    return r ? { data: str(r.data), version: str(r.version) } : undefined;
  },

  rollupVersion(tenantId, officeKey, bucketStart) {
    const r = db.get(
      `SELECT version FROM insight_rollups
       WHERE tenant_id = $tenantId AND office_key = $officeKey AND bucket_start = $bucketStart`,
      { tenantId, officeKey, bucketStart },
    );
    return r ? str(r.version) : undefined;
  },

  putRollup(tenantId, officeKey, bucketStart, data, version) {
    db.run(
      `INSERT INTO insight_rollups (tenant_id, office_key, bucket_start, data, version)
       VALUES ($tenantId, $officeKey, $bucketStart, $data, $version)
       ON CONFLICT (tenant_id, office_key, bucket_start) DO UPDATE SET data = excluded.data,
         version = excluded.version`,
      { tenantId, officeKey, bucketStart, data, version },
    );
  },

  rollups(tenantId, officeKey, from, to) {
    return db
      .all(
        `SELECT bucket_start, data FROM insight_rollups
         WHERE tenant_id = $tenantId AND office_key = $officeKey
           AND bucket_start >= $from AND bucket_start <= $to
         ORDER BY bucket_start`,
        { tenantId, officeKey, from, to },
      )
      .map((r) => ({ bucketStart: str(r.bucket_start), data: str(r.data) }));
  },

  markDue(tenantId, officeKey, dueAt) {
    db.run(
      `INSERT INTO insight_offices (tenant_id, office_key, due_at) VALUES ($tenantId, $officeKey, $dueAt)
       ON CONFLICT (tenant_id, office_key) DO UPDATE SET due_at =
         CASE WHEN insight_offices.due_at IS NULL OR insight_offices.due_at > excluded.due_at
              THEN excluded.due_at ELSE insight_offices.due_at END`,
      { tenantId, officeKey, dueAt },
    );
  },

  dueOffices(now, limit) {
    return db
      .all(
        `SELECT tenant_id, office_key FROM insight_offices
         WHERE due_at IS NOT NULL AND due_at <= $now ORDER BY due_at LIMIT $limit`,
        { now, limit },
      )
      .map((r) => ({ tenantId: str(r.tenant_id), officeKey: str(r.office_key) }));
  },

  getSchedule(tenantId, officeKey) {
    const r = db.get(
      'SELECT * FROM insight_offices WHERE tenant_id = $tenantId AND office_key = $officeKey',
      {
        tenantId,
        officeKey,
      },
    );
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

  setSchedule(tenantId, officeKey, s) {
    db.run(
      `INSERT INTO insight_offices (tenant_id, office_key, due_at, city_key, latency_median_ms,
         throughput_mbps, perf_samples, evaluated_at)
       VALUES ($tenantId, $officeKey, $dueAt, $cityKey, $latency, $throughput, $perfSamples, $evaluatedAt)
       ON CONFLICT (tenant_id, office_key) DO UPDATE SET due_at = excluded.due_at,
         city_key = excluded.city_key, latency_median_ms = excluded.latency_median_ms,
         throughput_mbps = excluded.throughput_mbps, perf_samples = excluded.perf_samples,
         evaluated_at = excluded.evaluated_at`,
      {
        tenantId,
        officeKey,
        dueAt: s.dueAt,
        cityKey: s.cityKey,
        latency: s.latencyMedianMs,
        throughput: s.throughputMbps,
        perfSamples: s.perfSamples,
        evaluatedAt: s.evaluatedAt,
      },
    );
  },

  peerFigures(cityKey, since, minSamples, exclude) {
    // Instance-wide by design ("other users in your area"); returns figures only.
    return db
      .all(
        `SELECT latency_median_ms, throughput_mbps FROM insight_offices
         WHERE city_key = $cityKey AND evaluated_at >= $since AND perf_samples >= $minSamples
           AND NOT (tenant_id = $tenantId AND office_key = $officeKey)`,
        { cityKey, since, minSamples, tenantId: exclude.tenantId, officeKey: exclude.officeKey },
      )
      .map((r) => ({
        latencyMedianMs: numOrNull(r.latency_median_ms),
        throughputMbps: numOrNull(r.throughput_mbps),
      }));
  },

  forOffice(tenantId, officeKey) {
    return db
      .all('SELECT * FROM insights WHERE tenant_id = $tenantId AND office_key = $officeKey', {
        tenantId,
        officeKey,
      })
      .map(toInsight);
  },

  save(i) {
    db.run(
      `INSERT INTO insights (tenant_id, id, office_key, kind, status, severity, value, threshold, window_hours,
         evidence, fingerprint, first_detected_at, last_seen_at, resolved_at, updated_at)
       VALUES ($tenantId, $id, $officeKey, $kind, $status, $severity, $value, $threshold, $windowHours,
         $evidence, $fingerprint, $firstDetectedAt, $lastSeenAt, $resolvedAt, $updatedAt)
       ON CONFLICT (tenant_id, id) DO UPDATE SET status = excluded.status, severity = excluded.severity,
         value = excluded.value, threshold = excluded.threshold, window_hours = excluded.window_hours,
         evidence = excluded.evidence, fingerprint = excluded.fingerprint,
         first_detected_at = excluded.first_detected_at, last_seen_at = excluded.last_seen_at,
         resolved_at = excluded.resolved_at, updated_at = excluded.updated_at`,
      {
        tenantId: i.tenantId,
        id: i.id,
        officeKey: i.officeKey,
        kind: i.kind,
        status: i.status,
        severity: i.severity,
        value: i.value,
        threshold: i.threshold,
        windowHours: i.windowHours,
        evidence: JSON.stringify(i.evidence),
        fingerprint: i.fingerprint,
        firstDetectedAt: iso(i.firstDetectedAt),
        lastSeenAt: iso(i.lastSeenAt),
        resolvedAt: i.resolvedAt === null ? null : iso(i.resolvedAt),
        updatedAt: iso(i.updatedAt),
      },
    );
  },

  appendEvent(tenantId, insightId, e) {
    const r = db.get(
      `INSERT INTO insight_events (tenant_id, insight_id, type, at, summary)
       VALUES ($tenantId, $insightId, $type, $at, $summary) RETURNING seq`,
      { tenantId, insightId, type: e.type, at: e.at, summary: e.summary },
    );
    return num(r?.seq);
  },

  get(tenantId, id) {
    const r = db.get('SELECT * FROM insights WHERE tenant_id = $tenantId AND id = $id', { tenantId, id });
    return r && toInsight(r);
  },

  list(tenantId, filter) {
    return db
      .all(
        `SELECT * FROM insights WHERE tenant_id = $tenantId
           AND ($status IS NULL OR status = $status)
           AND ($kind IS NULL OR kind = $kind)
           AND ($officeKey IS NULL OR office_key = $officeKey)
         ORDER BY status = 'active' DESC, updated_at DESC, id`,
        {
          tenantId,
          status: filter.status ?? null,
          kind: filter.kind ?? null,
          officeKey: filter.officeKey ?? null,
        },
      )
      .map(toInsight);
  },

  events(tenantId, insightId) {
    return db
      .all(
        'SELECT * FROM insight_events WHERE tenant_id = $tenantId AND insight_id = $insightId ORDER BY seq',
        { tenantId, insightId },
      )
      .map(toEvent);
  },

  eventsAfter(afterSeq, limit) {
    return db
      .all('SELECT * FROM insight_events WHERE seq > $afterSeq ORDER BY seq LIMIT $limit', {
        afterSeq,
        limit,
      })
      .map(toEvent);
  },

  activeList(tenantId) {
    return db
      .all(
        `SELECT id, kind, office_key, severity FROM insights
         WHERE tenant_id = $tenantId AND status = 'active' ORDER BY office_key, kind`,
        { tenantId },
      )
      .map((r) => ({
        id: str(r.id),
        kind: str(r.kind) as InsightKind,
        officeKey: str(r.office_key),
        severity: str(r.severity) as Severity,
      }));
  },

  purgeRollupsBefore(cutoff, limit) {
    return db.run(
      `DELETE FROM insight_rollups WHERE rowid IN
         (SELECT rowid FROM insight_rollups WHERE bucket_start < $cutoff LIMIT $limit)`,
      { cutoff, limit },
    ).changes;
  },
}));
