/** @module store/statements/resolver-sightings — what the DNS listener saw per report label (dns/sighting-store-contract.ts); both dialects. */
import type { ClaimedSighting, SightingRow } from '../../dns/sighting-store-contract.ts';
import { changes, exec, one, type Row } from '../shared/statement.ts';

const toClaimed = (r: Row): ClaimedSighting => ({
  label: r.label as string,
  resolver: r.resolver as string,
  ecs: (r.ecs as string | null) ?? null,
  transport: r.transport as 'udp' | 'tcp',
  seenAt: r.seen_at as string,
  tenantId: r.tenant_id as string,
  reportId: r.report_id as string,
});

export const RESOLVER_SIGHTINGS = {
  record: exec(
    `INSERT INTO resolver_sightings (label, resolver, ecs, transport, seen_at)
     VALUES ($label, $resolver, $ecs, $transport, $seenAt)
     ON CONFLICT (label) DO NOTHING`,
    (r: SightingRow) => r,
  ),
  claim: one(
    `UPDATE resolver_sightings SET tenant_id = $tenantId, report_id = $reportId
     WHERE label = $label AND tenant_id IS NULL
     RETURNING label, resolver, ecs, transport, seen_at, tenant_id, report_id`,
    (label: string, tenantId: string, reportId: string) => ({ label, tenantId, reportId }),
    toClaimed,
  ),
  forReport: one(
    `SELECT label, resolver, ecs, transport, seen_at, tenant_id, report_id FROM resolver_sightings
     WHERE tenant_id = $tenantId AND report_id = $reportId`,
    (tenantId: string, reportId: string) => ({ tenantId, reportId }),
    toClaimed,
  ),
  purge: changes(
    `DELETE FROM resolver_sightings
     WHERE (tenant_id IS NULL AND seen_at < $before) OR seen_at < $claimedBefore`,
    (before: string, claimedBefore: string) => ({ before, claimedBefore }),
  ),
};
