/**
 * Agents by version: each settings fetch (GET /api/v1/agent/config) with the
 * agent's version and device id is its check-in, kept per token and device
 * on every store dialect (the latest wins, tenants apart), and
 * GET /api/v1/agents lists the fleet with the collector's current version,
 * flagging agents that run an older one and agents with no check-in for two
 * intervals.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CURRENT_AGENT_VERSION, isOutOfDate } from '../src/agents/agent-version.ts';
import { type Fixture, type SeededTenant, startSeededFixture } from './helpers/server-fixture.ts';
import { storeFactory, testDialects } from './store/dialects.ts';

for (const dialect of testDialects())
  describe(`agent check-ins: ${dialect}`, () => {
    const stores = storeFactory(dialect);
    after(() => stores.cleanup());
    test('one row per token and device, the latest kept; tenants apart', async () => {
      const s = await stores.open();
      for (const id of ['t1', 't2'])
        await s.tenants.create({ id, name: id, createdAt: '2026-11-01T00:00:00.000Z' });
      const row = {
        tenantId: 't1',
        tokenId: 'k',
        deviceId: 'd1',
        version: '0.1.0',
        seenAt: '2026-11-01T00:00:00.000Z',
      };
      await s.agentCheckins.record(row);
      await s.agentCheckins.record({ ...row, version: '0.2.0', seenAt: '2026-11-01T00:15:00.000Z' });
      await s.agentCheckins.record({ ...row, deviceId: 'd2', seenAt: '2026-11-01T00:10:00.000Z' });
      assert.deepEqual(
        (await s.agentCheckins.list('t1')).map((r) => [r.deviceId, r.version, r.seenAt]),
        [
          ['d1', '0.2.0', '2026-11-01T00:15:00.000Z'],
          ['d2', '0.1.0', '2026-11-01T00:10:00.000Z'],
        ],
      );
      assert.deepEqual(await s.agentCheckins.list('t2'), []);
    });
  });

test('version comparison: older, equal, newer, and not a version', () => {
  assert.equal(isOutOfDate('0.0.9', '0.1.0'), true);
  assert.equal(isOutOfDate('0.1.0', '0.1.0'), false);
  assert.equal(isOutOfDate('0.10.0', '0.9.3'), false, 'numeric, not text order');
  assert.equal(isOutOfDate('latest', '0.1.0'), true);
});

describe('GET /api/v1/agents', () => {
  let f: Fixture;
  let T: SeededTenant;
  before(async () => ({ f, T } = await startSeededFixture('Fleet')));
  after(() => f.close());

  test('lists check-ins by version, flags the out-of-date and the silent', async () => {
    const config = await f.app.inject({
      method: 'GET',
      url: '/api/v1/agent/config',
      headers: {
        authorization: `Bearer ${T.agentToken}`,
        'x-netinsights-agent-version': CURRENT_AGENT_VERSION,
        'x-netinsights-device-id': 'laptop-7',
      },
    });
    assert.equal(config.statusCode, 200);
    assert.equal(
      config.json().currentAgentVersion,
      CURRENT_AGENT_VERSION,
      'the collector announces the current one',
    );
    // An old agent that last checked in three intervals ago (15 min each by default).
    await f.store.agentCheckins.record({
      tenantId: T.tenantId,
      tokenId: T.agentTokenId,
      deviceId: 'old-box',
      version: '0.0.1',
      seenAt: new Date(Date.now() - 45 * 60_000).toISOString(),
    });
    const res = await f.app.inject({
      method: 'GET',
      url: '/api/v1/agents',
      headers: { cookie: T.ownerCookie },
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as {
      currentVersion: string;
      silentAfterSeconds: number;
      items: { deviceId: string; version: string; outOfDate: boolean; silent: boolean; tokenName: string }[];
    };
    assert.equal(body.currentVersion, CURRENT_AGENT_VERSION);
    assert.equal(body.silentAfterSeconds, 1800);
    assert.deepEqual(
      body.items.map((i) => [i.deviceId, i.version, i.outOfDate, i.silent]),
      [
        ['old-box', '0.0.1', true, true],
        ['laptop-7', CURRENT_AGENT_VERSION, false, false],
      ],
    );
    assert.ok(body.items.every((i) => i.tokenName));
  });

  test('a fetch without a version, or with a malformed one, records nothing', async () => {
    const before = (await f.store.agentCheckins.list(T.tenantId)).length;
    for (const headers of [{}, { 'x-netinsights-agent-version': '<script>' }])
      await f.app.inject({
        method: 'GET',
        url: '/api/v1/agent/config',
        headers: { authorization: `Bearer ${T.agentToken}`, ...headers },
      });
    assert.equal((await f.store.agentCheckins.list(T.tenantId)).length, before);
  });
});
