/** @module store/sqlite/audit-repo — the append-only log of admin actions on SQLite (store/statements/audit.ts). */
import { toAudit } from '../row-decoders.ts';
import { pageOf } from '../shared/cursor.ts';
import { AUDIT, auditKey, auditPage } from '../statements/audit.ts';
import type { Params } from './db.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('audit', (db) => ({
  ...db.bind(AUDIT),
  list(tenantId, { cursor, limit }) {
    const [sql, params] = auditPage(tenantId, cursor, limit);
    return pageOf(db.all(sql, params as Params), limit, toAudit, auditKey);
  },
}));
