/**
 * @module insights/rollup
 * Per tenant × office × hour summaries of observations. The engine keeps one
 * rollup per hour bucket and merges the buckets of the rolling window when it
 * evaluates, so evaluation reads at most window/1 h small documents per office
 * whatever the history holds. Every part merges exactly: counters add,
 * histograms add, device sketches union.
 */
import { addHash, type DeviceSketch, mergeSketch } from './device-sketch.ts';
import { addFrontDoorSamples, type FrontDoorFacts, mergeFrontDoors } from './front-door-facts.ts';
import { addSample, emptyHistogram, type Histogram, mergeHistogram } from './histogram.ts';
import {
  addLoadLatencyRun,
  emptyLoadLatency,
  type LoadLatencyFacts,
  mergeLoadLatency,
} from './load-latency-facts.ts';
import type { Observation, TlsFacts } from './observation.ts';
import { addCount, own } from './own-keys.ts';
import {
  addSweep,
  emptyRequiredEndpoints,
  mergeRequiredEndpoints,
  type RequiredEndpointFacts,
} from './required-endpoint-facts.ts';
import { addResolver, emptyResolverFacts, mergeResolverFacts, type ResolverFacts } from './resolver-facts.ts';
import { emptyTally, MAX_EXAMPLES, mergeTally, type Tally } from './tally.ts';
import {
  addTeamsMediaRun,
  emptyTeamsMedia,
  mergeTeamsMedia,
  type TeamsMediaFacts,
} from './teams-media-facts.ts';

export const BUCKET_MS = 3_600_000;
export const ROLLUP_VERSION = 1;
/** Distinct vendor / issuer names and egress locations kept per rollup. */
const MAX_NAMES = 16;

/** Egress locations rounded to 0.1° (≈ 11 km), enough to tell a backhaul from local breakout. */
export interface EgressPoint {
  lat: number;
  lon: number;
  city: string | null;
  country: string | null;
  n: number;
}

export interface Rollup {
  v: typeof ROLLUP_VERSION;
  reports: number;
  /** Epoch ms of the first and last report folded in. */
  firstAt: number | null;
  lastAt: number | null;
  /** Every reporting device. */
  devices: DeviceSketch;
  https: Tally;
  websocket: Tally;
  tls: TlsFacts;
  quic: Tally;
  http2: Tally;
  /** Per-report median latency, ms. */
  latency: Histogram;
  /** Per-report throughput, Mbit/s. */
  throughput: Histogram;
  /** Devices that sent a latency or throughput sample. */
  perfDevices: DeviceSketch;
  egress: { n: number; points: Record<string, EgressPoint>; devices: DeviceSketch; examples: string[] };
  /** Teams media runs: the blocked/degraded tally and the distributions its evidence quotes. */
  teamsMedia: TeamsMediaFacts;
  /** Endpoint sweeps: swept hosts intercepted or unreachable, per catalog set. */
  requiredEndpoints: RequiredEndpointFacts;
  /** The recursive resolvers reached, geolocated (distant-resolver). */
  resolver: ResolverFacts;
  /** Per workload × front door address: connect times and devices (distant-front-door). */
  frontDoors: FrontDoorFacts;
  /** Runs with idle and loaded latency: the distributions `latency-under-load` judges. */
  loadLatency: LoadLatencyFacts;
}

export function emptyRollup(): Rollup {
  return {
    v: ROLLUP_VERSION,
    reports: 0,
    firstAt: null,
    lastAt: null,
    devices: [],
    https: emptyTally(),
    websocket: emptyTally(),
    tls: { tally: emptyTally(), vendors: {}, issuers: {} },
    quic: emptyTally(),
    http2: emptyTally(),
    latency: emptyHistogram(),
    throughput: emptyHistogram(),
    perfDevices: [],
    egress: { n: 0, points: {}, devices: [], examples: [] },
    teamsMedia: emptyTeamsMedia(),
    requiredEndpoints: emptyRequiredEndpoints(),
    resolver: emptyResolverFacts(),
    frontDoors: {},
    loadLatency: emptyLoadLatency(),
  };
}

/** Start of the hour bucket that holds `at` (epoch ms, UTC). */
export function bucketStart(at: number): number {
  return Math.floor(at / BUCKET_MS) * BUCKET_MS;
}

function addNames(into: Record<string, number>, from: Record<string, number>): void {
  for (const [name, n] of Object.entries(from)) {
    if (own(into, name) === undefined && Object.keys(into).length >= MAX_NAMES) continue;
    addCount(into, name, n);
  }
}

function mergeTls(into: TlsFacts, from: TlsFacts): void {
  mergeTally(into.tally, from.tally);
  addNames(into.vendors, from.vendors);
  addNames(into.issuers, from.issuers);
}

function pushExample(list: string[], id: string): void {
  if (list.includes(id)) return;
  list.push(id);
  if (list.length > MAX_EXAMPLES) list.shift();
}

