/** @module store/statements/enrollment — enrollment secrets (enrollment/store-contract.ts); both dialects. */
import type { EnrollmentSecretRow } from '../../enrollment/store-contract.ts';
import { changed, exec, many, one, type Row } from '../shared/statement.ts';

const toRow = (r: Row): EnrollmentSecretRow => ({
  tenantId: r.tenant_id as string,
  id: r.id as string,
  name: r.name as string,
  officeId: (r.office_id as string | null) ?? null,
  secretHash: r.secret_hash as string,
  createdAt: r.created_at as string,
  expiresAt: (r.expires_at as string | null) ?? null,
  maxUses: r.max_uses === null || r.max_uses === undefined ? null : Number(r.max_uses),
  uses: Number(r.uses),
  lastUsedAt: (r.last_used_at as string | null) ?? null,
  revokedAt: (r.revoked_at as string | null) ?? null,
});

const at = (tenantId: string, id: string, at: string) => ({ tenantId, id, at });

export const ENROLLMENT = {
  create: exec(
    `INSERT INTO enrollment_secrets
       (tenant_id, id, name, office_id, secret_hash, created_at, expires_at, max_uses, uses, last_used_at, revoked_at)
     VALUES ($tenantId, $id, $name, $officeId, $secretHash, $createdAt, $expiresAt, $maxUses, $uses, $lastUsedAt, $revokedAt)`,
    (r: EnrollmentSecretRow) => r,
  ),
  list: many(
    'SELECT * FROM enrollment_secrets WHERE tenant_id = $tenantId ORDER BY created_at, id',
    (tenantId: string) => ({ tenantId }),
    toRow,
  ),
  findBySecretHash: one(
    'SELECT * FROM enrollment_secrets WHERE secret_hash = $secretHash',
    (secretHash: string) => ({ secretHash }),
    toRow,
  ),
  consume: changed(
    `UPDATE enrollment_secrets SET uses = uses + 1, last_used_at = $at
     WHERE tenant_id = $tenantId AND id = $id AND revoked_at IS NULL
       AND (expires_at IS NULL OR expires_at > $at) AND (max_uses IS NULL OR uses < max_uses)`,
    at,
  ),
  revoke: changed(
    'UPDATE enrollment_secrets SET revoked_at = $at WHERE tenant_id = $tenantId AND id = $id AND revoked_at IS NULL',
    at,
  ),
};
