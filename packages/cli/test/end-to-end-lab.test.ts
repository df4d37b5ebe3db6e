/**
 * The whole pipeline on real parts: simulated devices in simulated offices
 * run the real probe through the lab's broken networks, upload to a real
 * collector over HTTP, and the insight engine opens exactly the expected
 * insight for each broken office and none for the healthy ones. Repairing an
 * office in the lab resolves its insight. Runs on every store dialect the
 * test run covers (SQLite always, PostgreSQL when a cluster is given).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Lab, startLab } from '@netinsights/lab';
import { runFleetRound, type SimulatedOffice } from '@netinsights/lab/simulation/office-fleet.ts';
import { resolveConfig, type StartedServer, startServer } from '@netinsights/server';
import type { ApiInsight, ApiInsightEvent } from '@netinsights/server/insights/api-insight.ts';
// The store suite's dialect selection (NETINSIGHTS_TEST_DIALECTS / NETINSIGHTS_TEST_PG_URL).
import { type TestDatabase, testDatabase, testDialects } from '../../server/test/store/dialects.ts';
import { provisionDemoTenant } from '../src/demo/demo-setup.ts';
import type { DemoOffice, DemoTenant } from '../src/demo/demo-world.ts';

/** Office name → lab scenario → the insight kinds it must raise (and nothing else). */
const CASES: { name: string; scenario: string; kinds: string[] }[] = [
  { name: 'Healthy Direct', scenario: 'healthy-direct', kinds: [] },
  { name: 'Healthy Proxy', scenario: 'healthy-proxy', kinds: [] },
  { name: 'Intercepted', scenario: 'intercepted', kinds: ['tls-interception'] },
  { name: 'Static Blocked', scenario: 'static-blocked', kinds: ['critical-domain-https-failure'] },
  { name: 'Broken DNS', scenario: 'dns-failure', kinds: ['critical-domain-https-failure'] },
  { name: 'WebSocket Reset', scenario: 'ws-reset', kinds: ['websocket-failure'] },
  { name: 'No QUIC', scenario: 'quic-blocked', kinds: ['quic-blocked'] },
  { name: 'Downgraded', scenario: 'h2-downgraded', kinds: ['protocol-downgrade', 'tls-interception'] },
  { name: 'Teams Blocked', scenario: 'teams-blocked', kinds: ['teams-media'] },
  { name: 'Bufferbloat', scenario: 'bufferbloat', kinds: ['latency-under-load'] },
];

const tenant: DemoTenant = {
  name: 'E2E Corp',
  admin: { email: 'owner@e2e.example', password: 'e2e-password-long' },
  offices: CASES.map(
    (c, i): DemoOffice => ({
      name: c.name,
      city: `City ${i}`,
      country: 'NL',
      latitude: 52,
      longitude: 4 + i / 10,
      scenario: c.scenario,
      egressRange: `198.51.100.${i * 16}/28`,
      egressIp: `198.51.100.${i * 16 + 5}`,
      devices: 2,
    }),
  ),
};

for (const dialect of testDialects())
  describe(`lab → collector → insights (${dialect} store)`, () => suite(dialect));

function suite(dialect: 'sqlite' | 'postgres'): void {
  let lab: Lab;
  let server: StartedServer;
  let db: TestDatabase;
  let cookie = '';

  async function api<T = Record<string, unknown>>(
    path: string,
    init: RequestInit = {},
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(new URL(path, server.url), {
      ...init,
      headers: { cookie, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async function insights(): Promise<ApiInsight[]> {
    await server.app.netinsights.insights.evaluateAll(server.app.netinsights.store, new Date());
    const r = await api<{ items: ApiInsight[] }>('/api/v1/insights');
    assert.equal(r.status, 200);
    return r.body.items;
  }

  let offices: SimulatedOffice[];

  before(async () => {
    lab = await startLab();
    db = await testDatabase(dialect);
    const config = resolveConfig({
      flags: { port: 0, db: db.url, trustedProxies: ['127.0.0.1', '::1'], logLevel: 'silent' },
      env: {},
    });
    server = await startServer({ ...config, evaluateIntervalSeconds: 3600 }, { logger: false });
    const { agentToken } = await provisionDemoTenant(server.app.netinsights.store, tenant);
    offices = tenant.offices.map((o) => ({ ...o, token: agentToken }));
    const login = await fetch(new URL('/api/v1/auth/login', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: tenant.admin!.email, password: tenant.admin!.password }),
    });
    assert.equal(login.status, 200);
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    // A small evidence base so the test needs few rounds; thresholds stay the product's defaults.
    const settings = await api('/api/v1/settings/insights');
    const put = await api('/api/v1/settings/insights', {
      method: 'PUT',
      body: JSON.stringify({ ...settings.body, windowHours: 1, minSamples: 4, minDevices: 2 }),
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
  });

  after(async () => {
    await server?.app.close();
    await lab?.close();
    await db?.drop();
  });

  test('each broken office raises exactly its insight with evidence, healthy offices raise none', async () => {
    for (let round = 0; round < 2; round++) {
      const r = await runFleetRound({ lab, collectorUrl: server.url, offices });
      assert.deepEqual(r.errors, [], 'every simulated upload is accepted');
      assert.equal(r.uploaded, offices.length * 2);
    }
    const active = (await insights()).filter((i) => i.status === 'active');
    for (const c of CASES) {
      const kinds = active.filter((i) => i.officeName === c.name).map((i) => i.kind);
      assert.deepEqual(kinds.sort(), [...c.kinds].sort(), `${c.name} (${c.scenario})`);
    }

    const interception = active.find((i) => i.officeName === 'Intercepted')!;
    assert.equal(interception.evidence.vendor, 'Zscaler');
    assert.ok(interception.evidence.samples >= 4 && interception.evidence.devices === 2);
    assert.ok(interception.evidence.exampleReportIds.length > 0);

    const blocked = active.find((i) => i.officeName === 'Static Blocked')!;
    const codes = blocked.evidence.failureClasses.map((f) => f.code);
    assert.ok(codes.includes('proxy/forbidden'), `failure classes ${codes}`);
    assert.ok(JSON.stringify(blocked.evidence.affectedDomains).includes('static.microsoft'));

    const dns = active.find((i) => i.officeName === 'Broken DNS')!;
    assert.ok(dns.evidence.failureClasses.some((f) => f.code === 'dns/nxdomain'));
  });

  test('repairing an office in the lab resolves its insight', async () => {
    const office = offices.find((o) => o.name === 'No QUIC')!;
    office.scenario = 'healthy-direct';
    office.devices = 4;
    let quic: ApiInsight | undefined;
    // Healthy reports dilute the failure share below the close threshold (hysteresis); bounded.
    for (let round = 0; round < 12; round++) {
      const r = await runFleetRound({ lab, collectorUrl: server.url, offices: [office] });
      assert.deepEqual(r.errors, []);
      quic = (await insights()).find((i) => i.officeName === 'No QUIC' && i.kind === 'quic-blocked');
      if (quic?.status === 'resolved') break;
    }
    assert.equal(quic?.status, 'resolved');
    const detail = await api<{ events: ApiInsightEvent[] }>(`/api/v1/insights/${quic!.id}`);
    assert.deepEqual(
      detail.body.events.map((e) => e.type).filter((t) => t !== 'updated'),
      ['opened', 'resolved'],
    );
    // The other broken offices stay broken.
    const stillActive = (await insights()).filter((i) => i.status === 'active').map((i) => i.officeName);
    assert.ok(stillActive.includes('Intercepted') && stillActive.includes('Static Blocked'));
  });
}
