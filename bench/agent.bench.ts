/**
 * The agent's cost, against the lab and a real collector (`netinsights
 * serve`, SQLite) on loopback:
 * - what one agent cycle adds to a probe run: the cycle (settings from the
 *   collector, the probe, the upload) against a bare probe run with the same
 *   options, median of alternating rounds; target ≤ 100 ms added;
 * - memory over many back-to-back runs in a child process with forced GC:
 *   the settled heap (after waiting out the run deadline, so the probe's
 *   pending per-phase timers are gone) after the last run against run 20,
 *   per run (target ≤ 10 kiB/run: keeping one report per run would be more),
 *   with the back-to-back comparison in the note; and the child's peak RSS
 *   against the same child after a single run (target: at most 15 % more).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startLab } from '@netinsights/lab';
import { runAgent, runProbe } from '@netinsights/probe';
import { labConfig, startTestCollector } from '../packages/probe/test/agent-fixture.ts';
import type { BenchFigure } from './bench-figure.ts';

const ROUNDS = 8;
const MEMORY_RUNS = 80;
const CHILD = fileURLToPath(new URL('../packages/probe/test/agent-memory-child.ts', import.meta.url));
const MiB = 1024 * 1024;
const SETTLE_MS = 9_000;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

interface ChildResult {
  samples: number[];
  settled: { run: number; heapUsed: number }[];
  uploaded: number;
  maxRssKb: number;
}

function memoryChild(input: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', CHILD, input], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      if (code !== 0) reject(new Error(`memory child exited ${code}: ${err.slice(-500)}`));
      else resolve(JSON.parse(out));
    });
  });
}

export default async function agentBench(): Promise<BenchFigure[]> {
  const lab = await startLab();
  const collector = await startTestCollector();
  const dir = mkdtempSync(join(tmpdir(), 'ni-agent-bench-'));
  try {
    // The same fast profile as the probe bench: no WebSocket hold, a download that ends at once.
    const { slowBelowMbps: _unjudged, ...throughput } = lab.profile.throughput;
    const profile = { ...lab.profile, throughput: { ...throughput, maxBytes: 64 * 1024 } };
    collector.configMode = { kind: 'answer', body: labConfig(lab, { profile, wsHoldSeconds: 0 }) };
    const options = lab.probeOptionsFor('healthy-direct', { profile, wsHoldSeconds: 0 });

    const cycles: number[] = [];
    const probes: number[] = [];
    let failures = 0;
    for (let i = 0; i < ROUNDS + 1; i++) {
      // Alternating order, so a load spike on the shared machine hits both sides alike.
      for (const which of i % 2 ? (['probe', 'agent'] as const) : (['agent', 'probe'] as const)) {
        const t0 = performance.now();
        if (which === 'probe') await runProbe(options);
        else
          await runAgent({
            collector: { url: collector.url, token: collector.token },
            spoolDir: join(dir, 'spool'),
            intervalSeconds: 0,
            maxRuns: 1,
            probeOptions: (s) => ({ ...options, profile: s.profile, wsHoldSeconds: s.wsHoldSeconds }),
            log: (r) => {
              if (r.outcome !== 'done' || r.upload?.sent !== 1) failures++;
            },
            signal: new AbortController().signal,
          });
        // The first round warms modules and TLS caches; it is not counted.
        if (i > 0) (which === 'probe' ? probes : cycles).push(performance.now() - t0);
      }
    }
    if (failures > 0) throw new Error(`${failures} agent cycles did not complete and upload`);
    const added = median(cycles) - median(probes);

    // A short run deadline bounds how long the probe's per-phase timeout signals stay alive, so the
    // settled samples (taken after waiting longer than that) see only what the agent keeps.
    const { profile: _p, signal: _s, ...childOptions } = { ...options, deadlineMs: SETTLE_MS - 1_000 };
    const childRun = (runs: number) => {
      const input = join(dir, `memory-input-${runs}.json`);
      writeFileSync(
        input,
        JSON.stringify({
          url: collector.url,
          token: collector.token,
          spoolDir: join(dir, `memory-spool-${runs}`),
          runs,
          settleAt: [20],
          settleMs: SETTLE_MS,
          probeOptions: childOptions,
        }),
      );
      return memoryChild(input);
    };
    const one = await childRun(1);
    const mem = await childRun(MEMORY_RUNS);
    const warm = mean(mem.samples.slice(10, 20));
    const last = mean(mem.samples.slice(-10));
    const [at20, atEnd] = mem.settled;
    const settledGrowth = (atEnd?.heapUsed ?? 0) - (at20?.heapUsed ?? 0);
    const rssMb = mem.maxRssKb / 1024;
    const oneRssMb = one.maxRssKb / 1024;
    return [
      {
        name: 'agent cycle: time added to a probe run (config fetch + upload)',
        value: added,
        unit: 'ms',
        target: '≤ 100',
        pass: added <= 100,
        baseline: { name: 'bare probe run, same options (median)', value: median(probes), unit: 'ms' },
        note: `cycle median ${median(cycles).toFixed(0)} ms over ${ROUNDS} alternating rounds`,
      },
      {
        name: `agent heap growth after GC, settled: run ${MEMORY_RUNS} vs run 20`,
        value: settledGrowth / 1024 / (MEMORY_RUNS - 20),
        unit: 'kiB/run',
        target: '≤ 10 (a kept report is ≥ 20)',
        pass: settledGrowth / 1024 / (MEMORY_RUNS - 20) <= 10,
        baseline: { name: 'settled heapUsed after run 20', value: (at20?.heapUsed ?? 0) / MiB, unit: 'MiB' },
        note: `back to back: last 10 runs ${((last - warm) / 1024).toFixed(0)} kiB over runs 10–20; ${mem.uploaded} reports uploaded`,
      },
      {
        name: `agent peak RSS over ${MEMORY_RUNS} runs`,
        value: rssMb,
        unit: 'MB',
        target: '≤ 1.15 × one run',
        pass: rssMb <= 1.15 * oneRssMb,
        baseline: { name: 'the same child after one run', value: oneRssMb, unit: 'MB' },
        note: 'from the TypeScript sources (type stripping loaded)',
      },
    ];
  } finally {
    await collector.close();
    await lab.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
