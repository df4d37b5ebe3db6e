/**
 * @module assessment/tenant-score
 * The organisation's score: the mean of its offices' scores weighted by each
 * office's devices in the window, so an office of 500 people counts 50 times
 * one of 10. Offices without a score (no data) do not count.
 */

export interface WeightedScore {
  score: number | null;
  devices: number;
}

/** The device-weighted mean of the scored offices (an office with a score but no device counts as one). */
export function tenantScore(offices: Iterable<WeightedScore>): {
  score: number | null;
  scored: number;
  devices: number;
} {
  let weighted = 0;
  let devices = 0;
  let scored = 0;
  for (const o of offices) {
    if (o.score === null) continue;
    const w = Math.max(1, o.devices);
    weighted += o.score * w;
    devices += w;
    scored += 1;
  }
  return { score: scored > 0 ? Math.round(weighted / devices) : null, scored, devices };
}
