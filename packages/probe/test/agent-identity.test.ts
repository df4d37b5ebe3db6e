/**
 * Hostname and OS user in reports only where the organisation's agent
 * policy enables it (`reportIdentity`, off by default), against the real lab
 * and a real collector (its own `/api/v1/agent/config`, set through
 * PUT /api/v1/settings/agents): off, the stored report carries neither;
 * on, it carries this machine's; a policy value that is not a boolean is
 * refused naming the field, by the collector and by the agent.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type Lab, startLab } from '@netinsights/lab';
import { type AgentRunRecord, parseAgentSettings, runAgent } from '../src/index.ts';
import { startTestCollector, type TestCollector } from './agent-fixture.ts';

let lab: Lab;
let collector: TestCollector;
let dir: string;

before(async () => {
  lab = await startLab();
  collector = await startTestCollector();
  // The collector's own config route answers (the policy as stored), not the test front.
  collector.configMode = { kind: 'forward' };
  dir = await mkdtemp(join(tmpdir(), 'ni-agent-identity-'));
});
after(async () => {
  await collector.close();
  await lab.close();
  await rm(dir, { recursive: true, force: true });
});

/** One agent run; the stored report's environment. */
async function oneRunEnvironment(): Promise<Record<string, unknown>> {
  const records: AgentRunRecord[] = [];
  await runAgent({
    collector: { url: collector.url, token: collector.token },
    spoolDir: join(dir, 'spool'),
    deviceId: 'identity-device',
    intervalSeconds: 0,
    maxRuns: 1,
    // The collector's settings decide; the probe traffic stays in the lab (its profile and trust).
    probeOptions: () => lab.probeOptionsFor('healthy-direct', { wsHoldSeconds: 0.2 }),
    log: (r) => {
      records.push(r);
    },
    signal: new AbortController().signal,
  });
  assert.equal(records[0]?.upload?.sent, 1, records[0]?.upload?.failure);
  const stored = await collector.storedReport(records[0]?.report?.reportId ?? '');
  assert.ok(stored, 'the report is stored');
  return stored.environment as Record<string, unknown>;
}

test('by default (no reportIdentity in the policy) a report carries no hostname and no OS user', async () => {
  const env = await oneRunEnvironment();
  assert.equal(env.hostname, undefined);
  assert.equal(env.osUser, undefined);
  assert.equal(env.deviceId, 'identity-device', 'the random device id is still there');
});

test('with reportIdentity on, reports carry this machine’s hostname and OS user; off again, they do not', async () => {
  const on = await collector.putAgentPolicy({
    intervalSeconds: 900,
    wsHoldSeconds: null,
    profile: null,
    reportIdentity: true,
  });
  assert.equal(on.status, 200, on.body);
  const env = await oneRunEnvironment();
  assert.equal(env.hostname, hostname());
  assert.equal(env.osUser, userInfo().username);

  const off = await collector.putAgentPolicy({
    intervalSeconds: 900,
    wsHoldSeconds: null,
    profile: null,
    reportIdentity: false,
  });
  assert.equal(off.status, 200, off.body);
  const after = await oneRunEnvironment();
  assert.equal(after.hostname, undefined);
  assert.equal(after.osUser, undefined);
});

test('a reportIdentity that is not true or false is refused naming the field', async () => {
  const res = await collector.putAgentPolicy({
    intervalSeconds: 900,
    wsHoldSeconds: null,
    profile: null,
    reportIdentity: 'yes',
  });
  assert.equal(res.status, 422, res.body);
  assert.match(res.body, /\/reportIdentity/);
  assert.throws(
    () =>
      parseAgentSettings({ profile: lab.profile, intervalSeconds: 900, wsHoldSeconds: 1, reportIdentity: 1 }),
    /\/reportIdentity must be true or false, got 1/,
  );
});
