/**
 * @module transport/udp-pacer
 * Sends prepared UDP datagrams on a fixed schedule and records, with the
 * same clock, when each went out and when every answer came back — on a
 * worker thread with its own event loop. On the probe's main loop a send
 * waits behind whatever else runs (TLS handshakes of other checks, the
 * sweep, an agent's upload) and an answer's 'message' event waits the same
 * way, so a busy probe would report its own stalls as network jitter and
 * loss: the Teams media check (checks/teams-media.ts) on a loaded machine
 * showed healthy paths as degraded that way. The protocol stays on the main
 * thread: the worker sees bytes only, plus the 12-byte transaction ids
 * (RFC 8489 §5: bytes 8–19 of every STUN message) so that it can stop early
 * once each request has its answer. It is started from source text
 * (`eval`), so the bundled probe and the single executables need no extra file.
 */
import { Worker } from 'node:worker_threads';

/** What to send: `rounds[r][i]` goes to `ports[i]` at `r × intervalMs` from the start. */
export interface PacedPlan {
  address: string;
  ports: readonly number[];
  rounds: readonly (readonly Uint8Array[])[];
  intervalMs: number;
  /** How long after the last round answers are still taken. */
  lateMs: number;
}

/** One datagram that came back, `at` ms on the worker's clock. */
export interface PacedAnswer {
  at: number;
  data: Uint8Array;
}

export interface PacedExchange {
  /** `sentAt[r][i]`: when `rounds[r][i]` went out (worker clock, ms), or null when it was not sent. */
  sentAt: (number | null)[][];
  /** Every datagram received, in arrival order. */
  received: PacedAnswer[];
  sendError?: string;
}

const WORKER = `
const dgram = require('node:dgram');
const { parentPort, workerData: p } = require('node:worker_threads');
const socket = dgram.createSocket(p.address.includes(':') ? 'udp6' : 'udp4');
const sentAt = p.rounds.map((r) => r.map(() => null));
const received = [];
const pending = new Set();
let round = 0;
let tick;
let late;
let done = false;
let sendError;
const idOf = (b) => (b.length >= 20 ? Buffer.from(b.buffer, b.byteOffset + 8, 12).toString('hex') : '');
function finish() {
  if (done) return;
  done = true;
  clearTimeout(tick);
  clearTimeout(late);
  try { socket.close(); } catch {}
  parentPort.postMessage({ sentAt, received, sendError });
  parentPort.close();
}
function sendRound() {
  if (done) return;
  if (round >= p.rounds.length) {
    if (pending.size === 0) return finish();
    late = setTimeout(finish, p.lateMs);
    return;
  }
  const r = round++;
  p.rounds[r].forEach((datagram, i) => {
    pending.add(idOf(datagram));
    sentAt[r][i] = performance.now();
    socket.send(datagram, p.ports[i], p.address, (err) => {
      if (err && !done) { sendError = err.code ? err.code + ': ' + err.message : err.message; finish(); }
    });
  });
  tick = setTimeout(sendRound, Math.max(0, start + round * p.intervalMs - performance.now()));
}
socket.on('message', (msg) => {
  received.push({ at: performance.now(), data: new Uint8Array(msg) });
  pending.delete(idOf(msg));
  if (round >= p.rounds.length && pending.size === 0) finish();
});
// ICMP port unreachable surfaces as ECONNREFUSED on some platforms: silence, for this purpose.
socket.on('error', () => {});
parentPort.on('message', (m) => { if (m === 'stop') finish(); });
const start = performance.now();
socket.bind(0, () => sendRound());
`;

/**
 * Runs `plan` on a worker thread. `signal` (the run deadline) stops it
 * early; what was sent and received until then is still returned.
 */
export function pacedUdpExchange(plan: PacedPlan, signal: AbortSignal): Promise<PacedExchange> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        address: plan.address,
        ports: [...plan.ports],
        rounds: plan.rounds.map((r) => r.map((d) => Uint8Array.from(d))),
        intervalMs: plan.intervalMs,
        lateMs: plan.lateMs,
      },
    });
    let settled = false;
    const settle = (value: PacedExchange) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', stop);
      resolve(value);
    };
    const stop = () => worker.postMessage('stop');
    signal.addEventListener('abort', stop, { once: true });
    if (signal.aborted) stop();
    worker.once('message', (m: PacedExchange) => settle(m));
    // A worker that dies sends nothing back: nothing was measured, and the check says why.
    worker.once('error', (err) =>
      settle({ sentAt: [], received: [], sendError: `measurement thread failed: ${err.message}` }),
    );
    worker.once('exit', () =>
      settle({ sentAt: [], received: [], sendError: 'measurement thread ended without an answer' }),
    );
  });
}
