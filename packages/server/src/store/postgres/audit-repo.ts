/** @module store/postgres/audit-repo — the append-only log of admin actions on PostgreSQL (store/statements/audit.ts). */
import { toAudit } from '../row-decoders.ts';
import { pageOf } from '../shared/cursor.ts';
import { AUDIT, auditKey, auditPage } from '../statements/audit.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('audit', (db) => ({
  ...db.bind(AUDIT),
  async list(tenantId, { cursor, limit }) {
    const [sql, params] = auditPage(tenantId, cursor, limit);
    return pageOf(await db.all(sql, params), limit, toAudit, auditKey);
  },
}));
