/**
 * Child process of the agent memory test (run with `node --expose-gc`): runs
 * the agent loop back to back against the collector and lab the parent
 * started, forces a full GC after every run and records heapUsed. After run
 * `settleAt` (a list) and after the last run it also waits `settleMs` — longer than a
 * probe run's deadline, so every per-phase timeout signal of the probe has
 * fired and been released — and records a settled heap: back-to-back runs
 * otherwise measure those pending timers, which a 15-minute interval never
 * sees. Prints `{ samples, settled, outcomes, uploaded, maxRssKb }` as one
 * JSON line.
 * argv[2]: a JSON file with { url, token, spoolDir, runs, probeOptions, settleAt?, settleMs? }.
 */
import { readFileSync } from 'node:fs';
import type { ProbeOptions } from '../src/index.ts';
import { runAgent } from '../src/index.ts';

interface ChildInput {
  url: string;
  token: string;
  spoolDir: string;
  runs: number;
  settleAt?: number[];
  settleMs?: number;
  probeOptions: Omit<ProbeOptions, 'profile' | 'signal'>;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const input = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as ChildInput;
const samples: number[] = [];
const settled: { run: number; heapUsed: number }[] = [];
const outcomes: string[] = [];
let uploaded = 0;
await runAgent({
  collector: { url: input.url, token: input.token },
  spoolDir: input.spoolDir,
  deviceId: 'memory-test-device',
  intervalSeconds: 0,
  maxRuns: input.runs,
  probeOptions: (s) => ({ ...input.probeOptions, profile: s.profile, wsHoldSeconds: s.wsHoldSeconds }),
  log: (record) => {
    outcomes.push(record.outcome);
    uploaded += record.upload?.sent ?? 0;
    // Twice: the first pass may only queue finalizers whose objects the second frees.
    gc();
    gc();
    samples.push(process.memoryUsage().heapUsed);
    if (input.settleMs && (input.settleAt?.includes(record.run) || record.run === input.runs))
      return new Promise<void>((resolve) =>
        setTimeout(() => {
          gc();
          gc();
          settled.push({ run: record.run, heapUsed: process.memoryUsage().heapUsed });
          resolve();
        }, input.settleMs),
      );
    return undefined;
  },
  signal: new AbortController().signal,
});

/**
 * This process's peak RSS in kB. On Linux, VmHWM: getrusage's maxRSS also
 * counts what the parent had resident when it forked this child, which in a
 * long `npm run bench` is more than the agent itself.
 */
function peakRssKb(): number {
  try {
    const m = /VmHWM:\s*(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {}
  return process.resourceUsage().maxRSS;
}

process.stdout.write(`${JSON.stringify({ samples, settled, outcomes, uploaded, maxRssKb: peakRssKb() })}\n`);
