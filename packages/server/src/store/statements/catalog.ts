/** @module store/statements/catalog — per-tenant endpoint catalog versions (catalog/store-contract.ts), both dialects. */

import { parseCatalog } from '@netinsights/protocol/catalog/parse-catalog.ts';
import { type CatalogVersion, toServiceJson } from '../../catalog/catalog-version.ts';
import { num, str } from '../row-decoders.ts';
import { changed, exec, first, many } from '../shared/statement.ts';

export const CATALOG = {
  putVersion: changed(
    `INSERT INTO catalog_versions (tenant_id, id, imported_at, source, set_count, sets)
     VALUES ($tenantId, $id, $at, $source, $count, $sets) ON CONFLICT (tenant_id, id) DO NOTHING`,
    (tenantId: string, version: CatalogVersion) => ({
      tenantId,
      id: version.id,
      at: version.importedAt,
      source: version.source,
      count: version.sets.length,
      sets: JSON.stringify(version.sets.map(toServiceJson)),
    }),
  ),
  getVersion: first(
    'SELECT id, imported_at, source, sets FROM catalog_versions WHERE tenant_id = $tenantId AND id = $id',
    (tenantId: string, id: string) => ({ tenantId, id }),
    (r): CatalogVersion | undefined =>
      r && {
        id: str(r.id),
        importedAt: str(r.imported_at),
        source: str(r.source),
        // Stored sets were validated on import; parsing again rebuilds the typed form.
        sets: parseCatalog(JSON.parse(str(r.sets)), `stored version ${str(r.id)}`),
      },
  ),
  listVersions: many(
    `SELECT id, imported_at, source, set_count FROM catalog_versions
     WHERE tenant_id = $tenantId ORDER BY imported_at, id`,
    (tenantId: string) => ({ tenantId }),
    (r) => ({ id: str(r.id), importedAt: str(r.imported_at), source: str(r.source), sets: num(r.set_count) }),
  ),
  setCurrent: exec(
    `INSERT INTO catalog_current (tenant_id, version_id, updated_at) VALUES ($tenantId, $id, $at)
     ON CONFLICT (tenant_id) DO UPDATE SET version_id = excluded.version_id, updated_at = excluded.updated_at`,
    (tenantId: string, id: string, at: string) => ({ tenantId, id, at }),
  ),
  currentId: first(
    'SELECT version_id FROM catalog_current WHERE tenant_id = $tenantId',
    (tenantId: string) => ({ tenantId }),
    (r) => (r ? str(r.version_id) : undefined),
  ),
};
