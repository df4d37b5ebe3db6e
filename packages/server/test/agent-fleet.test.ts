/**
 * Agents by version: each settings fetch (GET /api/v1/agent/config) with the
 * agent's version and device id is its check-in, kept per token and device
 * on every store dialect (the latest wins, tenants apart), and
 * GET /api/v1/agents lists the fleet with the collector's current version,
 * flagging agents that run an older one and silent agents: no check-in, or
 * check-ins but no stored report, for two intervals.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CURRENT_AGENT_VERSION, isOutOfDate } from '../src/agents/agent-version.ts';
import { sampleReport } from './helpers/sample-report.ts';
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

    test('each device’s last report since a time; older reports, other tenants and no device left out', async () => {
      const s = await stores.open();
      for (const id of ['t1', 't2'])
        await s.tenants.create({ id, name: id, createdAt: '2026-11-01T00:00:00.000Z' });
      const put = (tenantId: string, deviceId: string | null, receivedAt: string) =>
        s.reports.insert({
          tenantId,
          id: crypto.randomUUID(),
          receivedAt,
          officeId: null,
          discoveredId: null,
          deviceId,
          egressIp: '203.0.113.9',
          checks: 1,
          failures: 0,
          failureCodes: [],
          body: '{}',
        });
      await put('t1', 'd1', '2026-11-01T00:05:00.000Z');
      await put('t1', 'd1', '2026-11-01T00:20:00.000Z');
      await put('t1', 'd2', '2026-10-31T23:00:00.000Z');
      await put('t1', null, '2026-11-01T00:30:00.000Z');
      await put('t2', 'd3', '2026-11-01T00:30:00.000Z');
      assert.deepEqual(await s.agentCheckins.lastReports('t1', '2026-11-01T00:00:00.000Z'), [
        { deviceId: 'd1', at: '2026-11-01T00:20:00.000Z' },
      ]);
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

  test('lists check-ins by version, flags the out-of-date and the silent (no check-in, or no report)', async () => {
    const checkIn = (deviceId: string) =>
      f.app.inject({
        method: 'GET',
        url: '/api/v1/agent/config',
        headers: {
          authorization: `Bearer ${T.agentToken}`,
          'x-netinsights-agent-version': CURRENT_AGENT_VERSION,
          'x-netinsights-device-id': deviceId,
        },
      });
    const config = await checkIn('laptop-7');
    assert.equal(config.statusCode, 200);
    // laptop-7's report arrives; desk-3 checks in but its reports never do (a proxy eats them).
    const up = await f.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      headers: { authorization: `Bearer ${T.agentToken}` },
      payload: sampleReport({ deviceId: 'laptop-7' }),
    });
    assert.equal(up.statusCode, 202, up.body);
    assert.equal((await checkIn('desk-3')).statusCode, 200);
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
      items: {
        deviceId: string;
        version: string;
        outOfDate: boolean;
        silent: boolean;
        silentBecause: string | null;
        lastReportAt: string | null;
        tokenName: string;
      }[];
    };
    assert.equal(body.currentVersion, CURRENT_AGENT_VERSION);
    assert.equal(body.silentAfterSeconds, 1800);
    assert.deepEqual(
      body.items.map((i) => [i.deviceId, i.version, i.outOfDate, i.silent, i.silentBecause]),
      [
        ['old-box', '0.0.1', true, true, 'no-checkin'],
        ['desk-3', CURRENT_AGENT_VERSION, false, true, 'no-report'],
        ['laptop-7', CURRENT_AGENT_VERSION, false, false, null],
      ],
    );
    assert.ok(body.items.find((i) => i.deviceId === 'laptop-7')?.lastReportAt);
    assert.equal(body.items.find((i) => i.deviceId === 'desk-3')?.lastReportAt, null);
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
