/**
 * @module catalog/catalog-service
 * The per-tenant catalog on the server: the version in force (the shipped
 * snapshot until the tenant imports one), imports that validate completely
 * before anything is stored, and version lookups for diffs.
 */
import { NetinsightsError } from '@netinsights/protocol';
import { parseCatalogText } from '@netinsights/protocol/catalog/parse-catalog.ts';
import type { Store } from '../store/contract.ts';
import { type CatalogVersion, makeVersion } from './catalog-version.ts';
import { type CatalogDiff, diffCatalogs } from './diff.ts';
import { snapshotCatalog } from './snapshot.ts';

/** The catalog in force for a tenant. */
export async function currentCatalog(store: Store, tenantId: string): Promise<CatalogVersion> {
  const id = await store.catalog.currentId(tenantId);
  if (!id) return snapshotCatalog();
  return (await store.catalog.getVersion(tenantId, id)) ?? snapshotCatalog();
}

/** A version by id, or `snapshot` / `current`; 404 when the tenant has no such version. */
export async function catalogVersion(store: Store, tenantId: string, ref: string): Promise<CatalogVersion> {
  if (ref === 'snapshot') return snapshotCatalog();
  if (ref === 'current') return currentCatalog(store, tenantId);
  if (ref === snapshotCatalog().id) return snapshotCatalog();
  const v = await store.catalog.getVersion(tenantId, ref);
  if (!v) throw new NetinsightsError('NI_ERR_NOT_FOUND', `no catalog version "${ref}"`);
  return v;
}

/**
 * Validates `text` and makes it the tenant's catalog in force. A malformed
 * catalog throws CatalogError (422, naming index and field) before any write,
 * so the catalog in force stays as it was.
 */
export async function importCatalog(
  store: Store,
  tenantId: string,
  text: string,
  source: string,
  now: Date,
): Promise<{ version: CatalogVersion; created: boolean; diff: CatalogDiff }> {
  const sets = parseCatalogText(text, source);
  const version = makeVersion(sets, source, now);
  return store.transaction(async (tx) => {
    const previous = await currentCatalog(tx, tenantId);
    const created = await tx.catalog.putVersion(tenantId, version);
    await tx.catalog.setCurrent(tenantId, version.id, now.toISOString());
    const stored = created ? version : ((await tx.catalog.getVersion(tenantId, version.id)) ?? version);
    return { version: stored, created, diff: diffCatalogs(previous, stored) };
  });
}
