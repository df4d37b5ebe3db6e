/**
 * The one-file executables (`npm run build:agent`, built here when stale):
 * - file size per platform, beside the official Node binary it was made
 *   from (what the probe adds);
 * - peak RSS of the Linux x64 file running the full healthy probe suite
 *   against the lab (8 MiB download, 1 s hold, as the probe bench), target
 *   ≤ 100 MB; baselines: the `.mjs` bundle on Node 24 and `netinsights
 *   probe` from the TypeScript sources, the same run measured the same way;
 * - the agent's RSS between runs (`agent --interval`, against a real
 *   collector on loopback, sampled in the wait after its second run),
 *   target ≤ 60 MB, with each probe in a child process (the default);
 *   baselines: the earlier design, the probe inside the agent's process
 *   (`--inline-probe`), and both from the TypeScript sources.
 * A single executable cannot take `--import`, so every child is measured
 * from outside: VmHWM (the peak since exec) and VmRSS from
 * /proc/<pid>/status, polled every 20 ms; the last VmHWM read before exit is
 * the peak, short by at most what the last 20 ms allocated.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Lab, startLab } from '@netinsights/lab';
import { labConfig, startTestCollector } from '../packages/probe/test/agent-fixture.ts';
import { type AgentTarget, agentBinary, buildAgents, TARGETS } from '../scripts/build-agent.ts';
import { buildProbeIfStale, PROBE_BUNDLE } from '../scripts/build-probe-if-stale.ts';
import type { BenchFigure } from './bench-figure.ts';

const BIN = fileURLToPath(new URL('../packages/cli/bin/netinsights.ts', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 3;
const MB = 1024 * 1024;

function status(pid: number): { hwmKb: number; rssKb: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      hwmKb: Number(/VmHWM:\s*(\d+)/.exec(text)?.[1] ?? 0),
      rssKb: Number(/VmRSS:\s*(\d+)/.exec(text)?.[1] ?? 0),
    };
  } catch {
    return undefined;
  }
}

/** Runs a child to its end; its peak RSS in MB and exit code. */
function peakOf(program: string, args: string[]): Promise<{ mb: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      stdio: ['ignore', 'ignore', 'ignore'],
      env: { PATH: process.env.PATH ?? '' },
    });
    let hwm = 0;
    const poll = setInterval(() => {
      const s = child.pid === undefined ? undefined : status(child.pid);
      if (s) hwm = Math.max(hwm, s.hwmKb);
    }, 20);
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(guard);
      resolve({ mb: hwm / 1024, code });
    });
  });
}

/** Starts an agent, waits for its second run's log line, samples RSS in the wait that follows. */
function rssBetweenRuns(program: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { PATH: process.env.PATH ?? '' },
    });
    let lines = 0;
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the agent did not finish two runs in 120 s'));
    }, 120_000);
    child.stdout.on('data', (d: Buffer) => {
      lines += String(d).split('\n').length - 1;
      if (lines < 2) return;
      child.stdout.removeAllListeners('data');
      // Half a second into the wait: the run's sockets are closed, the next run has not begun.
      setTimeout(() => {
        const s = child.pid === undefined ? undefined : status(child.pid);
        clearTimeout(guard);
        child.kill('SIGTERM');
        resolve((s?.rssKb ?? 0) / 1024);
      }, 500);
    });
    child.on('error', reject);
  });
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

async function probeFlags(lab: Lab, dir: string): Promise<string[]> {
  const options = lab.probeOptionsFor('healthy-direct');
  const profileFile = join(dir, 'lab.json');
  writeFileSync(profileFile, JSON.stringify(options.profile));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, (options.extraTrustedCas ?? []).join('\n'));
  const flags = ['--profile', profileFile, '--ca', caFile, '--json', '--no-progress'];
  for (const d of options.dnsServers ?? []) flags.push('--dns-server', d);
  return flags;
}

