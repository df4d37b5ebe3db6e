/** @module store/sqlite/audit-repo — append-only log of admin actions. */
import type { AuditRow, Page } from '../contract.ts';
import { toAudit } from '../row-decoders.ts';
import { decodeCursor, encodeCursor } from './db.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('audit', (db) => ({
  append(a) {
    db.run(
      `INSERT INTO audit_log (tenant_id, id, at, actor, action, target, details)
       VALUES ($tenantId, $id, $at, $actor, $action, $target, $details)`,
      { ...a, details: a.details === undefined ? null : JSON.stringify(a.details) },
    );
  },
  list(tenantId, { cursor, limit }): Page<AuditRow> {
    const c = cursor ? decodeCursor(cursor) : undefined;
    const rows = c
      ? db.all(
          `SELECT * FROM audit_log WHERE tenant_id = $tenantId AND (at, id) < ($at, $id)
           ORDER BY at DESC, id DESC LIMIT $limit`,
          { tenantId, at: c.at, id: c.id, limit: limit + 1 },
        )
      : db.all('SELECT * FROM audit_log WHERE tenant_id = $tenantId ORDER BY at DESC, id DESC LIMIT $limit', {
          tenantId,
          limit: limit + 1,
        });
    const items = rows.slice(0, limit).map(toAudit);
    const last = items[items.length - 1];
    return rows.length > limit && last ? { items, nextCursor: encodeCursor(last.at, last.id) } : { items };
  },
}));
