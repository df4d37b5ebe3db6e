/**
 * A busy probe must not read as a degraded call. The Teams media check's
 * sends and answers used to run on the probe's main loop, so while other
 * work kept that loop busy (TLS handshakes of other checks, the sweep, an
 * agent's upload; in the lab end-to-end test, eighteen probes and the lab at
 * once) answers waited for it, and a clean path showed RTT and jitter over
 * Microsoft's targets. The relay here is 20 ms away in a process of its own,
 * and the test keeps the main loop busy in 120 ms slices while the check runs.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { testPki } from './helpers/fixture.ts';
import { runAgainst } from './helpers/teams-media-run.ts';

let relay: ChildProcess;
let port = 0;

before(async () => {
  relay = spawn(process.execPath, [new URL('./helpers/distant-relay-child.ts', import.meta.url).pathname], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  for await (const chunk of relay.stdout!) {
    out += String(chunk);
    if (out.includes('\n')) break;
  }
  port = (JSON.parse(out) as { ports: number[] }).ports[0]!;
});

after(async () => {
  relay.stdin!.end();
  if (relay.exitCode === null) await once(relay, 'exit');
});

/** Keeps the event loop busy in `sliceMs` slices, turning it once between them, until stopped. */
function keepBusy(sliceMs: number): () => Promise<void> {
  let busy = true;
  const done = new Promise<void>((resolve) => {
    const slice = () => {
      if (!busy) return resolve();
      const until = performance.now() + sliceMs;
      while (performance.now() < until) {
        // spin: nothing else on this loop runs
      }
      setImmediate(slice);
    };
    setImmediate(slice);
  });
  return () => {
    busy = false;
    return done;
  };
}

test('a clean 20 ms path stays within Microsoft targets while the probe main loop is busy', async () => {
  const genuineRoot = (await testPki()).genuineRoot;
  const stop = keepBusy(120);
  let r: Awaited<ReturnType<typeof runAgainst>>;
  try {
    r = await runAgainst([port], port, {
      genuineRoot,
      seconds: 1,
      thresholds: { lossPercent: 1, rttMs: 100, jitterMs: 30 },
    });
  } finally {
    await stop();
  }
  const t = r.teamsMedia!;
  assert.ok(t.sent >= 45, `the 20 ms schedule was kept: ${t.sent} requests in 1 s`);
  assert.equal(t.answered, t.sent, 'nothing lost');
  assert.ok((t.rttMedianMs ?? 0) >= 19 && (t.rttMedianMs ?? 0) < 60, `RTT median ${t.rttMedianMs} ms`);
  assert.ok((t.jitterMs ?? 0) < 30, `jitter ${t.jitterMs} ms`);
  assert.equal(r.outcome.status, 'ok', JSON.stringify(r.outcome));
});
