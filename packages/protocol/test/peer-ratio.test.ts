/** "Slower than peers" reads as a ratio to the area median, never as a percentage in the thousands. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { peerRatio, peerRatioWords, times } from '../src/peer-ratio.ts';

const figures = (officeLatencyMedianMs: number | null, officeThroughputMbps: number | null) => ({
  latencyMedianMs: 20,
  throughputMbps: 80,
  officeLatencyMedianMs,
  officeThroughputMbps,
});

test('the "Slower than peers" share read "26000 %": a 261-fold round trip reads "261 × the area median round trip"', () => {
  assert.equal(peerRatioWords(260, figures(5220, 80)), '261 × the area median round trip');
});

test('a round trip 3.2 times the area median reads "3.2 ×", and the worse of the two figures is the one named', () => {
  assert.equal(peerRatioWords(2.2, figures(64, 80)), '3.2 × the area median round trip');
  // Downloads at a quarter of the area's speed are further off than a round trip 1.5 times as long.
  assert.deepEqual(peerRatio(0.75, figures(30, 20)), { metric: 'throughput', ratio: 0.25 });
  assert.equal(peerRatioWords(0.75, figures(30, 20)), '0.25 × the area median download speed');
});

test('without the figures the ratio is the one the metric implies', () => {
  assert.equal(peerRatioWords(0.3, undefined), '1.3 × the area median');
  assert.equal(peerRatioWords(0.3, figures(null, null)), '1.3 × the area median');
});

test('times() keeps two significant figures and never rounds a real gap to "1.0 ×"', () => {
  assert.equal(times(1.04), '1.04 ×');
  assert.equal(times(1.1), '1.1 ×');
  assert.equal(times(12.4), '12 ×');
  assert.equal(times(0.456), '0.46 ×');
});
