/** @module store/postgres/catalog-repo — per-tenant endpoint catalog versions (catalog/store-contract.ts). */
import { toServiceJson } from '../../catalog/catalog-version.ts';
import { parseCatalog } from '../../catalog/parse-catalog.ts';
import { num, str } from './db.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('catalog', (db) => ({
  async putVersion(tenantId, version) {
    const r = await db.run(
      `INSERT INTO catalog_versions (tenant_id, id, imported_at, source, set_count, sets)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, id) DO NOTHING`,
      [
        tenantId,
        version.id,
        version.importedAt,
        version.source,
        version.sets.length,
        JSON.stringify(version.sets.map(toServiceJson)),
      ],
    );
    return r.changes > 0;
  },
  async getVersion(tenantId, id) {
    const r = await db.get(
      'SELECT id, imported_at, source, sets FROM catalog_versions WHERE tenant_id = $1 AND id = $2',
      [tenantId, id],
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
  async listVersions(tenantId) {
    const rows = await db.all(
      `SELECT id, imported_at, source, set_count FROM catalog_versions
       WHERE tenant_id = $1 ORDER BY imported_at, id`,
      [tenantId],
    );
    return rows.map((r) => ({
      id: str(r.id),
      importedAt: str(r.imported_at),
      source: str(r.source),
      sets: num(r.set_count),
    }));
  },
  async setCurrent(tenantId, id, at) {
    await db.run(
      `INSERT INTO catalog_current (tenant_id, version_id, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id) DO UPDATE SET version_id = excluded.version_id, updated_at = excluded.updated_at`,
      [tenantId, id, at],
    );
  },
  async currentId(tenantId) {
    const r = await db.get('SELECT version_id FROM catalog_current WHERE tenant_id = $1', [tenantId]);
    return r ? str(r.version_id) : undefined;
  },
}));
