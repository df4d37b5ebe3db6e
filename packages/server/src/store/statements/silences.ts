/** @module store/statements/silences — maintenance windows per office, kind or tenant; both dialects. */
import type { InsightKind } from '../../insights/kinds.ts';
import type { SilenceRow } from '../../notify/silence-contract.ts';
import { num, str, strOrNull } from '../row-decoders.ts';
import { changed, exec, first, many, one, type Row } from '../shared/statement.ts';

const toSilence = (r: Row): SilenceRow => ({
  tenantId: str(r.tenant_id),
  id: str(r.id),
  officeId: strOrNull(r.office_id),
  kind: strOrNull(r.kind) as InsightKind | null,
  startsAt: str(r.starts_at),
  endsAt: str(r.ends_at),
  reason: str(r.reason),
  createdBy: str(r.created_by),
  createdAt: str(r.created_at),
  suppressed: num(r.suppressed),
  lastSuppressedAt: strOrNull(r.last_suppressed_at),
});

export const SILENCES = {
  create: exec(
    `INSERT INTO silences (tenant_id, id, office_id, kind, starts_at, ends_at, reason, created_by, created_at,
       suppressed, last_suppressed_at)
     VALUES ($tenantId, $id, $officeId, $kind, $startsAt, $endsAt, $reason, $createdBy, $createdAt, 0, NULL)`,
    (r: SilenceRow) => ({ ...r }),
  ),
  list: many(
    'SELECT * FROM silences WHERE tenant_id = $tenantId AND ends_at >= $since ORDER BY starts_at, id',
    (tenantId: string, since: string) => ({ tenantId, since }),
    toSilence,
  ),
  get: one(
    'SELECT * FROM silences WHERE tenant_id = $tenantId AND id = $id',
    (tenantId: string, id: string) => ({ tenantId, id }),
    toSilence,
  ),
  end: changed(
    `UPDATE silences SET ends_at = CASE WHEN starts_at > $at THEN starts_at ELSE $at END
     WHERE tenant_id = $tenantId AND id = $id AND ends_at > $at`,
    (tenantId: string, id: string, at: string) => ({ tenantId, id, at }),
  ),
  covering: first(
    `SELECT id FROM silences WHERE tenant_id = $tenantId AND starts_at <= $at AND ends_at > $at
       AND (office_id IS NULL OR office_id = $officeId) AND (kind IS NULL OR kind = $kind)
     ORDER BY starts_at, id LIMIT 1`,
    (tenantId: string, officeId: string, kind: string, at: string) => ({ tenantId, officeId, kind, at }),
    (r) => (r ? str(r.id) : undefined),
  ),
  countSuppressed: exec(
    `UPDATE silences SET suppressed = suppressed + 1, last_suppressed_at = $at
     WHERE tenant_id = $tenantId AND id = $id`,
    (tenantId: string, id: string, at: string) => ({ tenantId, id, at }),
  ),
};