export default async function agentBinaryBench(): Promise<BenchFigure[]> {
  const targets = Object.keys(TARGETS) as AgentTarget[];
  await buildAgents(targets);
  await buildProbeIfStale();
  const figures: BenchFigure[] = targets.map((t) => {
    const spec = TARGETS[t];
    const official = join(root, '.cache/node-dist', `${spec.pkg}-${spec.version}`, spec.binary);
    return {
      name: `agent executable size, ${t}`,
      value: statSync(agentBinary(t)).size / MB,
      unit: 'MiB',
      baseline: {
        name: `official node ${spec.version} binary`,
        value: statSync(official).size / MB,
        unit: 'MiB',
      },
    };
  });
  if (process.platform !== 'linux' || process.arch !== 'x64') return figures;
  const lab = await startLab();
  const collector = await startTestCollector();
  const dir = mkdtempSync(join(tmpdir(), 'ni-agent-binary-bench-'));
  try {
    const flags = await probeFlags(lab, dir);
    const binary: number[] = [];
    const bundle: number[] = [];
    const source: number[] = [];
    const codes: (number | null)[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Alternating, so a burst of load on the shared machine hits all three alike.
      for (const [into, program, args] of [
        [binary, agentBinary('linux-x64'), ['probe', ...flags]],
        [bundle, process.execPath, [PROBE_BUNDLE, ...flags]],
        [source, process.execPath, [BIN, 'probe', ...flags]],
      ] as const) {
        const r = await peakOf(program, [...args]);
        into.push(r.mb);
        codes.push(r.code);
      }
    }
    const idle = await peakOf(agentBinary('linux-x64'), ['version']);
    const probePass = codes.every((c) => c === 0);
    figures.push({
      name: 'probe peak memory (maxRSS, Linux x64 executable, full healthy suite)',
      value: median(binary),
      unit: 'MB',
      target: '≤ 100',
      pass: median(binary) <= 100 && probePass,
      baseline: { name: 'the same run from the .mjs bundle on node 24', value: median(bundle), unit: 'MB' },
      note: `median of ${RUNS} (${binary.map((m) => m.toFixed(1)).join(', ')} MB); from TypeScript sources ${median(source).toFixed(1)} MB; idle (version) ${idle.mb.toFixed(1)} MB; exit codes ${codes.join(',')}`,
    });

    collector.configMode = { kind: 'answer', body: labConfig(lab, { wsHoldSeconds: 0.2 }) };
    const options = lab.probeOptionsFor('healthy-direct');
    const agentFlags = (state: string) => [
      'agent',
      '--collector',
      collector.url,
      '--token',
      collector.token,
      '--state',
      join(dir, state),
      '--interval',
      '3',
      '--ca',
      join(dir, 'ca.pem'),
      ...(options.dnsServers ?? []).flatMap((d) => ['--dns-server', d]),
    ];
    // Each probe in a child process (the agent's default) beside the earlier design, the probe in
    // the agent's own process (--inline-probe), each from the executable and the sources.
    const agentBin = await rssBetweenRuns(agentBinary('linux-x64'), agentFlags('bin-state'));
    const agentBinInline = await rssBetweenRuns(agentBinary('linux-x64'), [
      ...agentFlags('bin-inline-state'),
      '--inline-probe',
    ]);
    const agentSrc = await rssBetweenRuns(process.execPath, [BIN, ...agentFlags('src-state')]);
    const agentSrcInline = await rssBetweenRuns(process.execPath, [
      BIN,
      ...agentFlags('src-inline-state'),
      '--inline-probe',
    ]);
    const how = 'VmRSS 0.5 s after the second run’s log line (--interval 3, lab profile, 0.2 s hold)';
    figures.push(
      {
        name: 'agent RSS between runs (Linux x64 executable, probe in a child process)',
        value: agentBin,
        unit: 'MB',
        target: '≤ 60',
        pass: agentBin <= 60,
        baseline: {
          name: 'the same executable with the probe in its own process (--inline-probe)',
          value: agentBinInline,
          unit: 'MB',
        },
        note: `${how}; idle executable (version) peak ${idle.mb.toFixed(1)} MB`,
      },
      {
        name: 'agent RSS between runs (`netinsights agent` from the TypeScript sources, probe in a child process)',
        value: agentSrc,
        unit: 'MB',
        baseline: {
          name: 'the same with the probe in its own process (--inline-probe)',
          value: agentSrcInline,
          unit: 'MB',
        },
        note: how,
      },
    );
    return figures;
  } finally {
    await collector.close();
    await lab.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
