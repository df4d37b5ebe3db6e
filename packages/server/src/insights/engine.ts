/**
 * @module insights/engine
 * Runs the insight pipeline against the store, incrementally:
 *
 * - `record()` (inside the ingest transaction): extracts the report's
 *   observation; just before that transaction commits (Store `beforeCommit`)
 *   the observations of all its reports are folded into their offices' hour
 *   buckets — one read-modify-write and one JSON write per bucket per
 *   transaction, however many reports an ingest batch holds, whatever the
 *   history — and the offices are marked due. The buckets commit with their
 *   reports or not at all.
 * - `evaluateDue()` (timer): evaluates only offices that are due — new data
 *   since the last evaluation, or data / an active insight in a window that
 *   slides at the next hour. Each evaluation reads at most one bucket per hour
 *   of the window, so its cost grows with the offices touched, not with the
 *   stored history. Each office is evaluated in its own transaction, and its
 *   insights' new state and their events are written together in it: an event
 *   can neither be lost nor exist without its state change. The same
 *   evaluation scores the office's network assessment over its own window
 *   (3 days by default) and writes the day's score (assessment/).
 */
import { randomUUID } from 'node:crypto';
import { recordAssessment } from '../assessment/record-assessment.ts';
import { readAssessmentSettings } from '../assessment/settings.ts';
import type { GeoLookup } from '../geo/geo-lookup.ts';
import type { PrepareInput, ReportStoredEvent } from '../insights-hook.ts';
import type { Store } from '../store/contract.ts';
import { withTenantLock } from '../store/tenant-lock.ts';
import type { StoredInsight } from './api-insight.ts';
import { bestFrontDoors } from './front-door-area.ts';
import { officeFrontDoors } from './front-door-facts.ts';
import type {} from './front-door-store-contract.ts';
import { median } from './histogram.ts';
import { identifyResolver } from './identify-resolver.ts';
import { INSIGHT_KINDS } from './kinds.ts';
import { decide, thresholdsFor } from './lifecycle.ts';
import { type Observation, observe } from './observation.ts';
import { cityKeyOf, resolveOffice, unknownOffice } from './office-directory.ts';
import { setOwn } from './own-keys.ts';
import { peerStats } from './peers.ts';
import {
  addObservation,
  BUCKET_MS,
  bucketStart,
  emptyRollup,
  mergeAll,
  parseRollup,
  type Rollup,
} from './rollup.ts';
import type { FrontDoorInput, Place } from './rules/contract.ts';
import { RULES } from './rules/index.ts';
import { effectiveSettings, type InsightSettings } from './settings.ts';
import type {} from './store-contract.ts';

/** The key under which the settings API stores a tenant's insight settings. */
export const SETTINGS_KEY = 'insights';
const HOUR = 3_600_000;
/** Parsed hour buckets kept for ingest: only the current hour of each reporting office is hot (tens of KB each, parsed). */
const BUCKET_CACHE = 1024;
/** 720 h (the largest window settings accept) plus a day. */
const ROLLUP_RETENTION_MS = (720 + 24) * HOUR;
/** Old buckets deleted per evaluation run, so one run never stalls ingest for long. */
const PURGE_BATCH = 2000;
/** Offices read per scan of the due list. */
const DUE_BATCH = 200;

const iso = (ms: number) => new Date(ms).toISOString();

export interface EvaluationResult {
  offices: number;
  events: number;
  failures: { tenantId: string; officeKey: string; error: string }[];
}

export interface InsightEngineOptions {
  /** Id for a new insight (default: random UUID). */
  newId?: () => string;
  /** Called when one office's evaluation fails (it is retried on the next run). */
  onError?: (err: unknown, where: { tenantId: string; officeKey: string }) => void;
  /** Places front door addresses (the collector's egress geo source); without it they stay unplaced. */
  geo?: GeoLookup;
}

/** Where `address` is; a geo source that fails (or does not know it) leaves it unplaced. */
function place(geo: GeoLookup | undefined, address: string): Place | undefined {
  if (!geo) return undefined;
  try {
    const g = geo.lookup(address);
    if (!g) return undefined;
    const finite = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
    return {
      city: g.city ?? null,
      country: g.country ?? null,
      latitude: finite(g.latitude),
      longitude: finite(g.longitude),
    };
  } catch {
    return undefined;
  }
}

