/**
 * @module ingest/report-row
 * The columns stored beside a report's JSON: counts and failure codes that
 * the report list shows without opening the document.
 *
 * Checks that were not run (skipped after an earlier failure, or not
 * applicable on the host's route) are neither failures nor part of the
 * count, exactly as the CLI's summary and the report page count them
 * (protocol `isNotRun`): a list saying "14 of 36 failed" where the report
 * says "9 of 31 failed · 5 not run" would send the admin after checks that
 * never ran.
 */
import { failureCode, isNotRun, type ProbeReport } from '@netinsights/protocol';

export function summarise(report: ProbeReport): { checks: number; failures: number; failureCodes: string[] } {
  let checks = 0;
  let failures = 0;
  const codes = new Set<string>();
  for (const r of report.results) {
    if (isNotRun(r.outcome)) continue;
    checks++;
    const code = failureCode(r.outcome);
    if (code) {
      failures++;
      codes.add(code);
    }
  }
  return { checks, failures, failureCodes: [...codes].sort() };
}
