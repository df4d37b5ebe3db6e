/**
 * The agent as a process, against the real lab and a real collector:
 * - it stays small: many runs back to back in a child with forced GC; the
 *   heap after the last 10 runs is no larger than after runs 10–20, and the
 *   settled heap (once every timer of the runs has fired) barely moves;
 * - `netinsights agent` stops promptly and cleanly on SIGTERM or SIGINT in
 *   the middle of a run (exit 0, the run logged as aborted, its partial
 *   report not uploaded);
 * - its usage errors exit 2 before anything is sent.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Lab, startLab } from '@netinsights/lab';
import type { AgentRunRecord } from '../src/index.ts';
import { labConfig, startTestCollector, type TestCollector } from './agent-fixture.ts';

const CHILD = fileURLToPath(new URL('./agent-memory-child.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../../cli/bin/netinsights.ts', import.meta.url));
/** Runs in the memory test; the first 10 warm up (JIT, TLS session caches, lazy modules). */
const RUNS = Number(process.env.NI_AGENT_MEMORY_RUNS ?? 60);
const MiB = 1024 * 1024;
/** Longer than a run's deadline: every timer a run armed has fired by then. */
const SETTLE_MS = 9_000;

let lab: Lab;
let collector: TestCollector;
let dir: string;

before(async () => {
  lab = await startLab();
  collector = await startTestCollector();
  dir = await mkdtemp(join(tmpdir(), 'ni-agent-proc-'));
});
after(async () => {
  await collector.close();
  await lab.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs a child to its end; resolves with its exit code and output. */
function runChild(
  args: string[],
  opts: {
    env?: NodeJS.ProcessEnv;
    onStderr?: (text: string, kill: (s: NodeJS.Signals) => void) => void;
  } = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      opts.onStderr?.(stderr, (s) => child.kill(s));
    });
    // Bounded: a hung child fails the test instead of hanging the suite.
    const guard = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

test(`the agent's heap does not grow over ${RUNS} runs (forced GC after each)`, async () => {
  collector.configMode = { kind: 'answer', body: labConfig(lab) };
  const before = (await collector.storedIds()).length;
  // A short run deadline bounds how long the probe's per-phase timeout signals live (see the child).
  const {
    profile: _profile,
    signal: _signal,
    ...probeOptions
  } = lab.probeOptionsFor('healthy-direct', {
    deadlineMs: SETTLE_MS - 1_000,
  });
  const input = join(dir, 'memory-input.json');
  await writeFile(
    input,
    JSON.stringify({
      url: collector.url,
      token: collector.token,
      spoolDir: join(dir, 'memory-spool'),
      runs: RUNS,
      settleAt: [20],
      settleMs: SETTLE_MS,
      probeOptions,
    }),
  );
  const out = await runChild(['--expose-gc', CHILD, input]);
  assert.equal(out.code, 0, out.stderr);
  const { samples, settled, outcomes, uploaded } = JSON.parse(out.stdout) as {
    samples: number[];
    settled: { run: number; heapUsed: number }[];
    outcomes: string[];
    uploaded: number;
  };
  assert.equal(samples.length, RUNS);
  assert.ok(
    outcomes.every((o) => o === 'done'),
    outcomes.join(),
  );
  assert.equal(uploaded, RUNS);
  assert.equal((await collector.storedIds()).length - before, RUNS);
  const kib = (bytes: number) => `${bytes >= 0 ? '+' : ''}${(bytes / 1024).toFixed(0)} kiB`;
  // Back to back: every sample also holds the timers of the last few seconds of runs.
  const warm = mean(samples.slice(10, 20));
  const last = mean(samples.slice(-10));
  // Settled: after run 20 and after the last run, once those timers have fired.
  const [at20, atEnd] = settled;
  assert.deepEqual(
    settled.map((s) => s.run),
    [20, RUNS],
  );
  const settledGrowth = (atEnd?.heapUsed ?? 0) - (at20?.heapUsed ?? 0);
  const figures = [
    `heapUsed after GC, back to back: runs 10–20 mean ${(warm / MiB).toFixed(2)} MiB, last 10 mean ${(last / MiB).toFixed(2)} MiB (${kib(last - warm)})`,
    `settled: after run 20 ${((at20?.heapUsed ?? 0) / MiB).toFixed(2)} MiB, after run ${RUNS} ${((atEnd?.heapUsed ?? 0) / MiB).toFixed(2)} MiB (${kib(settledGrowth)}, ${kib(settledGrowth / (RUNS - 20))}/run)`,
  ].join('; ');
  process.stdout.write(`# ${figures}\n`);
  if (process.env.NI_AGENT_MEMORY_SERIES)
    process.stdout.write(`# ${samples.map((s) => (s / 1024).toFixed(0)).join(' ')}\n`);
  assert.ok(last - warm < Math.max(1 * MiB, warm * 0.05), figures);
  // Keeping even one report (tens of kB) per run would add over 1 MiB across 40 runs. What does
  // grow at first is V8's compiled code and caches; over 180 runs it was seen to level off
  // (+337, +51, +26, +17 kiB per 40 runs).
  assert.ok(settledGrowth < 512 * 1024, figures);
});

for (const sig of ['SIGTERM', 'SIGINT'] as const)
  test(`netinsights agent stops promptly on ${sig} during a run, exits 0, uploads no partial report`, async () => {
    // A long WebSocket hold: a run lasts until the probe's deadline (20 s), far longer than the stop may take.
    collector.configMode = { kind: 'answer', body: labConfig(lab, { wsHoldSeconds: 120 }) };
    const rootFile = join(dir, 'lab-root.pem');
    await writeFile(rootFile, lab.trust.labRoot);
    const spool = join(dir, `${sig}-spool`);
    const storedBefore = (await collector.storedIds()).length;
    const seenBefore = collector.seen.length;
    let signalledAt = 0;
    const options = lab.probeOptionsFor('healthy-direct');
    const out = await runChild(
      [
        CLI,
        'agent',
        '--collector',
        collector.url,
        '--spool',
        spool,
        '--interval',
        '0',
        '--log-format',
        'json',
        '--ca',
        rootFile,
        ...(options.dnsServers ?? []).flatMap((d) => ['--dns-server', d]),
      ],
      {
        env: { NETINSIGHTS_TOKEN: collector.token, HTTPS_PROXY: '', https_proxy: '' },
        onStderr: (text, kill) => {
          if (signalledAt || !text.includes('agent: collector')) return;
          // Once the agent has asked for its config, the probe is running.
          const poll = setInterval(() => {
            if (collector.seen.slice(seenBefore).includes('GET /api/v1/agent/config')) {
              clearInterval(poll);
              setTimeout(() => {
                signalledAt = performance.now();
                kill(sig);
              }, 1_000);
            }
          }, 50);
        },
      },
    );
    const stopMs = performance.now() - signalledAt;
    assert.ok(signalledAt > 0, `never signalled: ${out.stderr}`);
    assert.equal(out.code, 0, out.stderr);
    // Well under the 20 s a run would otherwise take, with room for a loaded machine.
    assert.ok(stopMs < 10_000, `took ${Math.round(stopMs)} ms to stop`);
    process.stdout.write(`# ${sig}: stopped ${Math.round(stopMs)} ms after the signal\n`);
    assert.match(out.stderr, new RegExp(`${sig} received, stopping`));
    const records = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AgentRunRecord);
    assert.equal(records.length, 1, out.stdout);
    assert.equal(records[0]?.outcome, 'aborted');
    assert.equal(records[0]?.settings.source, 'collector');
    assert.equal(records[0]?.report, undefined, 'a cut-short run has no report to send');
    assert.equal((await collector.storedIds()).length, storedBefore);
    assert.deepEqual(
      // Spooled reports are named by report id; the agent's own files (settings, last run) sit beside them
      // since --spool alone keeps everything in that one folder.
      (await readdir(spool).catch(() => [])).filter((n) => /^[0-9a-f-]{36}\.json$/.test(n)),
      [],
    );
  });

