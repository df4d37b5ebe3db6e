/**
 * The agent loop in-process, against the real lab (probe traffic) and a real
 * collector (`netinsights serve` on a temporary SQLite file): settings taken
 * from the collector before each run, a collector that goes offline (reports
 * spooled) and comes back (spool drained, each report stored exactly once),
 * a collector answering garbage for its config (classified, logged, last
 * good settings used — from memory, then from the disk cache — else the
 * shipped profile), and the jittered schedule.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createRootCa, type Lab, startLab } from '@netinsights/lab';
import {
  type AgentRunRecord,
  type AgentSettings,
  fetchAgentSettings,
  formatRunRecord,
  nextDelayMs,
  parseAgentSettings,
  runAgent,
} from '../src/index.ts';
import { type ConfigMode, labConfig, startTestCollector, type TestCollector } from './agent-fixture.ts';

let lab: Lab;
let collector: TestCollector;
const dirs: string[] = [];

before(async () => {
  lab = await startLab();
  collector = await startTestCollector();
});
after(async () => {
  await collector.close();
  await lab.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'ni-agent-'));
  dirs.push(d);
  return d;
}

/** Runs the agent `runs` times back to back; returns its records and the settings each run was given. */
async function agentRuns(
  runs: number,
  stateDir: string,
  extra: { collectorInterval?: boolean; random?: () => number; stopAfterFirst?: boolean } = {},
): Promise<{ records: AgentRunRecord[]; given: AgentSettings[] }> {
  const records: AgentRunRecord[] = [];
  const given: AgentSettings[] = [];
  const controller = new AbortController();
  await runAgent({
    collector: { url: collector.url, token: collector.token },
    spoolDir: join(stateDir, 'spool'),
    deviceId: 'agent-test-device',
    ...(extra.collectorInterval ? {} : { intervalSeconds: 0 }),
    maxRuns: runs,
    // The profile comes from the collector; the network (lab DNS, lab trust) from the lab.
    probeOptions: (s) => {
      given.push(s);
      return lab.probeOptionsFor('healthy-direct', { profile: s.profile, wsHoldSeconds: s.wsHoldSeconds });
    },
    log: (r) => {
      records.push(r);
      if (extra.stopAfterFirst) controller.abort();
    },
    signal: controller.signal,
    ...(extra.random ? { random: extra.random } : {}),
  });
  return { records, given };
}

describe('schedule', () => {
  test('each wait is the interval ±10 %, spread by the random draw', () => {
    assert.equal(
      nextDelayMs(900, () => 0),
      810_000,
    );
    assert.equal(
      nextDelayMs(900, () => 0.5),
      900_000,
    );
    // 900 s × 1.0999998, rounded to the millisecond.
    assert.equal(
      nextDelayMs(900, () => 0.999_999),
      990_000,
    );
    assert.equal(
      nextDelayMs(0, () => 0.3),
      0,
    );
    const fleet = Array.from({ length: 200 }, () => nextDelayMs(900));
    assert.ok(fleet.every((d) => d >= 810_000 && d <= 990_000));
    // 200 agents started together do not wake in the same second.
    assert.ok(new Set(fleet.map((d) => Math.floor(d / 1000))).size > 50);
  });
});

