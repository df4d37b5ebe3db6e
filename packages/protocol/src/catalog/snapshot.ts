/**
 * @module catalog/snapshot
 * The Microsoft 365 endpoint catalog shipped with netinsights
 * (`catalog/SOURCE.md` says where it comes from). It lives in protocol so
 * that the server (remediation artifacts offline) and the probe (the
 * endpoint sweep offline, from one bundled file) read the same document.
 */
import { fileURLToPath } from 'node:url';
// Imported rather than read from disk, so that a bundled probe carries it (as the m365 profile).
import document from '../../catalog/m365-endpoints-worldwide.json' with { type: 'json' };
import type { EndpointSet } from './endpoint-set.ts';
import { parseCatalog } from './parse-catalog.ts';

/** Path of the shipped file (for `netinsights endpoints import`, tests and docs). */
export const SNAPSHOT_PATH = fileURLToPath(
  new URL('../../catalog/m365-endpoints-worldwide.json', import.meta.url),
);

/** The date of the snapshot's data (the Microsoft page it was converted from). */
export const SNAPSHOT_DATE = new Date('2026-08-14T00:00:00Z');

/** The shipped document as the endpoint web service returns it (untrusted shape: parse before use). */
export const SNAPSHOT_DOCUMENT: unknown = document;

let cached: EndpointSet[] | undefined;

/** The shipped catalog's sets, validated once per process. */
export function snapshotSets(): EndpointSet[] {
  cached ??= parseCatalog(document, 'snapshot');
  return cached;
}
