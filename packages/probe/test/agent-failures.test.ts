/**
 * The failures a device meets in the field, each against the real lab and a
 * real collector: a full spool, a revoked agent token, a collector (or
 * something in its place) answering garbage to uploads, and no disk space
 * (a small tmpfs mounted by the test for the state folder; root only). In
 * each the agent keeps running, says why in its log line and in
 * `agent status`, and, once the collector, the token or the space is back,
 * uploads every report it had not yet uploaded (a full spool drops only its
 * oldest, and says so).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type Lab, startLab } from '@netinsights/lab';
import { keepRun } from '../src/agent/last-run.ts';
import { agentStatus, formatStatus } from '../src/agent/service/install.ts';
import { statePaths } from '../src/agent/state-paths.ts';
import { type AgentRunRecord, formatRunRecord, runAgent } from '../src/index.ts';
import { labConfig, startTestCollector, type TestCollector } from './agent-fixture.ts';

let lab: Lab;
let collector: TestCollector;
let dir: string;

before(async () => {
  lab = await startLab();
  collector = await startTestCollector();
  collector.configMode = { kind: 'answer', body: labConfig(lab) };
  dir = await mkdtemp(join(tmpdir(), 'ni-agent-failures-'));
});
after(async () => {
  await collector.close();
  await lab.close();
  await rm(dir, { recursive: true, force: true });
});

/**
 * `runs` runs of the agent on `state` as `netinsights agent` makes them: each
 * record logged as a text line and kept for `agent status` (keepRun).
 */
async function runsOn(
  state: string,
  runs: number,
  opts: { token?: string; spoolMax?: number; afterRun?: (run: number) => Promise<void> } = {},
): Promise<{ records: AgentRunRecord[]; lines: string[] }> {
  const paths = statePaths({ state });
  const records: AgentRunRecord[] = [];
  const lines: string[] = [];
  await runAgent({
    collector: { url: collector.url, token: opts.token ?? collector.token },
    spoolDir: paths.spool,
    configCacheFile: paths.configCache,
    deviceId: 'failures-device',
    intervalSeconds: 0,
    maxRuns: runs,
    ...(opts.spoolMax !== undefined ? { spoolMax: opts.spoolMax } : {}),
    probeOptions: (s) => lab.probeOptionsFor('healthy-direct', { profile: s.profile, wsHoldSeconds: 0.2 }),
    log: async (r) => {
      records.push(r);
      const line = formatRunRecord(r, 'text');
      lines.push(line);
      await keepRun(paths.lastRun, undefined, r, line);
      await opts.afterRun?.(r.run);
    },
    signal: new AbortController().signal,
  });
  return { records, lines };
}

function statusOf(state: string): string {
  return formatStatus(agentStatus({ os: 'linux', root: join(dir, 'no-install'), version: 'test', state }));
}

const idsOf = (records: AgentRunRecord[]) => records.map((r) => r.report?.reportId ?? '');

async function assertStored(ids: string[]): Promise<void> {
  const stored = new Set(await collector.storedIds());
  assert.deepEqual(
    ids.filter((id) => !stored.has(id)),
    [],
    'every report of these runs is stored',
  );
}

test('a full spool: the oldest report goes, said in the log and status; the rest are uploaded once the collector is back', async () => {
  const state = join(dir, 'full-spool');
  await collector.goOffline();
  let offline: Awaited<ReturnType<typeof runsOn>>;
  try {
    offline = await runsOn(state, 3, { spoolMax: 2 });
  } finally {
    await collector.comeBack();
  }
  assert.deepEqual(
    offline.records.map((r) => [r.outcome, r.upload?.waiting, r.upload?.droppedOldest]),
    [
      ['done', 1, undefined],
      ['done', 2, undefined],
      ['done', 2, 1],
    ],
  );
  assert.match(offline.lines[2] ?? '', /spool full: the 1 oldest report dropped/);
  const status = statusOf(state);
  assert.match(status, /spool full: the 1 oldest dropped/);
  assert.match(status, /spooled: {4}2 reports waiting/);
  const back = await runsOn(state, 1, { spoolMax: 2 });
  assert.equal(back.records[0]?.upload?.sent, 3);
  assert.equal(back.records[0]?.upload?.waiting, 0);
  // The first run's report was the one dropped; every later one arrived.
  await assertStored([...idsOf(offline.records).slice(1), ...idsOf(back.records)]);
  assert.ok(!(await collector.storedIds()).includes(idsOf(offline.records)[0] ?? ''));
});

