/** @module store/sqlite/settings-repo — small per-tenant JSON documents. */
import { str } from './db.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('settings', (db) => ({
  get(tenantId, key) {
    const r = db.get('SELECT value FROM settings WHERE tenant_id = $tenantId AND key = $key', {
      tenantId,
      key,
    });
    return r ? (JSON.parse(str(r.value)) as unknown) : undefined;
  },
  put(tenantId, key, value, at) {
    db.run(
      `INSERT INTO settings (tenant_id, key, value, updated_at) VALUES ($tenantId, $key, $value, $at)
       ON CONFLICT (tenant_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      { tenantId, key, value: JSON.stringify(value), at },
    );
  },
}));