function addPoint(points: Record<string, EgressPoint>, p: EgressPoint): void {
  const key = `${p.lat.toFixed(1)},${p.lon.toFixed(1)}`;
  const slot = points[key];
  if (slot) slot.n += p.n;
  else if (Object.keys(points).length < MAX_NAMES) points[key] = { ...p };
}

function stamp(r: Rollup, first: number | null, last: number | null): void {
  if (first !== null) r.firstAt = Math.min(r.firstAt ?? first, first);
  if (last !== null) r.lastAt = Math.max(r.lastAt ?? last, last);
}

/** Folds one report's observation into a rollup (mutates and returns it). */
export function addObservation(r: Rollup, o: Observation): Rollup {
  r.reports += 1;
  stamp(r, o.at, o.at);
  addHash(r.devices, o.device);
  mergeTally(r.https, o.https);
  mergeTally(r.websocket, o.websocket);
  mergeTls(r.tls, o.tls);
  mergeTally(r.quic, o.quic);
  mergeTally(r.http2, o.http2);
  if (o.latencyMs !== undefined) addSample(r.latency, o.latencyMs);
  if (o.throughputMbps !== undefined) addSample(r.throughput, o.throughputMbps);
  if (o.latencyMs !== undefined || o.throughputMbps !== undefined) addHash(r.perfDevices, o.device);
  if (o.egress) {
    r.egress.n += 1;
    addPoint(r.egress.points, {
      lat: Math.round(o.egress.latitude * 10) / 10,
      lon: Math.round(o.egress.longitude * 10) / 10,
      city: o.egress.city ?? null,
      country: o.egress.country ?? null,
      n: 1,
    });
    addHash(r.egress.devices, o.device);
    pushExample(r.egress.examples, o.reportId);
  }
  if (o.teamsMedia)
    addTeamsMediaRun(r.teamsMedia, o.teamsMedia, { device: o.device, at: o.at, reportId: o.reportId });
  if (o.sweep) addSweep(r.requiredEndpoints, o.sweep, { device: o.device, at: o.at, reportId: o.reportId });
  if (o.resolverSeen) addResolver(r.resolver, o.resolverSeen, { device: o.device, reportId: o.reportId });
  if (o.frontDoors) addFrontDoorSamples(r.frontDoors, o.frontDoors, o.device);
  if (o.loadLatency)
    addLoadLatencyRun(r.loadLatency, o.loadLatency, { device: o.device, at: o.at, reportId: o.reportId });
  return r;
}

/** Adds `from` into `into` (mutates and returns `into`). */
export function mergeRollup(into: Rollup, from: Rollup): Rollup {
  into.reports += from.reports;
  stamp(into, from.firstAt, from.lastAt);
  mergeSketch(into.devices, from.devices);
  mergeTally(into.https, from.https);
  mergeTally(into.websocket, from.websocket);
  mergeTls(into.tls, from.tls);
  mergeTally(into.quic, from.quic);
  mergeTally(into.http2, from.http2);
  mergeHistogram(into.latency, from.latency);
  mergeHistogram(into.throughput, from.throughput);
  mergeSketch(into.perfDevices, from.perfDevices);
  into.egress.n += from.egress.n;
  for (const p of Object.values(from.egress.points)) addPoint(into.egress.points, p);
  mergeSketch(into.egress.devices, from.egress.devices);
  for (const id of from.egress.examples) pushExample(into.egress.examples, id);
  mergeTeamsMedia(into.teamsMedia, from.teamsMedia);
  mergeRequiredEndpoints(into.requiredEndpoints, from.requiredEndpoints);
  mergeResolverFacts(into.resolver, from.resolver);
  mergeFrontDoors(into.frontDoors, from.frontDoors);
  mergeLoadLatency(into.loadLatency, from.loadLatency);
  return into;
}

/** Merges buckets in time order (oldest first) so "newest examples" stay newest. */
export function mergeAll(buckets: Iterable<Rollup>): Rollup {
  const out = emptyRollup();
  for (const b of buckets) mergeRollup(out, b);
  return out;
}

/** Parses a stored rollup; a document from another version is rejected rather than misread. */
export function parseRollup(json: string): Rollup {
  const doc = JSON.parse(json) as Partial<Rollup>;
  if (doc.v !== ROLLUP_VERSION) throw new Error(`rollup version ${String(doc.v)} is not ${ROLLUP_VERSION}`);
  // Rollups stored before Teams media was measured have no such facts: they held no runs.
  doc.teamsMedia ??= emptyTeamsMedia();
  // Likewise rollups stored before the endpoint sweep held no sweeps.
  doc.requiredEndpoints ??= emptyRequiredEndpoints();
  // Nor had those stored before resolvers were identified.
  doc.resolver ??= emptyResolverFacts();
  // Likewise before front doors were recorded.
  doc.frontDoors ??= {};
  // Likewise latency under load.
  doc.loadLatency ??= emptyLoadLatency();
  return doc as Rollup;
}
