/**
 * @module media-quality
 * The estimated call quality (MOS) of a media path from its round trip,
 * jitter and loss: one formula shared by the probe (per Teams media run), the
 * server (the assessment score's Teams component, from the window's medians)
 * and the dashboard.
 */

/**
 * Estimated MOS, the simplified ITU-T G.107 E-model (Cole and Rosenbluth's
 * reduction, with G.107's defaults for everything the network does not set):
 *
 *   d      = RTT/2 + 2·jitter + 20 ms        one-way delay: network, jitter buffer, one audio frame
 *   Id     = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3)      delay impairment (H: 1 when d > 177.3)
 *   Ie,eff = 95·P / (P + 25.1)               loss impairment for P % random loss, G.711 with
 *                                            packet-loss concealment (Ie = 0, Bpl = 25.1, G.113)
 *   R      = 93.2 − Id − Ie,eff              93.2: G.107's default R0 − Is
 *   MOS    = 1 + 0.035·R + 7·10⁻⁶·R·(R − 60)·(100 − R), 1 for R ≤ 0, 4.5 for R ≥ 100
 *
 * A perfect path gives 4.40; Microsoft's targets at their limits (loss 1 %,
 * RTT 100 ms, jitter 30 ms) give 4.24.
 */
export function estimateMos(rttMs: number, jitterMs: number, lossPercent: number): number {
  const d = rttMs / 2 + 2 * jitterMs + 20;
  const id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
  const ie = (95 * lossPercent) / (lossPercent + 25.1);
  const r = 93.2 - id - ie;
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  const mos = 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
  return Math.round(Math.min(4.5, Math.max(1, mos)) * 100) / 100;
}
