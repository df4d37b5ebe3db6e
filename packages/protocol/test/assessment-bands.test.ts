/**
 * The network assessment bands: every published point scores exactly its
 * figure, values between points are linear, values beyond either end take
 * the end's score; and the MOS mapping agrees with the E-model it is
 * documented from (G.107's R → MOS at G.109's category edges).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bandScore, DOWNLOAD_BAND, estimateMos, LATENCY_BAND, MOS_BAND } from '../src/index.ts';

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} is not ${expected}`);

describe('assessment bands', () => {
  it('latency: each published point (≤ 10 → 100 … ≥ 350 → 0)', () => {
    const points: [number, number][] = [
      [10, 100],
      [25, 80],
      [100, 60],
      [200, 40],
      [300, 20],
      [350, 0],
    ];
    for (const [ms, score] of points) close(bandScore(LATENCY_BAND, ms), score, `${ms} ms`);
  });

  it('latency: linear between points', () => {
    close(bandScore(LATENCY_BAND, 17.5), 90, '17.5 ms, half-way 10 → 25');
    close(bandScore(LATENCY_BAND, 62.5), 70, '62.5 ms, half-way 25 → 100');
    close(bandScore(LATENCY_BAND, 150), 50, '150 ms');
    close(bandScore(LATENCY_BAND, 325), 10, '325 ms');
    close(bandScore(LATENCY_BAND, 40), 80 - (15 / 75) * 20, '40 ms');
  });

  it('latency: beyond the ends', () => {
    close(bandScore(LATENCY_BAND, 0), 100, '0 ms');
    close(bandScore(LATENCY_BAND, 3), 100, '3 ms');
    close(bandScore(LATENCY_BAND, 351), 0, '351 ms');
    close(bandScore(LATENCY_BAND, 10_000), 0, '10 s');
  });

  it('download: each published point (0 → 0 … ≥ 20 MB/s → 100)', () => {
    const points: [number, number][] = [
      [0, 0],
      [2, 20],
      [4, 40],
      [8, 60],
      [14, 80],
      [20, 100],
    ];
    for (const [mb, score] of points) close(bandScore(DOWNLOAD_BAND, mb), score, `${mb} MB/s`);
  });

  it('download: linear between points, and beyond the ends', () => {
    close(bandScore(DOWNLOAD_BAND, 1), 10, '1 MB/s');
    close(bandScore(DOWNLOAD_BAND, 3), 30, '3 MB/s');
    close(bandScore(DOWNLOAD_BAND, 11), 70, '11 MB/s');
    close(bandScore(DOWNLOAD_BAND, 17), 90, '17 MB/s');
    close(bandScore(DOWNLOAD_BAND, 125), 100, '1 Gbit/s');
    close(bandScore(DOWNLOAD_BAND, -1), 0, 'below 0');
  });

  it("MOS: the points are G.107's MOS at R = 90, 80, 70, 60, 50 (G.109's category edges)", () => {
    const gMos = (r: number) => 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
    const edges = MOS_BAND.slice(1);
    assert.deepEqual(
      edges.map(([mos]) => mos),
      [50, 60, 70, 80, 90].map((r) => Math.round(gMos(r) * 100) / 100),
    );
    assert.deepEqual(
      MOS_BAND.map(([, s]) => s),
      [0, 20, 40, 60, 80, 100],
    );
  });

  it('MOS: a perfect path scores 100; Microsoft’s targets at their limits 94; 10 % loss far lower', () => {
    close(bandScore(MOS_BAND, estimateMos(0, 0, 0)), 100, 'perfect (MOS 4.40, beyond the top point)');
    // 4.24 lies between 4.02 (80) and 4.34 (100).
    close(bandScore(MOS_BAND, estimateMos(100, 30, 1)), 80 + ((4.24 - 4.02) / (4.34 - 4.02)) * 20, 'targets');
    const lossy = estimateMos(40, 5, 10);
    assert.ok(lossy < 3.6 && lossy > 3.1, `10 % loss gives MOS ${lossy}`);
    assert.ok(bandScore(MOS_BAND, lossy) < 60);
    close(bandScore(MOS_BAND, 1), 0, 'MOS 1');
    close(bandScore(MOS_BAND, 0.5), 0, 'below the scale');
  });
});
