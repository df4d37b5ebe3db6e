/**
 * @module test/helpers/stored-report
 * A stored report row (what `store.reports.insert` takes) for tests that put
 * reports in the store directly: a test names the tenant, id and time, and
 * whatever else it looks at; the rest is a one-check report without failures.
 */
import type { ReportRow } from '../../src/store/contract.ts';

export function storedReport(
  row: Pick<ReportRow, 'tenantId' | 'id' | 'receivedAt'> & Partial<ReportRow>,
): ReportRow {
  return {
    officeId: null,
    discoveredId: null,
    deviceId: 'd1',
    egressIp: '192.0.2.1',
    checks: 1,
    failures: 0,
    failureCodes: [],
    body: '{}',
    ...row,
  };
}
