/**
 * The run deadline and the caller's abort signal: whatever is still running
 * when they fire ends as probe/deadline, and runProbe returns promptly with
 * every planned check accounted for.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  code,
  HOSTS,
  loopbackPins,
  type Pki,
  probe,
  result,
  testPki,
  testProfile,
  WS_HOST,
} from './helpers/fixture.ts';
import { type Origin, startGenuineOrigin } from './helpers/origin-server.ts';

let pki: Pki;
let origin: Origin;
before(async () => {
  pki = await testPki();
  origin = await startGenuineOrigin(pki);
});

after(() => origin.close());

describe('deadlines', () => {
  test('a WebSocket hold longer than the run deadline ends as probe/deadline, on time', async () => {
    const started = Date.now();
    const report = await probe({
      profile: testProfile({ port: origin.port, genuineRoot: pki.genuineRoot, holdSeconds: 60 }),
      resolve: loopbackPins(origin.port),
      extraTrustedCas: [pki.genuineRoot.certPem],
      deadlineMs: 2000,
    });
    assert.ok(Date.now() - started < 2000 + 1500, `took ${Date.now() - started} ms`);
    const ws = result(report, `websocket:${WS_HOST}:${origin.port}`);
    assert.equal(code(ws), 'probe/deadline');
    assert.ok((ws.websocket?.heldMs ?? 0) > 0, 'it had opened and was being held');
    assert.equal(code(result(report, `https:${HOSTS[0]}:${origin.port}`)), 'ok');
  });

  test('the caller aborting the run stops it and accounts for every check', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const report = await probe({
      profile: testProfile({ port: origin.port, genuineRoot: pki.genuineRoot, holdSeconds: 60 }),
      resolve: loopbackPins(origin.port),
      signal: controller.signal,
    });
    assert.ok(Date.now() - started < 300 + 1500);
    const ws = result(report, `websocket:${WS_HOST}:${origin.port}`);
    assert.equal(code(ws), 'probe/deadline');
    // Planned checks all have a result (none silently missing).
    assert.ok(report.results.length >= 10);
  });
});