/** The rolling window's buckets for `now`: the current hour and the (windowHours − 1) before it. */
export function windowBounds(now: number, windowHours: number): { from: number; to: number } {
  const to = bucketStart(now);
  return { from: to - (windowHours - 1) * BUCKET_MS, to };
}

export async function readSettings(store: Store, tenantId: string): Promise<InsightSettings> {
  return effectiveSettings(await store.settings.get(tenantId, SETTINGS_KEY));
}

/** The observation of one report as the collector received it (see `InsightsHook.prepare`). */
export function observeReport(input: PrepareInput): Observation {
  const geo = input.egressGeo;
  return observe({
    report: input.report,
    receivedAt: input.receivedAt,
    egressGeo:
      geo && geo.latitude !== null && geo.longitude !== null
        ? { latitude: geo.latitude, longitude: geo.longitude, city: geo.city, country: geo.country }
        : null,
  });
}

/** Observations of one transaction waiting to be folded into one hour bucket. */
interface PendingBucket {
  tenantId: string;
  officeKey: string;
  bucket: string;
  observations: Observation[];
}

export class InsightEngine {
  readonly #newId: () => string;
  readonly #onError: InsightEngineOptions['onError'];
  readonly #geo: GeoLookup | undefined;

  /**
   * Recently written buckets, parsed, with the write token stored beside them.
   * A hit is used only while the stored token still matches, so a rolled-back
   * transaction or another writer simply causes a re-read.
   */
  readonly #buckets = new Map<string, { version: string; rollup: Rollup }>();
  readonly #writer = randomUUID().slice(0, 8);
  #writes = 0;

  constructor(opts: InsightEngineOptions = {}) {
    this.#newId = opts.newId ?? randomUUID;
    this.#onError = opts.onError;
    this.#geo = opts.geo;
  }

  /**
   * Folds one stored report into its hour bucket; call inside the report's
   * transaction. The bucket is written when that transaction commits (once
   * for all the reports it stored); a report whose savepoint or transaction
   * rolls back is never folded in.
   */
  async record(tx: Store, e: ReportStoredEvent): Promise<void> {
    let obs = e.prepared as Observation | undefined;
    if (!obs) {
      const { report } = e;
      if (!report) throw new Error('record() needs the report or its prepared observation');
      obs = observeReport({ report, receivedAt: e.receivedAt, egressGeo: e.egressGeo });
    }
    if (obs.resolver) obs = await identifyResolver(tx, e, obs);
    tx.beforeCommit((scratch) => this.#gather(tx, scratch, e.tenantId, e.officeKey, obs));
  }

  /** First step of the commit: groups the transaction's observations by bucket; the first one schedules the write. */
  #gather(
    tx: Store,
    scratch: Map<unknown, unknown>,
    tenantId: string,
    officeKey: string,
    obs: Observation,
  ): void {
    let batch = scratch.get(this) as Map<string, PendingBucket> | undefined;
    if (!batch) {
      const created = new Map<string, PendingBucket>();
      scratch.set(this, created);
      // Registered now, so it runs after every observation of this commit has been gathered.
      tx.beforeCommit(() => this.#writeBuckets(tx, created));
      batch = created;
    }
    const bucket = iso(bucketStart(obs.at));
    const key = `${tenantId}\n${officeKey}\n${bucket}`;
    const pending = batch.get(key);
    if (pending) pending.observations.push(obs);
    else batch.set(key, { tenantId, officeKey, bucket, observations: [obs] });
  }

  /** Second step: one read-modify-write per bucket, then each office marked due from its earliest report. */
  async #writeBuckets(tx: Store, batch: Map<string, PendingBucket>): Promise<void> {
    // Sorted, so two collectors' transactions lock shared buckets (PostgreSQL) in the same order.
    const keys = [...batch.keys()].sort();
    const due = new Map<string, { tenantId: string; officeKey: string; at: number }>();
    for (const key of keys) {
      const p = batch.get(key)!;
      const rollup = await this.#loadBucket(tx, p.tenantId, p.officeKey, p.bucket);
      let first = Number.POSITIVE_INFINITY;
      for (const o of p.observations) {
        addObservation(rollup, o);
        first = Math.min(first, o.at);
      }
      const version = `${this.#writer}:${++this.#writes}`;
      await tx.insights.putRollup(p.tenantId, p.officeKey, p.bucket, JSON.stringify(rollup), version);
      this.#remember(key, { version, rollup });
      const officeKey = `${p.tenantId}\n${p.officeKey}`;
      const seen = due.get(officeKey);
      if (!seen) due.set(officeKey, { tenantId: p.tenantId, officeKey: p.officeKey, at: first });
      else seen.at = Math.min(seen.at, first);
    }
    for (const key of [...due.keys()].sort()) {
      const d = due.get(key)!;
      await tx.insights.markDue(d.tenantId, d.officeKey, iso(d.at));
    }
  }

