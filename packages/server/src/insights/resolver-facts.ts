/**
 * @module insights/resolver-facts
 * The recursive resolvers an office's reports reached, as the rollup keeps
 * them for the distant-resolver rule: per resolver address, where the geo
 * database places it and how it was identified (the collector's own DNS
 * listener, `zone`, or a public whoami answer, `whoami`). Only reports whose
 * resolver could be geolocated count.
 */
import { addHash, type DeviceSketch, mergeSketch } from './device-sketch.ts';
import { MAX_EXAMPLES } from './tally.ts';

/** Distinct resolvers kept per rollup (an office uses one or two; a flood of others is not kept). */
const MAX_RESOLVERS = 16;

/** One report's resolver, geolocated (observation.ts `Observation.resolver`). */
export interface ResolverSeen {
  address: string;
  method: 'zone' | 'whoami';
  latitude: number;
  longitude: number;
  city: string | null;
  country: string | null;
}

export interface ResolverPoint {
  address: string;
  method: 'zone' | 'whoami';
  lat: number;
  lon: number;
  city: string | null;
  country: string | null;
  n: number;
}

export interface ResolverFacts {
  n: number;
  /** Keyed by resolver address. */
  points: Record<string, ResolverPoint>;
  devices: DeviceSketch;
  examples: string[];
}

export function emptyResolverFacts(): ResolverFacts {
  return { n: 0, points: {}, devices: [], examples: [] };
}

function addPoint(points: Record<string, ResolverPoint>, p: ResolverPoint): void {
  const slot = Object.hasOwn(points, p.address) ? points[p.address] : undefined;
  if (slot) slot.n += p.n;
  else if (Object.keys(points).length < MAX_RESOLVERS) points[p.address] = { ...p };
}

function pushExample(list: string[], id: string): void {
  if (list.includes(id)) return;
  list.push(id);
  if (list.length > MAX_EXAMPLES) list.shift();
}

export function addResolver(
  facts: ResolverFacts,
  seen: ResolverSeen,
  from: { device: number; reportId: string },
): void {
  facts.n += 1;
  addPoint(facts.points, {
    address: seen.address,
    method: seen.method,
    lat: seen.latitude,
    lon: seen.longitude,
    city: seen.city,
    country: seen.country,
    n: 1,
  });
  addHash(facts.devices, from.device);
  pushExample(facts.examples, from.reportId);
}

export function mergeResolverFacts(into: ResolverFacts, from: ResolverFacts): void {
  into.n += from.n;
  for (const p of Object.values(from.points)) addPoint(into.points, p);
  mergeSketch(into.devices, from.devices);
  for (const id of from.examples) pushExample(into.examples, id);
}
