/**
 * WebSocket checks against a real local WSS origin: echo and hold, a reset
 * while held, a close code, a refused upgrade (by a non-genuine path, and by
 * the genuine origin — which counts as a pass), and an upgrade that is never
 * answered.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  ALL_NAMES,
  code,
  loopbackPins,
  type Pki,
  probe,
  result,
  testPki,
  testProfile,
  WS_HOST,
} from './helpers/fixture.ts';
import { type OriginOptions, startOrigin } from './helpers/origin-server.ts';

let pki: Pki;
before(async () => {
  pki = await testPki();
});

async function run(
  issuer: 'genuine' | 'zscaler',
  origin: Partial<OriginOptions>,
  holdSeconds = 0.3,
  checkTimeoutMs = 4000,
) {
  const leaf = await (issuer === 'genuine' ? pki.genuineIssuing : pki.zscaler).issueServer(ALL_NAMES);
  const o = await startOrigin({
    certPem: leaf.certPem,
    keyPem: leaf.keyPem,
    chainPem: leaf.chainPem,
    ...origin,
  });
  try {
    const report = await probe({
      profile: testProfile({ port: o.port, genuineRoot: pki.genuineRoot, holdSeconds }),
      resolve: loopbackPins(o.port),
      extraTrustedCas: [pki.genuineRoot.certPem],
      checkTimeoutMs,
    });
    return result(report, `websocket:${WS_HOST}:${o.port}`);
  } finally {
    await o.close();
  }
}

describe('WebSocket', () => {
  test('upgrade, echo round trip, and the full hold', async () => {
    const ws = await run('genuine', { ws: 'echo' }, 0.5);
    assert.equal(code(ws), 'ok');
    assert.equal(ws.websocket?.upgradeStatus, 101);
    assert.equal(typeof ws.websocket?.echoRttMs, 'number');
    assert.equal(ws.websocket?.holdTargetMs, 500);
    assert.ok((ws.websocket?.heldMs ?? 0) >= 450, `held ${ws.websocket?.heldMs} ms`);
  });

  test('a connection reset while held is ws/reset-after-open', async () => {
    const ws = await run('genuine', { ws: 'reset-after', wsResetMs: 200 }, 3);
    assert.equal(code(ws), 'ws/reset-after-open');
    assert.ok((ws.websocket?.heldMs ?? 99_999) < 3000);
  });

  test('a close frame with a code while held is ws/closed-with-code', async () => {
    const ws = await run('genuine', { ws: 'close-4000', wsResetMs: 200 }, 3);
    assert.equal(code(ws), 'ws/closed-with-code');
    assert.equal(ws.websocket?.closeCode, 4000);
    assert.equal(ws.websocket?.closeReason, 'go away');
  });

  test('a 403 to the upgrade from a non-genuine path is ws/upgrade-refused', async () => {
    const ws = await run('zscaler', { ws: 'refuse-403' });
    assert.equal(code(ws), 'ws/upgrade-refused');
    assert.equal(ws.websocket?.upgradeStatus, 403);
  });

  test('the genuine origin answering the anonymous upgrade with 403 is a pass (originAnswered)', async () => {
    const ws = await run('genuine', { ws: 'refuse-403' });
    assert.equal(code(ws), 'ok');
    assert.equal(ws.websocket?.originAnswered, true);
    assert.equal(ws.websocket?.upgradeStatus, 403);
  });

  test('an upgrade that is never answered is ws/timeout', async () => {
    const ws = await run('genuine', { ws: 'never-answer' }, 0.3, 1000);
    assert.equal(code(ws), 'ws/timeout');
  });
});
