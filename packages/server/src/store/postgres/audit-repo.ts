/** @module store/postgres/audit-repo — append-only log of admin actions. */
import type { AuditRow, Page } from '../contract.ts';
import { toAudit } from '../row-decoders.ts';
import { decodeCursor, encodeCursor } from '../sqlite/db.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('audit', (db) => ({
  async append(a) {
    await db.run(
      `INSERT INTO audit_log (tenant_id, id, at, actor, action, target, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        a.tenantId,
        a.id,
        a.at,
        a.actor,
        a.action,
        a.target,
        a.details === undefined ? null : JSON.stringify(a.details),
      ],
    );
  },
  async list(tenantId, { cursor, limit }): Promise<Page<AuditRow>> {
    const c = cursor ? decodeCursor(cursor) : undefined;
    const rows = c
      ? await db.all(
          `SELECT * FROM audit_log WHERE tenant_id = $1 AND (at, id) < ($2, $3)
           ORDER BY at DESC, id DESC LIMIT $4`,
          [tenantId, c.at, c.id, limit + 1],
        )
      : await db.all('SELECT * FROM audit_log WHERE tenant_id = $1 ORDER BY at DESC, id DESC LIMIT $2', [
          tenantId,
          limit + 1,
        ]);
    const items = rows.slice(0, limit).map(toAudit);
    const last = items[items.length - 1];
    return rows.length > limit && last ? { items, nextCursor: encodeCursor(last.at, last.id) } : { items };
  },
}));
