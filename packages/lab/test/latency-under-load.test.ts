/**
 * @module latency-under-load.test
 * Bufferbloat as the probe measures it, with four probes at once through
 * the lab (as the demo's and the end-to-end test's fleets run them): on the
 * healthy paths the latency under load stays near the idle latency — the
 * probe's loaded samples run on their own thread and the lab's proxy on its
 * own, so neither the probes' downloads nor the lab's event loop read as
 * bufferbloat — while the bloated uplink adds well over 100 ms.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runProbe } from '@netinsights/probe';
import { bufferbloatMs } from '@netinsights/protocol';
import { type Lab, startLab } from '../src/index.ts';

/** Microsoft's bufferbloat figure, and the insight's default limit. */
const LIMIT_MS = 100;
const CONCURRENT = 4;
const ROUNDS = 2;

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

describe(`bufferbloat with ${CONCURRENT} probes at once`, { timeout: 180_000 }, () => {
  let lab: Lab;
  before(async () => {
    lab = await startLab();
  });
  after(() => lab?.close());

  async function bloats(scenario: string): Promise<number[]> {
    const out: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const reports = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, i) =>
          runProbe(lab.probeOptionsFor(scenario, { deviceId: `bloat-${scenario}-${i}` })),
        ),
      );
      for (const r of reports) {
        const b = bufferbloatMs(r.results);
        assert.notEqual(b, undefined, `${scenario}: every report has idle and loaded medians`);
        out.push(b!);
      }
    }
    return out.sort((a, b) => a - b);
  }

  for (const scenario of ['healthy-direct', 'healthy-proxy'])
    it(`${scenario}: small, and under the ${LIMIT_MS} ms limit in at least three runs of four`, async () => {
      const b = await bloats(scenario);
      assert.ok(median(b) < 30, `median bufferbloat ${median(b)} ms (runs: ${b.join(', ')})`);
      // The insight opens when half the runs reach the limit (rules/latency-under-load.ts); a
      // loaded shared machine may push a rare run over it, never a quarter of them.
      const over = b.filter((x) => x >= LIMIT_MS).length;
      assert.ok(
        over < b.length / 4,
        `${over} of ${b.length} runs at or over ${LIMIT_MS} ms: ${b.join(', ')}`,
      );
    });

  it('bufferbloat: every run adds at least 100 ms under load', async () => {
    const b = await bloats('bufferbloat');
    assert.ok(
      b.every((x) => x >= LIMIT_MS),
      `runs: ${b.join(', ')}`,
    );
  });
});
