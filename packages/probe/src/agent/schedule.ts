/**
 * @module agent/schedule
 * When the next run starts. The interval is jittered by ±10 % so that a fleet
 * of agents started together (a Monday-morning boot, a rollout) drifts apart
 * instead of hitting the collector and the network in the same second —
 * the same reason RFC 8415 §15 randomises DHCPv6 retransmissions.
 */

/** ±10 % of the interval. */
export const JITTER_FRACTION = 0.1;

/** Milliseconds until the next run: `interval × (1 ± jitter)`, never negative. */
export function nextDelayMs(
  intervalSeconds: number,
  random: () => number = Math.random,
  jitter = JITTER_FRACTION,
): number {
  const factor = 1 + jitter * (2 * random() - 1);
  return Math.max(0, Math.round(intervalSeconds * 1000 * factor));
}

/** Resolves after `ms`, or at once when `signal` aborts (the agent is stopping). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
