/** @module store/sqlite/catalog-repo — per-tenant endpoint catalog versions (catalog/store-contract.ts). */
import { toServiceJson } from '../../catalog/catalog-version.ts';
import { parseCatalog } from '../../catalog/parse-catalog.ts';
import { num, str } from './db.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('catalog', (db) => ({
  putVersion(tenantId, version) {
    const r = db.run(
      `INSERT INTO catalog_versions (tenant_id, id, imported_at, source, set_count, sets)
       VALUES ($tenantId, $id, $at, $source, $count, $sets) ON CONFLICT (tenant_id, id) DO NOTHING`,
      {
        tenantId,
        id: version.id,
        at: version.importedAt,
        source: version.source,
        count: version.sets.length,
        sets: JSON.stringify(version.sets.map(toServiceJson)),
      },
    );
    return r.changes > 0;
  },
  getVersion(tenantId, id) {
    const r = db.get(
      'SELECT id, imported_at, source, sets FROM catalog_versions WHERE tenant_id = $tenantId AND id = $id',
      { tenantId, id },
    );
    if (!r) return undefined;
    // Stored sets were validated on import; parsing again rebuilds the typed form.
    return {
      id: str(r.id),
      importedAt: str(r.imported_at),
      source: str(r.source),
      sets: parseCatalog(JSON.parse(str(r.sets)), `stored version ${str(r.id)}`),
    };
  },
  listVersions(tenantId) {
    return db
      .all(
        `SELECT id, imported_at, source, set_count FROM catalog_versions
         WHERE tenant_id = $tenantId ORDER BY imported_at, id`,
        { tenantId },
      )
      .map((r) => ({
        id: str(r.id),
        importedAt: str(r.imported_at),
        source: str(r.source),
        sets: num(r.set_count),
      }));
  },
  setCurrent(tenantId, id, at) {
    db.run(
      `INSERT INTO catalog_current (tenant_id, version_id, updated_at) VALUES ($tenantId, $id, $at)
       ON CONFLICT (tenant_id) DO UPDATE SET version_id = excluded.version_id, updated_at = excluded.updated_at`,
      { tenantId, id, at },
    );
  },
  currentId(tenantId) {
    const r = db.get('SELECT version_id FROM catalog_current WHERE tenant_id = $tenantId', { tenantId });
    return r ? str(r.version_id) : undefined;
  },
}));
