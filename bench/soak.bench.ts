/**
 * @module bench/soak
 * The main job runs for days: `netinsights serve --demo` (collector, lab and
 * simulated fleet in one process) is started and its resident memory and
 * open file descriptors (/proc/<pid>/fd, Linux) are read after a warm-up and
 * again at the end. Target: growth ≤ +10 %. The soak is minute 5 to
 * minute 30; by default this runs a shortened one (NI_SOAK_WARMUP_S = 60,
 * NI_SOAK_S = 180 after it) so `npm run bench` stays short; set both for the
 * full soak.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchFigure } from './bench-figure.ts';

const CLI = new URL('../packages/cli/bin/netinsights.ts', import.meta.url).pathname;
const WARMUP_S = Number(process.env.NI_SOAK_WARMUP_S ?? 60);
const SOAK_S = Number(process.env.NI_SOAK_S ?? 180);

function sample(pid: number): { rssMb: number; fds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb / 1024, fds: readdirSync(`/proc/${pid}/fd`).length };
}

const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

export default async function soakBench(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ni-soak-'));
  const child = spawn(
    process.execPath,
    [CLI, 'serve', '--demo', '--port', '0', '--db', join(dir, 'soak.db')],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  try {
    await sleep(WARMUP_S);
    const start = sample(child.pid!);
    await sleep(SOAK_S);
    const end = sample(child.pid!);
    const growth = (a: number, b: number) => (b - a) / a;
    const span = `minute ${(WARMUP_S / 60).toFixed(1)} → ${((WARMUP_S + SOAK_S) / 60).toFixed(1)}`;
    return [
      {
        name: `serve --demo RSS growth (${span})`,
        value: growth(start.rssMb, end.rssMb) * 100,
        unit: '%',
        target: '≤ 10',
        pass: growth(start.rssMb, end.rssMb) <= 0.1,
        note: `${start.rssMb.toFixed(0)} → ${end.rssMb.toFixed(0)} MB`,
      },
      {
        name: `serve --demo open descriptors growth (${span})`,
        value: growth(start.fds, end.fds) * 100,
        unit: '%',
        target: '≤ 10',
        pass: growth(start.fds, end.fds) <= 0.1,
        note: `${start.fds} → ${end.fds} descriptors`,
      },
    ];
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}