describe('settings from the collector', () => {
  test('an answer is validated; what is wrong is named with its JSON path', () => {
    assert.throws(() => parseAgentSettings('<html>'), /must be a JSON object/);
    assert.throws(() => parseAgentSettings({ intervalSeconds: 900 }), /\/profile is missing/);
    assert.throws(
      () => parseAgentSettings(labConfig(lab, { intervalSeconds: 5 })),
      /\/intervalSeconds must be a number from 60 to 86400, got 5/,
    );
    assert.throws(
      () => parseAgentSettings(labConfig(lab, { profile: { ...lab.profile, websocket: { url: 7 } } })),
      /\/profile.*websocket/,
    );
    assert.equal(parseAgentSettings(labConfig(lab)).profile.id, lab.profile.id);
  });

  test('the real collector’s answer is taken: its profile is probed and its interval (jittered) used', async () => {
    collector.configMode = { kind: 'forward' };
    const dir = await tempDir();
    // The real server hands out the shipped m365 profile (its hosts are not probed here: no internet).
    const fromServer = await fetchAgentSettings({
      url: collector.url,
      token: collector.token,
    });
    assert.ok(fromServer.ok, !fromServer.ok ? fromServer.message : '');
    assert.equal(fromServer.settings.profile.id, 'm365');
    assert.equal(fromServer.settings.intervalSeconds, 900);
    const wrongToken = await fetchAgentSettings({
      url: collector.url,
      token: 'nia_not-a-token',
    });
    assert.equal(!wrongToken.ok && wrongToken.failure, 'rejected');

    // An admin changes the agents' settings centrally, through the API: every 600 s, the lab's profile.
    const put = await collector.putAgentPolicy({
      intervalSeconds: 600,
      wsHoldSeconds: 0.2,
      profile: lab.profile,
    });
    assert.equal(put.status, 200, put.body);
    const { records, given } = await agentRuns(2, dir, {
      collectorInterval: true,
      random: () => 0.75,
      stopAfterFirst: true,
    });
    assert.equal(records.length, 1);
    const [r] = records;
    assert.equal(r?.outcome, 'done', JSON.stringify(r));
    assert.equal(r?.settings.source, 'collector');
    assert.equal(given[0]?.profile.id, lab.profile.id);
    assert.equal(r?.settings.intervalSeconds, 600);
    // 600 s × (1 + 0.1 × (2 × 0.75 − 1)) = 630 s.
    assert.equal(r?.nextRunInMs, 630_000);
    assert.equal(r?.report?.healthy, true);
    assert.equal(r?.upload?.sent, 1);
    assert.ok((await collector.storedIds()).includes(r?.report?.reportId ?? ''));

    // A policy the agents would refuse is refused by the collector, naming the field; nothing changes.
    const refused = await collector.putAgentPolicy({
      intervalSeconds: 5,
      wsHoldSeconds: null,
      profile: null,
    });
    assert.equal(refused.status, 422, refused.body);
    assert.match(refused.body, /\/intervalSeconds/);
    const still = await fetchAgentSettings({ url: collector.url, token: collector.token });
    assert.equal(still.ok && still.settings.intervalSeconds, 600);

    // Back to the shipped profile and schedule.
    const reset = await collector.putAgentPolicy({
      intervalSeconds: 900,
      wsHoldSeconds: null,
      profile: null,
    });
    assert.equal(reset.status, 200, reset.body);
    const shipped = await fetchAgentSettings({ url: collector.url, token: collector.token });
    assert.ok(shipped.ok);
    assert.equal(shipped.settings.profile.id, 'm365');
    assert.equal(shipped.settings.wsHoldSeconds, shipped.settings.profile.websocket.holdSeconds);
  });
});

describe('offline collector', () => {
  test('reports are spooled while it is away and drained exactly once when it is back', async () => {
    collector.configMode = { kind: 'answer', body: labConfig(lab) };
    const dir = await tempDir();
    const before = new Set(await collector.storedIds());
    await collector.goOffline();
    const offline = await agentRuns(3, dir);
    assert.deepEqual(
      offline.records.map((r) => [r.outcome, r.configError?.failure, r.settings.source, r.upload?.waiting]),
      [
        ['done', 'unreachable', 'shipped', 1],
        ['done', 'unreachable', 'shipped', 2],
        ['done', 'unreachable', 'shipped', 3],
      ],
    );
    assert.match(offline.records[0]?.upload?.failure ?? '', /cannot reach the collector/);
    assert.equal((await readdir(join(dir, 'spool'))).length, 3);
    const spooledIds = offline.records.map((r) => r.report?.reportId ?? '');

    await collector.comeBack();
    const back = await agentRuns(2, dir);
    const [first, second] = back.records;
    assert.equal(first?.settings.source, 'collector');
    assert.deepEqual(
      [first?.upload?.sent, first?.upload?.fromSpool, first?.upload?.waiting, first?.upload?.duplicates],
      [4, 3, 0, 0],
    );
    assert.deepEqual([second?.upload?.sent, second?.upload?.fromSpool], [1, 0]);
    const stored = (await collector.storedIds()).filter((id) => !before.has(id));
    const expected = [...spooledIds, first?.report?.reportId, second?.report?.reportId];
    assert.deepEqual(new Set(stored), new Set(expected));
    assert.equal(stored.length, 5, 'each report stored once, under its original id');
    assert.deepEqual(await readdir(join(dir, 'spool')), []);
  });
});

