/**
 * @module ingest/report-row
 * The columns stored beside a report's JSON: counts and failure codes that
 * the report list shows without opening the document.
 */
import { failureCode, type ProbeReport } from '@netinsights/protocol';

export function summarise(report: ProbeReport): { checks: number; failures: number; failureCodes: string[] } {
  let failures = 0;
  const codes = new Set<string>();
  for (const r of report.results) {
    const code = failureCode(r.outcome);
    if (code) {
      failures++;
      codes.add(code);
    }
  }
  return { checks: report.results.length, failures, failureCodes: [...codes].sort() };
}
