/** @module store/statements/agent-checkins — each agent's last check-in (agents/checkin-store-contract.ts); both dialects. */
import type { AgentCheckinRow } from '../../agents/checkin-store-contract.ts';
import { exec, many, type Row } from '../shared/statement.ts';

const toRow = (r: Row): AgentCheckinRow => ({
  tenantId: r.tenant_id as string,
  tokenId: r.token_id as string,
  deviceId: r.device_id as string,
  version: r.version as string,
  seenAt: r.seen_at as string,
});

export const AGENT_CHECKINS = {
  record: exec(
    `INSERT INTO agent_checkins AS c (tenant_id, token_id, device_id, version, seen_at)
     VALUES ($tenantId, $tokenId, $deviceId, $version, $seenAt)
     ON CONFLICT (tenant_id, token_id, device_id) DO UPDATE SET version = $version, seen_at = $seenAt`,
    (r: AgentCheckinRow) => r,
  ),
  list: many(
    'SELECT * FROM agent_checkins WHERE tenant_id = $tenantId ORDER BY seen_at DESC, token_id, device_id',
    (tenantId: string) => ({ tenantId }),
    toRow,
  ),
  // Bounded by time so the tenant's (tenant_id, received_at) index serves it, not a scan of all its reports.
  lastReports: many(
    `SELECT device_id, max(received_at) AS at FROM reports
     WHERE tenant_id = $tenantId AND received_at >= $since AND device_id IS NOT NULL
     GROUP BY device_id`,
    (tenantId: string, since: string) => ({ tenantId, since }),
    (r: Row) => ({ deviceId: r.device_id as string, at: r.at as string }),
  ),
};
