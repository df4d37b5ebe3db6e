/** @module store/postgres/settings-repo — small per-tenant JSON documents. */
import { str } from './db.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('settings', (db) => ({
  async get(tenantId, key) {
    const r = await db.get('SELECT value FROM settings WHERE tenant_id = $1 AND key = $2', [tenantId, key]);
    return r ? (JSON.parse(str(r.value)) as unknown) : undefined;
  },
  async put(tenantId, key, value, at) {
    await db.run(
      `INSERT INTO settings (tenant_id, key, value, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [tenantId, key, JSON.stringify(value), at],
    );
  },
}));
