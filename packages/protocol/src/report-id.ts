/**
 * @module report-id
 * New report ids: UUID version 7 (RFC 9562 §5.7), whose first 48 bits are the
 * Unix time in milliseconds. Collectors keep a unique index on
 * (tenant, report id) to store each report once; time-ordered ids land at
 * the right edge of that index instead of on a random page, so each upload
 * dirties one index page per batch rather than one per report. Collectors
 * accept any UUID (older probes send version 4).
 */
import { v7 } from 'uuid';

export function newReportId(): string {
  return v7();
}
