/**
 * @module catalog/snapshot
 * The shipped catalog (protocol/catalog/SOURCE.md says where it comes from)
 * as a catalog version. It is the fallback whenever nothing else was
 * imported, so the remediation artifacts work offline.
 */
import { SNAPSHOT_DATE, snapshotSets } from '@netinsights/protocol/catalog/snapshot.ts';
import { type CatalogVersion, makeVersion } from './catalog-version.ts';

export { SNAPSHOT_DATE, SNAPSHOT_PATH } from '@netinsights/protocol/catalog/snapshot.ts';

let cached: CatalogVersion | undefined;

/** The shipped catalog, parsed and validated once per process. */
export function snapshotCatalog(): CatalogVersion {
  cached ??= makeVersion(snapshotSets(), 'snapshot', SNAPSHOT_DATE);
  return cached;
}