describe('a collector answering garbage for its config', () => {
  test('is logged as a classified error and the last good settings are used', async () => {
    const dir = await tempDir();
    // A good answer first: a custom interval the shipped default does not have.
    collector.configMode = { kind: 'answer', body: labConfig(lab, { intervalSeconds: 1234 }) };
    const good = await agentRuns(1, dir);
    assert.equal(good.records[0]?.settings.source, 'collector');

    const garbage: ConfigMode[] = [
      { kind: 'raw', status: 200, contentType: 'text/html', text: '<html>maintenance</html>' },
      { kind: 'answer', body: { profile: { id: 'x' }, intervalSeconds: 900, wsHoldSeconds: 1 } },
      { kind: 'raw', status: 500, contentType: 'application/json', text: '{"error":{}}' },
      { kind: 'raw', status: 200, contentType: 'application/json', text: `"${'x'.repeat(2 * 1024 * 1024)}"` },
    ];
    const expectedFailures = ['invalid', 'invalid', 'http-error', 'invalid'];
    for (const [i, mode] of garbage.entries()) {
      collector.configMode = mode;
      const { records, given } = await agentRuns(1, dir);
      const r = records[0];
      assert.equal(r?.outcome, 'done', JSON.stringify(r));
      assert.equal(r?.configError?.failure, expectedFailures[i]);
      // A fresh agent (a restart) has nothing in memory: the settings come from the disk cache.
      assert.equal(r?.settings.source, 'disk-cache');
      assert.equal(given[0]?.intervalSeconds, 1234);
      assert.equal(given[0]?.profile.id, lab.profile.id);
      assert.equal(r?.upload?.sent, 1, 'the run still uploads its report');
      assert.match(
        formatRunRecord(r as AgentRunRecord, 'text'),
        /collector config not used: (invalid|http-error): /,
      );
      const json = JSON.parse(formatRunRecord(r as AgentRunRecord, 'json')) as AgentRunRecord;
      assert.equal(json.configError?.failure, expectedFailures[i]);
    }
    // Within one agent, after a good answer, garbage falls back to the settings in memory.
    collector.configMode = { kind: 'answer', body: labConfig(lab, { intervalSeconds: 4321 }) };
    const records: AgentRunRecord[] = [];
    let n = 0;
    const controller = new AbortController();
    await runAgent({
      collector: { url: collector.url, token: collector.token },
      spoolDir: join(dir, 'spool'),
      intervalSeconds: 0,
      maxRuns: 2,
      probeOptions: (s) => {
        if (n++ === 0)
          collector.configMode = {
            kind: 'raw',
            status: 200,
            contentType: 'application/json',
            text: '{"profile":',
          };
        return lab.probeOptionsFor('healthy-direct', { profile: s.profile, wsHoldSeconds: s.wsHoldSeconds });
      },
      log: (r) => {
        records.push(r);
      },
      signal: controller.signal,
    });
    assert.deepEqual(
      records.map((r) => [r.settings.source, r.configError?.failure]),
      [
        ['collector', undefined],
        ['memory', 'invalid'],
      ],
    );
  });

  test('a collector that takes the request and never answers times out, classified', async () => {
    collector.configMode = { kind: 'hang' };
    const hung = await fetchAgentSettings({ url: collector.url, token: collector.token, timeoutMs: 300 });
    assert.equal(!hung.ok && hung.failure, 'unreachable');
    assert.match(!hung.ok ? hung.message : '', /no answer within 0.3 s/);
    collector.configMode = { kind: 'forward' };
  });

  test('a broken disk cache is ignored and the shipped profile used, saying why', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'agent-config.json'), '{"profile": "damaged"}');
    collector.configMode = { kind: 'raw', status: 200, contentType: 'application/json', text: '[]' };
    const records: AgentRunRecord[] = [];
    const given: AgentSettings[] = [];
    await runAgent({
      collector: { url: collector.url, token: collector.token },
      spoolDir: join(dir, 'spool'),
      intervalSeconds: 0,
      maxRuns: 1,
      probeOptions: (s) => {
        given.push(s);
        // The shipped profile names the real Microsoft 365 hosts: measure through the lab instead.
        return lab.probeOptionsFor('healthy-direct', { wsHoldSeconds: 0 });
      },
      log: (r) => {
        records.push(r);
      },
      signal: new AbortController().signal,
    });
    assert.equal(records[0]?.settings.source, 'shipped');
    assert.equal(given[0]?.profile.id, 'm365');
    assert.match(
      records[0]?.configError?.message ?? '',
      /must be a JSON object.*agent-config\.json: ignored/,
    );
  });
});

