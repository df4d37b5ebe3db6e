/** @module store/statements/sessions — sign-in sessions, found by the hash of their cookie; both dialects. */
import type { SessionRow } from '../contract.ts';
import { toSession } from '../row-decoders.ts';
import { changes, exec, one } from '../shared/statement.ts';

export const SESSIONS = {
  create: exec(
    `INSERT INTO sessions (tenant_id, id, user_id, token_hash, created_at, expires_at)
     VALUES ($tenantId, $id, $userId, $tokenHash, $createdAt, $expiresAt)`,
    (s: SessionRow) => s,
  ),
  findByTokenHash: one(
    'SELECT * FROM sessions WHERE token_hash = $tokenHash',
    (tokenHash: string) => ({ tokenHash }),
    toSession,
  ),
  delete: exec(
    'DELETE FROM sessions WHERE tenant_id = $tenantId AND id = $id',
    (tenantId: string, id: string) => ({
      tenantId,
      id,
    }),
  ),
  deleteForUser: exec(
    'DELETE FROM sessions WHERE tenant_id = $tenantId AND user_id = $userId',
    (tenantId: string, userId: string) => ({ tenantId, userId }),
  ),
  purgeExpired: changes('DELETE FROM sessions WHERE expires_at <= $now', (now: string) => ({ now })),
};
