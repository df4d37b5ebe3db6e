/**
 * @module catalog/snapshot
 * The catalog shipped with netinsights (snapshot/SOURCE.md says where it
 * comes from). It is the fallback whenever nothing else was imported, so the
 * remediation artifacts work offline.
 */
import { readFileSync } from 'node:fs';
import { type CatalogVersion, makeVersion } from './catalog-version.ts';
import { parseCatalogText } from './parse-catalog.ts';

/** Path of the shipped file (for `netinsights endpoints import`, tests and docs). */
export const SNAPSHOT_PATH = new URL('./snapshot/m365-endpoints-worldwide.json', import.meta.url);

/** The date of the snapshot's data (the Microsoft page it was converted from). */
export const SNAPSHOT_DATE = new Date('2026-08-14T00:00:00Z');

let cached: CatalogVersion | undefined;

/** The shipped catalog, parsed and validated once per process. */
export function snapshotCatalog(): CatalogVersion {
  cached ??= makeVersion(
    parseCatalogText(readFileSync(SNAPSHOT_PATH, 'utf8'), 'snapshot'),
    'snapshot',
    SNAPSHOT_DATE,
  );
  return cached;
}
