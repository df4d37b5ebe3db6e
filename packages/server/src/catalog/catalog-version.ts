/**
 * @module catalog/catalog-version
 * A catalog version: the validated endpoint sets plus where and when they
 * came from. The id is derived from the content, so importing the same file
 * twice yields the same version instead of a duplicate.
 */
import { createHash } from 'node:crypto';
import { type EndpointSet, formatPorts } from '@netinsights/protocol/catalog/endpoint-set.ts';

/** One imported catalog. */
export interface CatalogVersion {
  /** `c` + the first 12 hex digits of the SHA-256 of the canonical content. */
  id: string;
  /** ISO 8601 time of import (for the shipped snapshot: the date of its data). */
  importedAt: string;
  /** File path, URL, or `snapshot`. */
  source: string;
  sets: EndpointSet[];
}

/** The web-service JSON shape of one set (ports as strings, empty fields left out). */
export function toServiceJson(set: EndpointSet): Record<string, unknown> {
  const out: Record<string, unknown> = { id: set.id, serviceArea: set.serviceArea };
  if (set.serviceAreaDisplayName !== undefined) out.serviceAreaDisplayName = set.serviceAreaDisplayName;
  if (set.urls.length > 0) out.urls = set.urls;
  if (set.ips.length > 0) out.ips = set.ips;
  if (set.tcpPorts.length > 0) out.tcpPorts = formatPorts(set.tcpPorts);
  if (set.udpPorts.length > 0) out.udpPorts = formatPorts(set.udpPorts);
  out.expressRoute = set.expressRoute;
  out.category = set.category;
  out.required = set.required;
  if (set.notes !== undefined) out.notes = set.notes;
  return out;
}

/** Content id of a list of sets (order-independent: sets are hashed sorted by id). */
export function catalogId(sets: readonly EndpointSet[]): string {
  const canonical = JSON.stringify([...sets].sort((a, b) => a.id - b.id).map(toServiceJson));
  return `c${createHash('sha256').update(canonical).digest('hex').slice(0, 12)}`;
}

/** Builds a version from validated sets. */
export function makeVersion(sets: EndpointSet[], source: string, importedAt = new Date()): CatalogVersion {
  return { id: catalogId(sets), importedAt: importedAt.toISOString(), source, sets };
}