describe('the collector over HTTPS', () => {
  let tlsCollector: TestCollector;
  let caPem = '';
  before(async () => {
    const ca = await createRootCa({ commonName: 'Agent Test Collector CA' });
    caPem = ca.certPem;
    tlsCollector = await startTestCollector(await ca.issueServer(['localhost', '127.0.0.1']));
  });
  after(() => tlsCollector.close());

  test('settings and uploads go over verified TLS; an unknown certificate is refused, classified', async () => {
    const url = tlsCollector.serverUrl;
    assert.match(url, /^https:/);
    const untrusted = await fetchAgentSettings({ url, token: tlsCollector.token });
    assert.equal(!untrusted.ok && untrusted.failure, 'untrusted');
    assert.match(!untrusted.ok ? untrusted.message : '', /--collector-ca/);

    const dir = await tempDir();
    const records: AgentRunRecord[] = [];
    await runAgent({
      collector: { url, token: tlsCollector.token, caPems: [caPem] },
      spoolDir: join(dir, 'spool'),
      intervalSeconds: 0,
      maxRuns: 1,
      // The collector sends the shipped m365 profile; the probe measures the lab's copy of it.
      probeOptions: (s) => {
        assert.equal(s.profile.id, 'm365');
        return lab.probeOptionsFor('healthy-direct', { wsHoldSeconds: 0 });
      },
      log: (r) => {
        records.push(r);
      },
      signal: new AbortController().signal,
    });
    assert.equal(records[0]?.settings.source, 'collector');
    assert.equal(records[0]?.upload?.sent, 1);
    assert.deepEqual(await tlsCollector.storedIds(), [records[0]?.report?.reportId]);
  });

  test('settings come through a CONNECT proxy, still verified end to end', async () => {
    const { startConnectProxy } = await import('./helpers/connect-proxy.ts');
    const proxy = await startConnectProxy();
    try {
      const port = new URL(tlsCollector.serverUrl).port;
      const collectorOpts = { url: `https://localhost:${port}`, token: tlsCollector.token };
      const through = await fetchAgentSettings({
        ...collectorOpts,
        caPems: [caPem],
        proxy: new URL(proxy.url),
      });
      assert.ok(through.ok, !through.ok ? through.message : '');
      assert.deepEqual(proxy.seen, [`localhost:${port}`]);
      const untrusted = await fetchAgentSettings({ ...collectorOpts, proxy: new URL(proxy.url) });
      assert.equal(!untrusted.ok && untrusted.failure, 'untrusted');
      const noProxy = await fetchAgentSettings({ ...collectorOpts, proxy: new URL('http://127.0.0.1:9') });
      assert.equal(!noProxy.ok && noProxy.failure, 'unreachable');
    } finally {
      await proxy.close();
    }
  });

  test('the token is never sent over plain http to a non-loopback host: refused before any run', async () => {
    let probed = 0;
    await assert.rejects(
      runAgent({
        collector: { url: 'http://collector.example.com', token: 'nia_secret' },
        spoolDir: join(await tempDir(), 'spool'),
        maxRuns: 1,
        probeOptions: (s) => {
          probed++;
          return { profile: s.profile };
        },
        log: () => {},
        signal: new AbortController().signal,
      }),
      /refusing to send the agent token over plain http/,
    );
    assert.equal(probed, 0);
  });
});