  async #loadBucket(tx: Store, tenantId: string, officeKey: string, bucket: string): Promise<Rollup> {
    const key = `${tenantId}\n${officeKey}\n${bucket}`;
    const cached = this.#buckets.get(key);
    // Taken out while in use: if the write below fails, no half-updated copy stays behind.
    this.#buckets.delete(key);
    if (cached && (await tx.insights.rollupVersion(tenantId, officeKey, bucket)) === cached.version)
      return cached.rollup;
    const stored = await tx.insights.getRollup(tenantId, officeKey, bucket);
    if (!stored) return emptyRollup();
    try {
      return parseRollup(stored.data);
    } catch {
      // A bucket this version cannot read (written by a newer release) must not block ingest:
      // start the hour afresh rather than reject the report.
      return emptyRollup();
    }
  }

  #remember(key: string, entry: { version: string; rollup: Rollup }): void {
    this.#buckets.set(key, entry);
    if (this.#buckets.size > BUCKET_CACHE) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
  }

  /**
   * When an admin adopts a discovered location as an office, its measured
   * history follows it: each hour bucket is merged into the office's and
   * emptied at the location. Both are due at the next run, so the office's
   * insights open from the moved evidence and the location's resolve (it no
   * longer has samples). Call inside the adoption's transaction.
   */
  async adoptLocation(
    tx: Store,
    tenantId: string,
    fromKey: string,
    toKey: string,
    now: number,
  ): Promise<void> {
    const empty = JSON.stringify(emptyRollup());
    for (const row of await tx.insights.rollups(tenantId, fromKey, iso(0), '9999-12-31T23:59:59.999Z')) {
      let from: Rollup;
      try {
        from = parseRollup(row.data);
      } catch {
        continue;
      }
      if (from.reports === 0) continue;
      const target = await this.#loadBucket(tx, tenantId, toKey, row.bucketStart);
      const merged = mergeAll([from, target]);
      const version = `${this.#writer}:${++this.#writes}`;
      await tx.insights.putRollup(tenantId, toKey, row.bucketStart, JSON.stringify(merged), version);
      this.#remember(`${tenantId}\n${toKey}\n${row.bucketStart}`, { version, rollup: merged });
      this.#buckets.delete(`${tenantId}\n${fromKey}\n${row.bucketStart}`);
      await tx.insights.putRollup(
        tenantId,
        fromKey,
        row.bucketStart,
        empty,
        `${this.#writer}:${++this.#writes}`,
      );
    }
    await tx.insights.markDue(tenantId, toKey, iso(now));
    await tx.insights.markDue(tenantId, fromKey, iso(now));
  }

  /** Evaluates every office due at `now`, one transaction per office. */
  async evaluateDue(store: Store, now: number): Promise<EvaluationResult> {
    const result: EvaluationResult = { offices: 0, events: 0, failures: [] };
    const done = new Set<string>();
    for (;;) {
      const due = (await store.insights.dueOffices(iso(now), DUE_BATCH)).filter(
        (d) => !done.has(`${d.tenantId}\n${d.officeKey}`),
      );
      if (due.length === 0) break;
      for (const d of due) {
        done.add(`${d.tenantId}\n${d.officeKey}`);
        try {
          // One server at a time per tenant: when another server holds the tenant, it is doing this
          // work right now, and the office stays due for whichever server runs next.
          const r = await withTenantLock(store, d.tenantId, (tx) =>
            this.evaluateOffice(tx, d.tenantId, d.officeKey, now),
          );
          if (!r.ran) continue;
          result.events += r.value;
          result.offices += 1;
        } catch (err) {
          result.failures.push({ ...d, error: (err as Error).message });
          this.#onError?.(err, d);
        }
      }
    }
    // Retention: buckets older than the longest window the settings allow (plus a day) are never read again.
    await store.insights.purgeRollupsBefore(iso(bucketStart(now) - ROLLUP_RETENTION_MS), PURGE_BATCH);
    return result;
  }

  /**
   * Evaluates one office at `now` inside `tx`: merges the window, measures
   * every kind, applies the lifecycle, stores changed insights with their
   * events, and schedules the next evaluation. Returns the number of events.
   */
  async evaluateOffice(tx: Store, tenantId: string, officeKey: string, now: number): Promise<number> {
    const settings = await readSettings(tx, tenantId);
    const assessment = await readAssessmentSettings(tx, tenantId);
    const { from, to } = windowBounds(now, settings.windowHours);
    const scoreFrom = windowBounds(now, assessment.windowDays * 24).from;
    // One read serves both windows: the insight rules' and the assessment score's (3 days by default).
    const rows = (
      await tx.insights.rollups(tenantId, officeKey, iso(Math.min(from, scoreFrom)), iso(to))
    ).map((r) => ({ at: r.bucketStart, rollup: parseRollup(r.data) }));
    const window = mergeAll(rows.filter((r) => r.at >= iso(from)).map((r) => r.rollup));
    const found = await resolveOffice(tx, tenantId, officeKey);
    const office = found ?? unknownOffice(officeKey);
    const cityKey = cityKeyOf(office);
    const peers = cityKey
      ? peerStats(await tx.insights.peerFigures(cityKey, iso(now - settings.windowHours * HOUR), 1, tenantId))
      : null;

    const frontDoors = await this.#frontDoors(
      tx,
      tenantId,
      officeKey,
      cityKey,
      window,
      now,
      settings.windowHours,
    );

    const existing = new Map((await tx.insights.forOffice(tenantId, officeKey)).map((i) => [i.kind, i]));
    let events = 0;
    let active = false;
    for (const kind of INSIGHT_KINDS) {
      const m = RULES[kind].measure({
        window,
        office,
        peers,
        frontDoors,
        settings,
        kind: settings.kinds[kind],
      });
      const prev = existing.get(kind) ?? null;
      const d = decide(prev, m, thresholdsFor(settings, kind), now, kind, this.#newId);
      if (d.state?.status === 'active') active = true;
      if (!d.changed || !d.state) continue;
      const row: StoredInsight = { ...d.state, tenantId, officeKey, windowHours: settings.windowHours };
      await tx.insights.save(row);
      for (const e of d.events) {
        await tx.insights.appendEvent(tenantId, row.id, { type: e.type, at: iso(e.at), summary: e.summary });
        events += 1;
      }
    }

    const scored = found
      ? await recordAssessment(tx, {
          tenantId,
          officeKey,
          office,
          buckets: rows.filter((r) => r.at >= iso(scoreFrom)).map((r) => r.rollup),
          windowFrom: iso(scoreFrom),
          settings: assessment,
          minPeerOffices: settings.kinds['peer-performance'].minPeerOffices,
          now,
        })
      : undefined;

    // Due again when a window slides (next hour) if anything is left to age out, to resolve or to score.
    const dueAt =
      window.reports > 0 || active || (scored?.score ?? null) !== null ? iso(to + BUCKET_MS) : null;
    await tx.insights.setSchedule(tenantId, officeKey, {
      dueAt,
      cityKey,
      latencyMedianMs: median(window.latency) ?? null,
      throughputMbps: median(window.throughput) ?? null,
      perfSamples: Math.max(window.latency.n, window.throughput.n),
      evaluatedAt: iso(now),
    });
    return events;
  }

  /**
   * Publishes the office's front doors of the window (placed by the geo
   * source) for its area, and reads the area's best front doors of other
   * tenants (insights/front-door-area.ts); null without a city.
   */
  async #frontDoors(
    tx: Store,
    tenantId: string,
    officeKey: string,
    cityKey: string | null,
    window: Rollup,
    now: number,
    windowHours: number,
  ): Promise<FrontDoorInput | null> {
    const places: Record<string, Place> = {};
    await tx.frontDoors.clearOffice(tenantId, officeKey);
    for (const d of officeFrontDoors(window.frontDoors)) {
      const p = place(this.#geo, d.address);
      if (p) setOwn(places, d.address, p);
      await tx.frontDoors.put(tenantId, officeKey, cityKey, iso(now), {
        workload: d.workload,
        address: d.address,
        latencyMedianMs: d.latencyMedianMs,
        samples: d.samples,
        ...(p ?? { city: null, country: null, latitude: null, longitude: null }),
      });
    }
    if (!cityKey) return null;
    const figures = await tx.frontDoors.areaFigures(cityKey, iso(now - windowHours * HOUR), tenantId);
    return { area: bestFrontDoors(figures), places };
  }
}
