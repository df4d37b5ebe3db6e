/**
 * Each agent run's probe in a child process of its own (childProbeRunner),
 * against the real lab and a real collector: the child is a different
 * process for every run and is gone once the run is over; its report comes
 * back over IPC and is uploaded as an in-process one would be; an abort
 * kills the child and uploads nothing; a child that dies without a report
 * fails that run with its exit code and the agent goes on; the hidden
 * `agent __probe-child` refuses to run by hand.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Lab, startLab } from '@netinsights/lab';
import { childProbeRunner } from '../src/agent/probe-runner.ts';
import { type AgentRunRecord, runAgent } from '../src/index.ts';
import { labConfig, startTestCollector, type TestCollector } from './agent-fixture.ts';

const CLI = fileURLToPath(new URL('../../cli/bin/netinsights.ts', import.meta.url));

let lab: Lab;
let collector: TestCollector;
let dir: string;

before(async () => {
  lab = await startLab();
  collector = await startTestCollector();
  collector.configMode = { kind: 'answer', body: labConfig(lab) };
  dir = await mkdtemp(join(tmpdir(), 'ni-probe-child-'));
});
after(async () => {
  await collector.close();
  await lab.close();
  await rm(dir, { recursive: true, force: true });
});

/** `netinsights` from the sources, each child writing its pid to `pidFile` as it starts. */
function recordingCommand(pidFile: string) {
  const marker = `import { appendFileSync } from 'node:fs'; appendFileSync(${JSON.stringify(pidFile)}, process.pid + '\\n');`;
  return {
    program: process.execPath,
    args: ['--import', `data:text/javascript,${encodeURIComponent(marker)}`, CLI],
  };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function pidsIn(file: string): Promise<number[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map(Number);
}

test('every run probes in a fresh child process that is gone afterwards; its report is uploaded', async () => {
  const pidFile = join(dir, 'pids-ok');
  const records: AgentRunRecord[] = [];
  await runAgent({
    collector: { url: collector.url, token: collector.token },
    spoolDir: join(dir, 'ok', 'spool'),
    deviceId: 'child-runner-device',
    intervalSeconds: 0,
    maxRuns: 2,
    probeOptions: (s) => lab.probeOptionsFor('healthy-direct', { profile: s.profile, wsHoldSeconds: 0.2 }),
    runProbe: childProbeRunner(recordingCommand(pidFile)),
    log: (r) => {
      records.push(r);
    },
    signal: new AbortController().signal,
  });
  assert.deepEqual(
    records.map((r) => [r.outcome, r.report?.healthy, r.upload?.sent, r.error]),
    [
      ['done', true, 1, undefined],
      ['done', true, 1, undefined],
    ],
  );
  const pids = await pidsIn(pidFile);
  assert.equal(pids.length, 2, 'one child per run');
  assert.notEqual(pids[0], pids[1]);
  assert.ok(!pids.includes(process.pid));
  assert.deepEqual(pids.filter(alive), [], 'no child outlives its run');
  const stored = await collector.storedIds();
  for (const r of records) assert.ok(stored.includes(r.report?.reportId ?? ''), 'uploaded and stored');
});

test('an abort during the run kills its child; the run is aborted and nothing is uploaded', async () => {
  const pidFile = join(dir, 'pids-abort');
  const controller = new AbortController();
  const records: AgentRunRecord[] = [];
  const storedBefore = (await collector.storedIds()).length;
  // Aborted once the child has started and is well into its (5 s) WebSocket hold.
  const poll = setInterval(async () => {
    if ((await pidsIn(pidFile)).length) {
      clearInterval(poll);
      setTimeout(() => controller.abort(), 1_500);
    }
  }, 100);
  await runAgent({
    collector: { url: collector.url, token: collector.token },
    spoolDir: join(dir, 'abort', 'spool'),
    intervalSeconds: 0,
    maxRuns: 1,
    probeOptions: (s) => lab.probeOptionsFor('healthy-direct', { profile: s.profile, wsHoldSeconds: 5 }),
    runProbe: childProbeRunner(recordingCommand(pidFile)),
    log: (r) => {
      records.push(r);
    },
    signal: controller.signal,
  });
  clearInterval(poll);
  assert.equal(records.length, 1);
  assert.equal(records[0]?.outcome, 'aborted');
  assert.equal(records[0]?.error, undefined, 'an abort is not an error');
  const [pid] = await pidsIn(pidFile);
  assert.ok(pid !== undefined);
  for (let i = 0; i < 40 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(alive(pid), false, 'the child was killed');
  assert.equal((await collector.storedIds()).length, storedBefore, 'no partial report uploaded');
});

test('a child that dies without a report fails its run with the exit code; the agent goes on', async () => {
  const records: AgentRunRecord[] = [];
  await runAgent({
    collector: { url: collector.url, token: collector.token },
    spoolDir: join(dir, 'dies', 'spool'),
    intervalSeconds: 0,
    maxRuns: 2,
    probeOptions: (s) => lab.probeOptionsFor('healthy-direct', { profile: s.profile }),
    // Node itself, told to exit 3 at once: the arguments after `--` (agent __probe-child) are ignored.
    runProbe: childProbeRunner({ program: process.execPath, args: ['-e', 'process.exit(3)', '--'] }),
    log: (r) => {
      records.push(r);
    },
    signal: new AbortController().signal,
  });
  assert.deepEqual(
    records.map((r) => r.outcome),
    ['failed', 'failed'],
  );
  assert.match(records[0]?.error ?? '', /the probe's process exited with code 3 before its report/);
});

test('agent __probe-child started by hand (no IPC channel) says so and exits 2', async () => {
  const child = spawn(process.execPath, [CLI, 'agent', '__probe-child'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 2);
  assert.match(stderr, /started by a running agent, not by hand/);
});