describe('stopping', () => {
  test('an abort during the wait between runs ends the agent at once, not after the interval', async () => {
    collector.configMode = { kind: 'answer', body: labConfig(lab) };
    const controller = new AbortController();
    const records: AgentRunRecord[] = [];
    let stoppedAt = 0;
    const summary = await runAgent({
      collector: { url: collector.url, token: collector.token },
      spoolDir: join(await tempDir(), 'spool'),
      intervalSeconds: 3600,
      probeOptions: (s) =>
        lab.probeOptionsFor('healthy-direct', { profile: s.profile, wsHoldSeconds: s.wsHoldSeconds }),
      log: (r) => {
        records.push(r);
        setTimeout(() => {
          stoppedAt = performance.now();
          controller.abort();
        }, 100);
      },
      signal: controller.signal,
    });
    assert.deepEqual(summary, { runs: 1, aborted: true });
    assert.ok((records[0]?.nextRunInMs ?? 0) >= 3_240_000, 'it was waiting an hour (less jitter)');
    assert.ok(performance.now() - stoppedAt < 5_000);
  });

  test('a stop during the upload keeps the report in the spool; the next start sends it once', async () => {
    collector.configMode = { kind: 'answer', body: labConfig(lab) };
    const dir = await tempDir();
    const storedBefore = new Set(await collector.storedIds());
    const seenBefore = collector.seen.length;
    collector.stallReports = true;
    const controller = new AbortController();
    const poll = setInterval(() => {
      if (collector.seen.slice(seenBefore).includes('POST /api/v1/reports')) controller.abort();
    }, 20);
    const records: AgentRunRecord[] = [];
    try {
      await runAgent({
        collector: { url: collector.url, token: collector.token },
        spoolDir: join(dir, 'spool'),
        intervalSeconds: 0,
        maxRuns: 1,
        probeOptions: (s) =>
          lab.probeOptionsFor('healthy-direct', { profile: s.profile, wsHoldSeconds: s.wsHoldSeconds }),
        log: (r) => {
          records.push(r);
        },
        signal: controller.signal,
      });
    } finally {
      clearInterval(poll);
      collector.stallReports = false;
      collector.releaseStalled();
    }
    const reportId = records[0]?.report?.reportId ?? '';
    assert.equal(records[0]?.outcome, 'aborted');
    assert.ok(reportId);
    assert.ok((await readdir(join(dir, 'spool'))).includes(`${reportId}.json`));
    const { records: next } = await agentRuns(1, dir);
    assert.deepEqual(
      [next[0]?.upload?.sent, next[0]?.upload?.fromSpool, next[0]?.upload?.waiting],
      [2, 1, 0],
    );
    const stored = (await collector.storedIds()).filter((id) => !storedBefore.has(id));
    assert.deepEqual(new Set(stored), new Set([reportId, next[0]?.report?.reportId]));
    assert.equal(stored.length, 2);
  });

  test('runs never overlap: each starts after the previous one ended', async () => {
    collector.configMode = { kind: 'answer', body: labConfig(lab) };
    const { records } = await agentRuns(4, await tempDir());
    for (let i = 1; i < records.length; i++) {
      const prev = records[i - 1] as AgentRunRecord;
      const cur = records[i] as AgentRunRecord;
      assert.ok(Date.parse(cur.at) - cur.durationMs >= Date.parse(prev.at) - 1, JSON.stringify([prev, cur]));
    }
  });
});
