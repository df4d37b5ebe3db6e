/** @module store/statements/audit — the append-only log of admin actions, for both dialects. */
import type { AuditRow } from '../contract.ts';
import { decodeCursor } from '../shared/cursor.ts';
import { exec, type Params } from '../shared/statement.ts';

export const AUDIT = {
  append: exec(
    `INSERT INTO audit_log (tenant_id, id, at, actor, action, target, details)
     VALUES ($tenantId, $id, $at, $actor, $action, $target, $details)`,
    (a: AuditRow) => ({ ...a, details: a.details === undefined ? null : JSON.stringify(a.details) }),
  ),
};

const FIRST_PAGE =
  'SELECT * FROM audit_log WHERE tenant_id = $tenantId ORDER BY at DESC, id DESC LIMIT $limit';
const NEXT_PAGE = `SELECT * FROM audit_log WHERE tenant_id = $tenantId AND (at, id) < ($at, $id)
  ORDER BY at DESC, id DESC LIMIT $limit`;

/** The page query of `audit.list` (newest first; one row more than `limit` tells that more follow). */
export function auditPage(tenantId: string, cursor: string | undefined, limit: number): [string, Params] {
  const c = cursor ? decodeCursor(cursor) : undefined;
  return c
    ? [NEXT_PAGE, { tenantId, at: c.at, id: c.id, limit: limit + 1 }]
    : [FIRST_PAGE, { tenantId, limit: limit + 1 }];
}

/** Where the next page starts after `a`. */
export const auditKey = (a: AuditRow) => a;