test('netinsights agent: usage errors exit 2 and say what is wrong, before anything is sent', async () => {
  const cases: [string[], RegExp][] = [
    [[], /agent needs --collector URL/],
    [['--collector', collector.url], /needs an agent token: --token T or NETINSIGHTS_TOKEN/],
    [
      ['--collector', 'http://collector.example.com', '--token', 'nia_x'],
      /refusing to send the agent token over plain http to a non-loopback host/,
    ],
    [
      ['--collector', collector.url, '--token', 'nia_x', '--interval', '100000'],
      /--interval must be a number/,
    ],
    [
      ['--collector', collector.url, '--token', 'nia_x', '--max-daily-mb=-5'],
      /--max-daily-mb must be a number from 1 to 10000, got "-5"/,
    ],
    [
      ['--collector', collector.url, '--token', 'nia_x', '--max-daily-mb', 'lots'],
      /--max-daily-mb must be a number from 1 to 10000, got "lots"/,
    ],
    [
      ['--collector', collector.url, '--token', 'nia_x', '--max-daily-mb', '1e9'],
      /--max-daily-mb must be a number/,
    ],
    [
      ['--collector', collector.url, '--token', 'nia_x', '--log-format', 'xml'],
      /--log-format must be text or json/,
    ],
    [
      ['--collector', collector.url, '--token', 'nia_x', '--dns-server', 'dns.local'],
      /--dns-server "dns.local"/,
    ],
    [
      ['--collector', collector.url, '--token', 'nia_x', '--collector-ca', join(dir, 'nope.pem')],
      /no such file/,
    ],
  ];
  const seenBefore = collector.seen.length;
  for (const [args, message] of cases) {
    const out = await runChild([CLI, 'agent', ...args, '--spool', join(dir, 'usage-spool')], {
      env: { NETINSIGHTS_TOKEN: '' },
    });
    assert.equal(out.code, 2, `${args.join(' ')}: ${out.stderr}`);
    assert.match(out.stderr, message);
  }
  assert.equal(collector.seen.length, seenBefore, 'no request reached the collector');
});
