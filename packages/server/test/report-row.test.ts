/**
 * The stored summary of a report (checks, failures, failure codes) counts
 * what the CLI and the report page count: skipped and not-applicable checks
 * were not run, so they are neither failures nor part of the total.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fail } from '@netinsights/protocol';
import { summarise } from '../src/ingest/report-row.ts';
import { sampleReport } from './helpers/sample-report.ts';

test('report list counted skipped and not-applicable checks as failures', () => {
  const report = sampleReport({ checks: 36 });
  // 9 real failures, 4 skipped after them, 1 not applicable (QUIC behind a proxy).
  report.results.forEach((r, i) => {
    if (i < 9) r.outcome = fail('tls', 'intercepted', 'an unknown CA signed the chain');
    else if (i < 13) r.outcome = fail('probe', 'skipped', 'depends on a failed check');
    else if (i === 13) r.outcome = fail('probe', 'not-applicable', 'QUIC is not tried through a proxy');
  });
  const s = summarise(report);
  assert.deepEqual(s, { checks: 31, failures: 9, failureCodes: ['tls/intercepted'] });
});

test('a report whose only non-passing checks were not run counts as all passed', () => {
  const report = sampleReport({ checks: 10 });
  report.results[3]!.outcome = fail('probe', 'not-applicable', 'QUIC is not tried through a proxy');
  assert.deepEqual(summarise(report), { checks: 9, failures: 0, failureCodes: [] });
});

test('a probe failure that is not "not run" (deadline, internal) still counts as a failure', () => {
  const report = sampleReport({ checks: 10 });
  report.results[0]!.outcome = fail('probe', 'deadline', 'cut off by the run deadline');
  assert.deepEqual(summarise(report), { checks: 10, failures: 1, failureCodes: ['probe/deadline'] });
});