test('a revoked token: runs go on, log and status say the token is refused, reports wait; a new token uploads them all', async () => {
  const state = join(dir, 'revoked');
  const first = await collector.newAgentToken();
  const ok = await runsOn(state, 1, { token: first.token });
  assert.equal(ok.records[0]?.upload?.sent, 1);
  await first.revoke();
  const refused = await runsOn(state, 2, { token: first.token });
  for (const r of refused.records) {
    assert.equal(r.outcome, 'done', 'the agent keeps measuring');
    assert.equal(r.upload?.sent, 0);
    assert.match(r.upload?.failure ?? '', /answered 401.*the agent token is refused \(revoked or wrong\)/);
  }
  assert.equal(refused.records[1]?.upload?.waiting, 2, 'nothing dropped');
  assert.match(refused.lines[1] ?? '', /upload failed: the collector answered 401/);
  assert.match(statusOf(state), /upload failed: the collector answered 401.*give the agent a new one/);
  assert.match(statusOf(state), /spooled: {4}2 reports waiting/);
  // Re-enrolled (or a new token installed): the same state folder, everything goes up.
  const second = await collector.newAgentToken();
  const back = await runsOn(state, 1, { token: second.token });
  assert.deepEqual([back.records[0]?.upload?.sent, back.records[0]?.upload?.waiting], [3, 0]);
  await assertStored([...idsOf(ok.records), ...idsOf(refused.records), ...idsOf(back.records)]);
});

test('a collector that answers garbage to uploads: nothing counts as stored or is dropped; all go up once it answers properly', async () => {
  const state = join(dir, 'garbage');
  const records: AgentRunRecord[] = [];
  const lines: string[] = [];
  try {
    // A captive portal's or a wrong URL's 200 page, then a proxy's bare 400 page.
    collector.uploadAnswer = {
      status: 200,
      contentType: 'text/html',
      text: '<html>Welcome to Guest Wi-Fi</html>',
    };
    const portal = await runsOn(state, 1);
    collector.uploadAnswer = { status: 400, contentType: 'text/html', text: '<h1>Bad Request</h1>' };
    const proxy = await runsOn(state, 1);
    records.push(...portal.records, ...proxy.records);
    lines.push(...portal.lines, ...proxy.lines);
  } finally {
    collector.uploadAnswer = null;
  }
  assert.match(
    records[0]?.upload?.failure ?? '',
    /answered 200 but not with a receipt for report \S+ \("<html>Welcome to Guest Wi-Fi<\/html>"\)/,
  );
  assert.match(records[1]?.upload?.failure ?? '', /answered 400: HTTP 400 \("<h1>Bad Request<\/h1>"\)/);
  assert.deepEqual(
    records.map((r) => [r.outcome, r.upload?.sent, r.upload?.dropped, r.upload?.waiting]),
    [
      ['done', 0, 0, 1],
      ['done', 0, 0, 2],
    ],
  );
  assert.match(lines[1] ?? '', /2 waiting; upload failed/);
  assert.match(statusOf(state), /upload failed: the collector answered 400/);
  const back = await runsOn(state, 1);
  assert.deepEqual([back.records[0]?.upload?.sent, back.records[0]?.upload?.waiting], [3, 0]);
  await assertStored([...idsOf(records), ...idsOf(back.records)]);
});

test('no disk space (a full tmpfs under the state folder): reports wait in memory, said in log and status; all go up once there is space', async (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root to mount a tmpfs for the state folder');
  const state = join(dir, 'nospace');
  await mkdir(state, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', state], { stdio: 'pipe' });
  } catch (err) {
    return t.skip(
      `mount -t tmpfs was refused here: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`,
    );
  }
  try {
    // Fill the disk: 64 KiB files, then 4 KiB ones, until the tmpfs says ENOSPC (bounded loops).
    await mkdir(join(state, 'filler'));
    for (const size of [65_536, 4096])
      for (let i = 0; i < 1000; i++)
        try {
          await writeFile(join(state, 'filler', `${size}-${i}`), Buffer.alloc(size));
        } catch {
          break;
        }
    await collector.goOffline();
    let status = '';
    // One agent process over three runs: two with no space and no collector, then both come back.
    const { records, lines } = await runsOn(state, 3, {
      afterRun: async (run) => {
        if (run !== 2) return;
        status = statusOf(state);
        await rm(join(state, 'filler'), { recursive: true, force: true });
        await collector.comeBack();
      },
    }).finally(() => collector.comeBack());
    assert.deepEqual(
      records.map((r) => [r.outcome, r.upload?.sent, r.upload?.heldInMemory, r.upload?.waiting]),
      [
        ['done', 0, 1, 1],
        ['done', 0, 2, 2],
        ['done', 3, undefined, 0],
      ],
    );
    assert.match(records[1]?.upload?.spoolError ?? '', /cannot take report \S+: .*ENOSPC/);
    assert.match(lines[1] ?? '', /2 kept in memory: the spool .* cannot take report/);
    assert.match(status, /disk: {7}only \d+ KiB free in .*new reports cannot be spooled/);
    await assertStored(idsOf(records));
    // With space again the last run is recorded for `agent status`, and nothing waits.
    assert.match(statusOf(state), /last run: {3}\S+, healthy; uploaded 3/);
    assert.doesNotMatch(statusOf(state), /disk:/);
  } finally {
    execFileSync('umount', [state]);
  }
});
