/**
 * @module store/statements/tokens
 * Agent tokens and API tokens: one table shape (a hashed secret, a name, one
 * column of their own, last use and revocation), so one set of statements
 * made per table serves both, in both dialects.
 */
import type { ApiTokenRow, TokenRowBase } from '../contract.ts';
import { toAgentToken, toApiToken } from '../row-decoders.ts';
import type { Row } from '../shared/statement.ts';
import { changed, changes, exec, many, one } from '../shared/statement.ts';

/**
 * The statements of a token table whose own column is `column`, filled from
 * the row field `field`.
 */
export function tokenStatements<T extends TokenRowBase>(
  table: string,
  own: { column: string; field: keyof T & string },
  decode: (r: Row) => T,
) {
  const at = (tenantId: string, id: string, at: string) => ({ tenantId, id, at });
  return {
    create: exec(
      `INSERT INTO ${table} (tenant_id, id, name, ${own.column}, token_hash, created_at, last_used_at, revoked_at)
       VALUES ($tenantId, $id, $name, $${own.field}, $tokenHash, $createdAt, $lastUsedAt, $revokedAt)`,
      (t: T) => t,
    ),
    findByTokenHash: one(
      `SELECT * FROM ${table} WHERE token_hash = $tokenHash`,
      (tokenHash: string) => ({ tokenHash }),
      decode,
    ),
    list: many(
      `SELECT * FROM ${table} WHERE tenant_id = $tenantId ORDER BY created_at, id`,
      (tenantId: string) => ({ tenantId }),
      decode,
    ),
    revoke: changed(
      `UPDATE ${table} SET revoked_at = $at WHERE tenant_id = $tenantId AND id = $id AND revoked_at IS NULL`,
      at,
    ),
    touch: exec(`UPDATE ${table} SET last_used_at = $at WHERE tenant_id = $tenantId AND id = $id`, at),
  };
}

export const AGENT_TOKENS = tokenStatements(
  'agent_tokens',
  { column: 'office_id', field: 'officeId' },
  toAgentToken,
);
const apiTokenColumns = tokenStatements('api_tokens', { column: 'scope', field: 'scope' }, toApiToken);
export const API_TOKENS = {
  ...apiTokenColumns,
  create: exec(
    `INSERT INTO api_tokens (tenant_id, id, name, scope, token_hash, created_at, last_used_at, revoked_at, created_by)
     VALUES ($tenantId, $id, $name, $scope, $tokenHash, $createdAt, $lastUsedAt, $revokedAt, $createdBy)`,
    (t: ApiTokenRow) => ({ ...t, createdBy: t.createdBy ?? null }),
  ),
  revokeCreatedBy: changes(
    `UPDATE api_tokens SET revoked_at = $at
     WHERE tenant_id = $tenantId AND created_by = $userId AND revoked_at IS NULL`,
    (tenantId: string, userId: string, at: string) => ({ tenantId, userId, at }),
  ),
};
