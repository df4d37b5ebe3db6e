/** @module store/statements/settings — small per-tenant JSON documents, for both dialects. */
import { str } from '../row-decoders.ts';
import { exec, first } from '../shared/statement.ts';

export const SETTINGS = {
  get: first(
    'SELECT value FROM settings WHERE tenant_id = $tenantId AND key = $key',
    (tenantId: string, key: string) => ({ tenantId, key }),
    (r): unknown => (r ? (JSON.parse(str(r.value)) as unknown) : undefined),
  ),
  put: exec(
    `INSERT INTO settings (tenant_id, key, value, updated_at) VALUES ($tenantId, $key, $value, $at)
     ON CONFLICT (tenant_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    (tenantId: string, key: string, value: unknown, at: string) => ({
      tenantId,
      key,
      value: JSON.stringify(value),
      at,
    }),
  ),
};
