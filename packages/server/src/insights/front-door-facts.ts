/**
 * @module insights/front-door-facts
 * Which Microsoft front door each workload's connections landed on, and how
 * fast: per report, for every workload host, the address its direct TCP
 * connection reached (the `tcp` result) and the round trip of its TLS
 * handshake (the `https` result's `tlsMs`); per rollup, per workload ×
 * address, a latency histogram and the devices behind it.
 * The TLS handshake, not the TCP connect, is the front door's latency: only
 * the holder of the service's key answers it, where any transparent TCP
 * proxy or WAN optimiser on the way can complete a connect locally. So only
 * handshakes with a genuine chain count (an interceptor's is not a front
 * door), and only direct connections (through a proxy the address is the
 * proxy's). Addresses that are not IP literals are skipped, so a damaged
 * report never breaks ingest.
 */
import { isIP } from 'node:net';
import type { CheckResult } from '@netinsights/protocol';
import { addHash, type DeviceSketch, estimateDevices, mergeSketch } from './device-sketch.ts';
import { addSample, emptyHistogram, type Histogram, median, mergeHistogram } from './histogram.ts';
import { own, setOwn } from './own-keys.ts';

/** Workload × address pairs kept per rollup: a few workloads, each on one or two front doors. */
const MAX_FRONT_DOORS = 32;
/** Per report: the shipped profile dials five workload hosts. */
const MAX_PER_REPORT = 16;

/** One direct connection to a workload host. */
export interface FrontDoorSample {
  workload: string;
  address: string;
  /** TLS handshake round trip, ms. */
  handshakeMs: number;
}

/** One workload's connections to one front door address, over a rollup's reports. */
export interface FrontDoorEntry {
  workload: string;
  address: string;
  latency: Histogram;
  devices: DeviceSketch;
}

/** `workload|address` → entry (the address makes every key safe from `__proto__` and the like). */
export type FrontDoorFacts = Record<string, FrontDoorEntry>;

/** An office's front door for one workload over the window, before geolocation. */
export interface OfficeFrontDoor {
  workload: string;
  address: string;
  latencyMedianMs: number;
  samples: number;
  devices: number;
  sketch: DeviceSketch;
}

/** The front-door samples of one report's results. */
export function frontDoorSamples(results: readonly CheckResult[]): FrontDoorSample[] {
  const addresses = new Map<string, string>();
  for (const r of results) {
    const address = r.tcp?.remoteAddress;
    if (r.kind !== 'tcp' || !r.target.workload || r.path.type !== 'direct' || r.outcome.status !== 'ok')
      continue;
    if (address && isIP(address) !== 0)
      addresses.set(`${r.target.host}:${r.target.port}`, address.toLowerCase());
  }
  const out: FrontDoorSample[] = [];
  for (const r of results) {
    if (out.length >= MAX_PER_REPORT) break;
    if (r.kind !== 'https' || !r.target.workload || r.tls?.verdict !== 'genuine') continue;
    const address = addresses.get(`${r.target.host}:${r.target.port}`);
    const handshakeMs = r.timings?.tlsMs;
    if (!address || typeof handshakeMs !== 'number' || !Number.isFinite(handshakeMs)) continue;
    out.push({ workload: r.target.workload, address, handshakeMs });
  }
  return out;
}

function entryOf(facts: FrontDoorFacts, workload: string, address: string): FrontDoorEntry | undefined {
  const key = `${workload}|${address}`;
  const found = own(facts, key);
  if (found) return found;
  if (Object.keys(facts).length >= MAX_FRONT_DOORS) return undefined;
  const entry: FrontDoorEntry = { workload, address, latency: emptyHistogram(), devices: [] };
  setOwn(facts, key, entry);
  return entry;
}

export function addFrontDoorSamples(facts: FrontDoorFacts, samples: FrontDoorSample[], device: number): void {
  for (const s of samples) {
    const e = entryOf(facts, s.workload, s.address);
    if (!e) continue;
    addSample(e.latency, s.handshakeMs);
    addHash(e.devices, device);
  }
}

export function mergeFrontDoors(into: FrontDoorFacts, from: FrontDoorFacts): void {
  for (const f of Object.values(from)) {
    const e = entryOf(into, f.workload, f.address);
    if (!e) continue;
    mergeHistogram(e.latency, f.latency);
    mergeSketch(e.devices, f.devices);
  }
}

/** The window's front doors with their median connect time, most used first. */
export function officeFrontDoors(facts: FrontDoorFacts): OfficeFrontDoor[] {
  return Object.values(facts)
    .filter((e) => e.latency.n > 0)
    .map((e) => ({
      workload: e.workload,
      address: e.address,
      latencyMedianMs: Math.round((median(e.latency) ?? 0) * 10) / 10,
      samples: e.latency.n,
      devices: estimateDevices(e.devices),
      sketch: e.devices,
    }))
    .sort((a, b) => b.samples - a.samples || a.workload.localeCompare(b.workload));
}
