/**
 * @module insights/queries
 * The reads behind /api/v1/insights, /insights/:id and /offices/:id/metrics.
 * Every query is scoped to the tenant taken from the caller's credential.
 */
import type { InsightEventView, InsightFilter, OfficeMetrics } from '../insights-hook.ts';
import type { Store } from '../store/contract.ts';
import { type ApiInsight, type ApiInsightEvent, toApiInsight, toApiInsightEvent } from './api-insight.ts';
import { estimateDevices } from './device-sketch.ts';
import { readSettings, windowBounds } from './engine.ts';
import { median } from './histogram.ts';
import { triageOrder } from './insight-order.ts';
import { INSIGHT_KINDS, type InsightKind, isInsightKind } from './kinds.ts';
import { cityKeyOf, officeNamer, resolveOffice } from './office-directory.ts';
import { PEER_MIN_TENANTS, peerFloor, peerStats } from './peers.ts';
import { BUCKET_MS, mergeAll, parseRollup, type Rollup } from './rollup.ts';
import type { BucketInput } from './rules/contract.ts';
import { RULES } from './rules/index.ts';
import type { InsightSettings } from './settings.ts';
import type {} from './store-contract.ts';

const HOUR = 3_600_000;

export async function listInsights(
  store: Store,
  tenantId: string,
  filter: InsightFilter,
): Promise<ApiInsight[]> {
  // An unknown kind matches nothing rather than everything.
  if (filter.kind !== undefined && !isInsightKind(filter.kind)) return [];
  const rows = await store.insights.list(tenantId, {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.kind ? { kind: filter.kind as InsightKind } : {}),
    ...(filter.officeId ? { officeKey: filter.officeId } : {}),
  });
  const name = officeNamer(store, tenantId);
  const items = await Promise.all(rows.map(async (r) => toApiInsight(r, await name(r.officeKey))));
  return items.sort(triageOrder);
}

export async function getInsight(
  store: Store,
  tenantId: string,
  id: string,
): Promise<{ insight: ApiInsight; events: ApiInsightEvent[] } | undefined> {
  const row = await store.insights.get(tenantId, id);
  if (!row) return undefined;
  const name = await officeNamer(store, tenantId)(row.officeKey);
  const events = await store.insights.events(tenantId, id);
  return {
    insight: toApiInsight(row, name),
    events: events.map((e) => toApiInsightEvent({ type: e.type, at: Date.parse(e.at), summary: e.summary })),
  };
}

/** Each kind's metric for one bucket, from its rule (kinds without a per-bucket metric are left out). */
function failureShare(bucket: Rollup, office: BucketInput['office'], settings: InsightSettings) {
  const out: Partial<Record<InsightKind, number>> = {};
  for (const k of INSIGHT_KINDS) {
    const value = RULES[k].bucketShare?.({ bucket, office, kind: settings.kinds[k] });
    if (value !== undefined) out[k] = value;
  }
  return out;
}

/**
 * Time series for one office: hourly points over 24 h, 6-hour points over
 * 7 days, and the area's peer aggregate (null unless enough other offices).
 */
export async function officeMetrics(
  store: Store,
  tenantId: string,
  officeId: string,
  window: '24h' | '7d',
  now: Date,
): Promise<OfficeMetrics> {
  const hours = window === '7d' ? 168 : 24;
  const step = window === '7d' ? 6 * BUCKET_MS : BUCKET_MS;
  const t = now.getTime();
  const { from, to } = windowBounds(t, hours);
  const rows = await store.insights.rollups(
    tenantId,
    officeId,
    new Date(from).toISOString(),
    new Date(to).toISOString(),
  );
  const settings = await readSettings(store, tenantId);
  const office = (await resolveOffice(store, tenantId, officeId)) ?? {
    latitude: null,
    longitude: null,
    city: null,
    country: null,
    name: officeId,
  };

  const groups = new Map<number, Rollup[]>();
  for (const r of rows) {
    const start = Date.parse(r.bucketStart);
    const key = from + Math.floor((start - from) / step) * step;
    const g = groups.get(key) ?? [];
    g.push(parseRollup(r.data));
    groups.set(key, g);
  }
  const buckets = [...groups.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([start, parts]) => {
      const r = mergeAll(parts);
      return {
        start: new Date(start).toISOString(),
        reports: r.reports,
        devices: estimateDevices(r.devices),
        failureShare: failureShare(r, office, settings),
        latencyMedianMs: median(r.latency) ?? null,
        throughputMbps: median(r.throughput) ?? null,
      };
    });

  const cityKey = cityKeyOf(office);
  const minPeers = peerFloor(settings.kinds['peer-performance'].minPeerOffices);
  const stats = cityKey
    ? peerStats(
        await store.insights.peerFigures(
          cityKey,
          new Date(t - settings.windowHours * HOUR).toISOString(),
          1,
          tenantId,
        ),
      )
    : null;
  const peers =
    stats && stats.offices >= minPeers && stats.tenants >= PEER_MIN_TENANTS
      ? {
          latencyMedianMs: stats.latencyMedianMs,
          throughputMbps: stats.throughputMbps,
          sampleOffices: stats.offices,
        }
      : null;
  return { buckets, peers };
}

export type { InsightEventView };
