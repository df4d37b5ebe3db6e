/**
 * @module compare-verdicts.test
 * The comparison `lab run` and the acceptance test rely on must catch every
 * kind of disagreement, or a broken probe would pass the scenarios.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CheckResult, fail, ok, type ProbeReport } from '@netinsights/protocol';
import { compareVerdicts, type ExpectedVerdict } from '../src/index.ts';

function result(
  kind: CheckResult['kind'],
  host: string,
  outcome: CheckResult['outcome'],
  vendor?: string,
): CheckResult {
  return {
    id: `${kind}:${host}`,
    kind,
    target: { host, port: 443 },
    path: { type: 'proxy', proxy: 'http://127.0.0.1:3128' },
    outcome,
    durationMs: 1,
    ...(vendor
      ? {
          tls: {
            alpnOffered: ['h2'],
            chain: [],
            verdict: 'intercepted' as const,
            vendor,
            trustedBySystem: true,
          },
        }
      : {}),
  };
}

function report(results: CheckResult[]): ProbeReport {
  return {
    schema: 'netinsights.probe-report/v1',
    reportId: '00000000-0000-4000-8000-000000000000',
    probe: { version: '0', profile: 'm365-lab' },
    startedAt: '2026-11-23T00:00:00.000Z',
    finishedAt: '2026-11-23T00:00:01.000Z',
    environment: {
      os: { platform: 'linux', release: 'x', arch: 'x64' },
      proxy: { mode: 'direct', source: 'none' },
      dnsResolvers: [],
      localAddresses: [],
    },
    results,
  };
}

const intercepted = fail('tls', 'intercepted', 'x');
const expected: ExpectedVerdict[] = [
  { checkKind: 'tls', code: 'tls/intercepted', vendor: 'Zscaler', path: 'proxy' },
  { checkKind: 'https', host: 'static.microsoft', code: ['ok', 'tls/intercepted'] },
];

describe('compareVerdicts', () => {
  it('agrees when every selected check meets its line and the rest pass', () => {
    const r = report([
      result('tls', 'a.cloud.microsoft', intercepted, 'Zscaler'),
      result('tls', 'b.static.microsoft', intercepted, 'Zscaler'),
      result('https', 'b.static.microsoft', ok()),
      result('https', 'a.cloud.microsoft', ok()),
    ]);
    const c = compareVerdicts(expected, r);
    assert.equal(c.ok, true, JSON.stringify(c.lines));
    assert.equal(c.lines.length, 3);
    assert.match(c.lines[0]!.observed, /tls\/intercepted \[Zscaler\] via proxy ×2/);
  });

  it('flags one check with the wrong code among many right ones', () => {
    const r = report([
      result('tls', 'a.cloud.microsoft', intercepted, 'Zscaler'),
      result('tls', 'b.static.microsoft', ok()),
      result('https', 'b.static.microsoft', ok()),
    ]);
    const c = compareVerdicts(expected, r);
    assert.equal(c.ok, false);
    assert.equal(c.lines[0]!.match, false);
    assert.match(c.lines[0]!.observed, /^ok via proxy \(b\.static\.microsoft\)$/);
  });

  it('flags the wrong vendor', () => {
    const r = report([
      result('tls', 'a.cloud.microsoft', intercepted, 'Fortinet FortiGate'),
      result('https', 'b.static.microsoft', ok()),
    ]);
    assert.equal(compareVerdicts(expected, r).lines[0]!.match, false);
  });

  it('flags an expectation that selects no check at all', () => {
    const r = report([result('tls', 'a.cloud.microsoft', intercepted, 'Zscaler')]);
    const c = compareVerdicts(expected, r);
    assert.equal(c.lines[1]!.match, false);
    assert.equal(c.lines[1]!.observed, 'no such check in the report');
  });

  it('flags a failure in a check no line expects', () => {
    const r = report([
      result('tls', 'a.cloud.microsoft', intercepted, 'Zscaler'),
      result('https', 'b.static.microsoft', ok()),
      result('quic', 'a.cloud.microsoft', fail('quic', 'no-reply', 'x')),
    ]);
    const c = compareVerdicts(expected, r);
    assert.equal(c.ok, false);
    assert.equal(c.lines.at(-1)!.observed, 'quic a.cloud.microsoft: quic/no-reply');
  });
});
