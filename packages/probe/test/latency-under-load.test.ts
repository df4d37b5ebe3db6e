/**
 * Idle and loaded latency: the latency check runs in the run's idle phase,
 * so every other check starts after its samples are taken; the throughput
 * check samples the same host the same way while its download runs, and the
 * report's bufferbloat is the loaded median minus the idle median.
 */
import assert from 'node:assert/strict';
import { type AddressInfo, createServer } from 'node:net';
import { before, test } from 'node:test';
import { bufferbloatMs, type CheckResult } from '@netinsights/protocol';
import {
  DL_HOST,
  HOSTS,
  loopbackPins,
  type Pki,
  probe,
  result,
  testPki,
  testProfile,
} from './helpers/fixture.ts';
import { startGenuineOrigin } from './helpers/origin-server.ts';

const A = HOSTS[0] as string;
let pki: Pki;
before(async () => {
  pki = await testPki();
});

const endOf = (r: CheckResult) => Date.parse(r.startedAt ?? '') + r.durationMs;

test('no other check starts before the idle latency samples are done', async () => {
  const o = await startGenuineOrigin(pki, {});
  try {
    const report = await probe({
      profile: testProfile({ port: o.port, genuineRoot: pki.genuineRoot }),
      resolve: loopbackPins(o.port),
      extraTrustedCas: [pki.genuineRoot.certPem],
    });
    const latency = result(report, `latency:${A}:${o.port}`);
    assert.equal(latency.latency?.samplesMs.length, 3);
    const idleEnd = endOf(latency);
    for (const r of report.results)
      if (r.id !== latency.id)
        // startedAt has millisecond resolution; durationMs a tenth of one.
        assert.ok(
          Date.parse(r.startedAt ?? '') >= Math.floor(idleEnd) - 1,
          `${r.id} started during the idle phase`,
        );
  } finally {
    await o.close();
  }
});

test('a download of a few seconds carries loaded latency samples, and bufferbloat is loaded minus idle', async () => {
  // 200 kB/s for at most 1.5 s: long enough for several loaded samples 100 ms apart.
  const o = await startGenuineOrigin(pki, { trickleBytesPerSecond: 200_000 });
  try {
    const report = await probe({
      profile: testProfile({ port: o.port, genuineRoot: pki.genuineRoot, maxSeconds: 1.5 }),
      resolve: loopbackPins(o.port),
      extraTrustedCas: [pki.genuineRoot.certPem],
    });
    const t = result(report, `throughput:${DL_HOST}:${o.port}`).throughput;
    const idle = result(report, `latency:${A}:${o.port}`).latency?.medianMs;
    assert.ok(t?.loadedLatency, 'loaded samples recorded');
    assert.equal(t.loadedLatency.method, 'tcp-connect');
    assert.ok(t.loadedLatency.samplesMs.length >= 3, `${t.loadedLatency.samplesMs.length} loaded samples`);
    assert.ok(t.loadedLatency.samplesMs.length <= 30);
    assert.ok(idle !== undefined && t.loadedLatency.medianMs !== undefined);
    assert.equal(bufferbloatMs(report.results), Math.round((t.loadedLatency.medianMs - idle) * 10) / 10);
  } finally {
    await o.close();
  }
});

test('loaded samples come from a worker thread: a main event loop busy in 40 ms slices does not delay them', async () => {
  const o = await startGenuineOrigin(pki, { trickleBytesPerSecond: 200_000 });
  // The probe's own load, exaggerated: every turn of the main loop spends 40 ms on other work.
  let spinning = true;
  const spin = () => {
    const until = performance.now() + 40;
    while (performance.now() < until);
    if (spinning) setImmediate(spin);
  };
  setImmediate(spin);
  try {
    const report = await probe({
      profile: testProfile({ port: o.port, genuineRoot: pki.genuineRoot, maxSeconds: 1.5 }),
      resolve: loopbackPins(o.port),
      extraTrustedCas: [pki.genuineRoot.certPem],
    });
    const loaded = result(report, `throughput:${DL_HOST}:${o.port}`).throughput?.loadedLatency;
    const idle = result(report, `latency:${A}:${o.port}`).latency;
    assert.ok(loaded && loaded.samplesMs.length >= 3, `${loaded?.samplesMs.length} loaded samples`);
    // Baseline in the same run: the idle samples are taken on the main loop and wait for its turns.
    const idleMax = Math.max(...(idle?.samplesMs ?? [0]));
    assert.ok(idleMax >= 20, `main-loop samples show the blocked loop (${idle?.samplesMs})`);
    assert.ok(
      (loaded.medianMs ?? Infinity) < 10,
      `worker samples ${loaded.samplesMs} stay at loopback round trips while the main loop is blocked`,
    );
  } finally {
    spinning = false;
    await o.close();
  }
});

test('a loaded sample whose connect fails ends the series without holding the download result back', async () => {
  const o = await startGenuineOrigin(pki, { trickleBytesPerSecond: 200_000 });
  // A port nothing listens on, for the latency host only: every connect to it is refused.
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
  try {
    const profile = testProfile({ port: o.port, genuineRoot: pki.genuineRoot, maxSeconds: 1 });
    profile.latency.port = closedPort;
    const report = await probe({
      profile,
      resolve: [...loopbackPins(o.port), `${A}:${closedPort}:127.0.0.1`],
      extraTrustedCas: [pki.genuineRoot.certPem],
      // A long check timeout: waiting for an exited worker would show as ~20 s more.
      checkTimeoutMs: 20_000,
      deadlineMs: 60_000,
    });
    const t = result(report, `throughput:${DL_HOST}:${o.port}`);
    assert.equal(t.outcome.status, 'ok');
    assert.deepEqual(t.throughput?.loadedLatency?.samplesMs, []);
    assert.ok(t.durationMs < 10_000, `throughput took ${t.durationMs} ms`);
  } finally {
    await o.close();
  }
});
