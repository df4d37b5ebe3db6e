/**
 * Latency and throughput against a real local origin: samples, median and
 * jitter; downloads bounded by bytes or by time; the slow verdicts.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { jitter, median } from '../src/checks/latency.ts';
import { MIN_MEASURED_BYTES } from '../src/checks/throughput.ts';
import { renderReport } from '../src/report/text-report.ts';
import {
  code,
  DL_HOST,
  HOSTS,
  loopbackPins,
  type Pki,
  probe,
  result,
  testPki,
  testProfile,
} from './helpers/fixture.ts';
import { type OriginOptions, startGenuineOrigin } from './helpers/origin-server.ts';

const A = HOSTS[0] as string;
let pki: Pki;
before(async () => {
  pki = await testPki();
});

async function run(
  origin: Partial<OriginOptions>,
  profile: { slowAboveMs?: number; slowBelowMbps?: number; maxBytes?: number; maxSeconds?: number },
) {
  const o = await startGenuineOrigin(pki, origin);
  try {
    const report = await probe({
      profile: testProfile({ port: o.port, genuineRoot: pki.genuineRoot, ...profile }),
      resolve: loopbackPins(o.port),
      extraTrustedCas: [pki.genuineRoot.certPem],
    });
    return {
      report,
      latency: result(report, `latency:${A}:${o.port}`),
      throughput: result(report, `throughput:${DL_HOST}:${o.port}`),
    };
  } finally {
    await o.close();
  }
}

describe('latency', () => {
  test('median and jitter', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(jitter([10, 12, 9]), 2.5);
    assert.equal(jitter([10]), undefined);
  });

  test('takes the profile’s number of samples; above the threshold is perf/slow-latency', async () => {
    const fine = await run({}, {});
    assert.equal(code(fine.latency), 'ok');
    assert.equal(fine.latency.latency?.samplesMs.length, 3);
    assert.equal(typeof fine.latency.latency?.medianMs, 'number');
    // No loopback connect takes less than 0 ms: a threshold of 0 must trip.
    const slow = await run({}, { slowAboveMs: 0 });
    assert.equal(code(slow.latency), 'perf/slow-latency');
  });
});

describe('throughput', () => {
  test('a fast download stops at maxBytes', async () => {
    const { throughput } = await run({}, { maxBytes: 512 * 1024, maxSeconds: 5, slowBelowMbps: 0.1 });
    assert.equal(code(throughput), 'ok');
    assert.equal(throughput.throughput?.limitedBy, 'bytes');
    assert.ok((throughput.throughput?.bytes ?? 0) >= 512 * 1024);
  });

  test('a trickle stops at maxSeconds and is perf/slow-throughput', async () => {
    const { throughput } = await run(
      { trickleBytesPerSecond: 20_000 },
      { maxBytes: 8 * 1048576, maxSeconds: 0.6, slowBelowMbps: 5 },
    );
    assert.equal(code(throughput), 'perf/slow-throughput');
    assert.equal(throughput.throughput?.limitedBy, 'time');
    assert.ok((throughput.throughput?.mbps ?? 99) < 5);
  });
});

describe('throughput: an object too small to measure', () => {
  test('no speed is reported; the outcome and the text report say "not measured: object too small (N bytes)"', async () => {
    const { report, throughput } = await run(
      { downloadBytes: 50_000 },
      { maxBytes: 8 * 1048576, maxSeconds: 2, slowBelowMbps: 1_000_000 },
    );
    // Even a threshold no path meets is not judged: there is no speed to judge.
    assert.equal(code(throughput), 'probe/not-measured');
    assert.equal(throughput.throughput?.bytes, 50_000);
    assert.equal(throughput.throughput?.limitedBy, 'eof');
    assert.equal(throughput.throughput?.mbps, undefined);
    assert.deepEqual(throughput.throughput?.tooSmall, { minBytes: MIN_MEASURED_BYTES });
    assert.match(
      throughput.outcome.status === 'fail' ? throughput.outcome.message : '',
      /object too small \(50000 bytes\)/,
    );
    const text = renderReport(report, { color: false });
    assert.match(text, /throughput +\S+ +not measured: object too small \(50000 bytes\)/);
    // Neither a finding nor a failed check (the test origin answers no QUIC: that is its finding).
    const findings = text.slice(text.indexOf('Findings'), text.indexOf('Critical hosts'));
    assert.doesNotMatch(findings, /dl\.cloud\.test|too small/);
    assert.match(text, /13 of 14 checks passed \(1 not measured\)/);
  });

  test('an object just over the minimum is measured and judged', async () => {
    const { throughput } = await run(
      { downloadBytes: MIN_MEASURED_BYTES + 16_384 },
      { maxBytes: 8 * 1048576, maxSeconds: 2, slowBelowMbps: 1_000_000 },
    );
    assert.equal(code(throughput), 'perf/slow-throughput');
    assert.equal(throughput.throughput?.limitedBy, 'eof');
    assert.equal(typeof throughput.throughput?.mbps, 'number');
    assert.equal(throughput.throughput?.tooSmall, undefined);
  });
});
