/**
 * Who may call what, on every /api route as registered (the route list comes
 * from the app itself, so a new route without a case fails this file):
 * - route × caller: every route is called by every kind of caller (none, agent
 *   token, read and read-write API tokens, viewer, admin and owner sessions)
 *   and must allow or refuse exactly as WHO_MAY declares for that route;
 * - cross-tenant reads and writes: tenant B, with its most powerful
 *   credential, tries to read and change tenant A's data on every route, and
 *   A's data is neither visible to B nor altered.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import type { InsightsHook, InsightView } from '../src/insights-hook.ts';
import { rawSet, snapshotDoc } from './catalog/fixtures.ts';
import { sampleReport } from './helpers/sample-report.ts';
import { type Fixture, type SeededTenant, seedTenant, startFixture } from './helpers/server-fixture.ts';

/** A stand-in engine that keeps one insight per tenant, to check the routes pass the caller's tenant. */
function fakeInsights(): InsightsHook & { byTenant: Map<string, InsightView> } {
  const byTenant = new Map<string, InsightView>();
  return {
    byTenant,
    async onReportStored(_tx, e) {
      if (!byTenant.has(e.tenantId))
        byTenant.set(e.tenantId, {
          id: `ins-${e.tenantId.slice(0, 8)}`,
          kind: 'quic-blocked',
          officeId: e.office?.id ?? 'none',
          status: 'active',
          severity: 'medium',
        });
    },
    async evaluateAll() {},
    async listInsights(_s, tenantId) {
      const i = byTenant.get(tenantId);
      return i ? [i] : [];
    },
    async getInsight(_s, tenantId, id) {
      const i = byTenant.get(tenantId);
      return i && i.id === id ? { insight: i, events: [] } : undefined;
    },
    async officeMetrics(_s, _t, officeId) {
      return { buckets: [{ start: 'x', officeId }], peers: null };
    },
  };
}

let f: Fixture;
let A: SeededTenant;
let B: SeededTenant;
const insights = fakeInsights();
const a = {
  reportId: '',
  discoveredId: '',
  apiTokenId: '',
  adminUserId: '',
  insightId: '',
  catalogVersionId: '',
  channelId: '',
  deliveryId: '',
  silenceId: '',
  enrollmentSecretId: '',
};

const inject = (opts: InjectOptions) => f.app.inject(opts);
const asB = (method: string, url: string, payload?: unknown, extra: Record<string, string> = {}) =>
  inject({
    method: method as 'GET',
    url,
    headers: { cookie: B.ownerCookie, ...extra },
    ...(payload === undefined
      ? {}
      : typeof payload === 'string'
        ? { payload }
        : { payload: payload as object }),
  });
const asA = (method: string, url: string) =>
  inject({ method: method as 'GET', url, headers: { cookie: A.ownerCookie } });

before(async () => {
  f = await startFixture({ notifyAllowPrivateTargets: true }, { insights });
  A = await seedTenant(f, 'Alpha');
  B = await seedTenant(f, 'Bravo');
  const r = sampleReport();
  const up = await inject({
    method: 'POST',
    url: '/api/v1/reports',
    headers: { authorization: `Bearer ${A.agentToken}` },
    payload: r,
  });
  assert.equal(up.statusCode, 202, up.body);
  a.reportId = r.reportId;
  a.discoveredId = ((await asA('GET', '/api/v1/discovered')).json() as { items: Array<{ id: string }> })
    .items[0]!.id;
  a.apiTokenId = ((await asA('GET', '/api/v1/api-tokens')).json() as { items: Array<{ id: string }> })
    .items[0]!.id;
  a.adminUserId = (
    (await asA('GET', '/api/v1/users')).json() as { items: Array<{ id: string; role: string }> }
  ).items.find((u) => u.role === 'admin')!.id;
  a.insightId = insights.byTenant.get(A.tenantId)!.id;
  // A's own endpoint catalog, notification channel and a delivery, for the notify/catalog routes.
  const doc = snapshotDoc();
  rawSet(doc, 184).notes = 'Alpha-only edit';
  const imported = await inject({
    method: 'POST',
    url: '/api/v1/catalog/versions',
    headers: { cookie: A.ownerCookie },
    payload: doc,
  });
  assert.equal(imported.statusCode, 201, imported.body);
  a.catalogVersionId = (imported.json() as { id: string }).id;
  const channel = await inject({
    method: 'POST',
    url: '/api/v1/notification-channels',
    headers: { cookie: A.ownerCookie },
    // A closed loopback port: deliveries fail and retry, and nothing leaves the machine.
    payload: { name: 'alpha hook', type: 'webhook', config: { url: 'http://127.0.0.1:9/alpha' } },
  });
  assert.equal(channel.statusCode, 201, channel.body);
  a.channelId = (channel.json() as { id: string }).id;
  const sent = await inject({
    method: 'POST',
    url: `/api/v1/notification-channels/${a.channelId}/test`,
    headers: { cookie: A.ownerCookie },
  });
  assert.equal(sent.statusCode, 202, sent.body);
  a.deliveryId = (sent.json() as { deliveryId: string }).deliveryId;
  // A's single sign-on (never contacted here: a closed loopback port).
  const sso = await inject({
    method: 'PUT',
    url: '/api/v1/settings/sso',
    headers: { cookie: A.ownerCookie },
    payload: {
      enabled: true,
      label: 'Alpha ID',
      slug: 'alpha',
      issuer: 'http://127.0.0.1:9/alpha',
      clientId: 'alpha-client',
      clientSecret: ALPHA_SSO_SECRET,
      allowedDomains: ['alpha.example'],
      roleClaim: 'roles',
      roleMap: {},
      defaultRole: 'viewer',
      passwordsEnabled: true,
    },
  });
  assert.equal(sso.statusCode, 200, sso.body);
  const hosts = await inject({
    method: 'PUT',
    url: '/api/v1/settings/agent-hosts',
    headers: { cookie: A.ownerCookie },
    payload: { allowed: ['*.alpha.example'] },
  });
  assert.equal(hosts.statusCode, 200, hosts.body);
  const silence = await inject({
    method: 'POST',
    url: '/api/v1/silences',
    headers: { cookie: A.ownerCookie },
    payload: {
      officeId: A.officeId,
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      reason: 'Alpha maintenance',
    },
  });
  assert.equal(silence.statusCode, 201, silence.body);
  a.silenceId = (silence.json() as { id: string }).id;
  const secret = await inject({
    method: 'POST',
    url: '/api/v1/enrollment-secrets',
    headers: { cookie: A.ownerCookie },
    payload: { name: 'alpha devices', officeId: A.officeId },
  });
  assert.equal(secret.statusCode, 201, secret.body);
  a.enrollmentSecretId = (secret.json() as { id: string }).id;
  // A's agent checks in once, so A has a fleet for B not to see.
  const checkin = await inject({
    method: 'GET',
    url: '/api/v1/agent/config',
    headers: {
      authorization: `Bearer ${A.agentToken}`,
      'x-netinsights-agent-version': '0.1.0',
      'x-netinsights-device-id': 'alpha-laptop',
    },
  });
  assert.equal(checkin.statusCode, 200);
});
const ALPHA_SSO_SECRET = 'alpha-sso-client-secret-0123456789';
after(() => f.close());

/** Everything of A that B must never see, as strings to search for in B's answers. */
const aSecrets = () => [
  A.tenantId,
  A.officeId,
  a.reportId,
  a.discoveredId,
  a.apiTokenId,
  a.adminUserId,
  A.ownerEmail,
  a.insightId,
  A.agentTokenId,
  a.catalogVersionId,
  a.channelId,
  a.deliveryId,
  a.silenceId,
  ALPHA_SSO_SECRET,
  a.enrollmentSecretId,
];

function assertNoLeak(body: string, except: string[] = []) {
  for (const s of aSecrets())
    if (!except.includes(s))
      assert.ok(!body.includes(s), `B's answer contains A's ${s}: ${body.slice(0, 300)}`);
}

/** A snapshot of A's data, through A's own credential, to prove nothing changed. */
async function snapshotA(): Promise<string> {
  const parts = await Promise.all(
    [
      '/api/v1/offices',
      '/api/v1/discovered',
      '/api/v1/reports',
      `/api/v1/reports/${a.reportId}`,
      '/api/v1/agent-tokens',
      '/api/v1/enrollment-secrets',
      '/api/v1/api-tokens',
      '/api/v1/users',
      '/api/v1/settings/insights',
      '/api/v1/settings/agents',
      '/api/v1/settings/remediation',
      '/api/v1/settings/agent-hosts',
      '/api/v1/settings/assessment',
      '/api/v1/insights',
      '/api/v1/catalog/versions',
      '/api/v1/notification-channels',
      `/api/v1/deliveries/${a.deliveryId}`,
      '/api/v1/settings/sso',
      '/api/v1/silences',
    ].map(async (u) => {
      const res = await asA('GET', u);
      // lastUsedAt changes when A's own tokens are used; it is not data B could alter.
      // lastUsedAt changes when A's own tokens are used, and the test delivery's retry state moves on
      // by itself; neither is data B could alter.
      return res.body
        .replace(/"lastUsedAt":"[^"]*"/g, '')
        .replace(
          /"(status|attempts|nextAttemptAt|lastError|attemptLog|updatedAt)":("[^"]*"|\d+|null|\[[^\]]*\])/g,
          '',
        );
    }),
  );
  return parts.join('\n');
}

type Case = () => Promise<void>;

const expect404 =
  (method: string, url: () => string, payload?: unknown): Case =>
  async () => {
    const res = await asB(method, url(), payload);
    assert.equal(res.statusCode, 404, `${method} ${url()}: ${res.body}`);
    assert.equal(res.json().error.code, 'NI_ERR_NOT_FOUND');
    // The id B itself sent may be echoed back; nothing else of A may appear.
    assertNoLeak(
      res.body,
      aSecrets().filter((x) => url().includes(x)),
    );
  };
const expectNoLeak =
  (url: () => string): Case =>
  async () => {
    const res = await asB('GET', url());
    assert.equal(res.statusCode, 200, res.body);
    assertNoLeak(res.body, url().includes('office=') ? [A.officeId] : []);
  };

const CASES: Record<string, Case> = {
  'POST /api/v1/auth/login': async () => {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: B.ownerEmail, password: B.password },
    });
    assert.equal(res.json().tenant.id, B.tenantId);
    assertNoLeak(res.body);
  },
  'POST /api/v1/auth/logout': async () => {
    // B signing out (with its own fresh session) does not end A's session.
    const login = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: B.adminEmail, password: B.password },
    });
    const cookie = `ni_session=${login.cookies.find((c) => c.name === 'ni_session')!.value}`;
    assert.equal(
      (await inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } })).statusCode,
      204,
    );
    assert.equal((await asA('GET', '/api/v1/auth/me')).statusCode, 200);
  },
  'GET /api/v1/auth/me': async () => {
    const res = await asB('GET', '/api/v1/auth/me');
    assert.equal(res.json().tenant.id, B.tenantId);
    assertNoLeak(res.body);
  },
  'GET /api/v1/overview': expectNoLeak(() => '/api/v1/overview'),
  'GET /api/v1/offices': expectNoLeak(() => '/api/v1/offices'),
  'POST /api/v1/offices': async () => {
    // The same LAN subnet as A's office: no conflict across tenants, and nothing of A in the answer.
    const a0 = (await asA('GET', `/api/v1/offices/${A.officeId}`)).json() as { lanSubnets: string[] };
    const res = await asB('POST', '/api/v1/offices', {
      name: 'B copy',
      city: 'Berlin',
      country: 'DE',
      latitude: 52.5,
      longitude: 13.4,
      lanSubnets: a0.lanSubnets,
      egressRanges: [],
    });
    assert.equal(res.statusCode, 201, res.body);
    assertNoLeak(res.body);
    const del = await asB('DELETE', `/api/v1/offices/${res.json().id}`);
    assert.equal(del.statusCode, 204);
  },
  'POST /api/v1/offices/import': async () => {
    const a0 = (await asA('GET', `/api/v1/offices/${A.officeId}`)).json() as { lanSubnets: string[] };
    const csv = `name,address,city,country,latitude,longitude,lan_subnets,egress_ranges\nB2,,Paris,FR,48.85,2.35,${a0.lanSubnets[0]!.replace('.0.0/16', '.0.0/17')},\n`;
    const res = await asB('POST', '/api/v1/offices/import', csv, { 'content-type': 'text/csv' });
    assert.equal(res.statusCode, 200, res.body);
    assertNoLeak(res.body);
  },
  'GET /api/v1/offices/:id': expect404('GET', () => `/api/v1/offices/${A.officeId}`),
  'PATCH /api/v1/offices/:id': expect404('PATCH', () => `/api/v1/offices/${A.officeId}`, { name: 'stolen' }),
  'DELETE /api/v1/offices/:id': expect404('DELETE', () => `/api/v1/offices/${A.officeId}`),
  'GET /api/v1/offices/:id/metrics': expect404('GET', () => `/api/v1/offices/${A.officeId}/metrics`),
  'GET /api/v1/discovered': expectNoLeak(() => '/api/v1/discovered'),
  'POST /api/v1/discovered/:id/adopt': expect404('POST', () => `/api/v1/discovered/${a.discoveredId}/adopt`, {
    name: 'adopted',
    city: 'X',
    country: 'DE',
    latitude: 1,
    longitude: 1,
    lanSubnets: [],
    egressRanges: [],
  }),
  'GET /api/v1/insights': expectNoLeak(() => '/api/v1/insights'),
  'GET /api/v1/insights/:id': expect404('GET', () => `/api/v1/insights/${a.insightId}`),
  'GET /api/v1/reports': async () => {
    await expectNoLeak(() => '/api/v1/reports')();
    const res = await asB('GET', `/api/v1/reports?office=${A.officeId}`);
    assert.deepEqual(res.json().items, []);
  },
  'GET /api/v1/reports/:id': expect404('GET', () => `/api/v1/reports/${a.reportId}`),
  'GET /api/v1/agent-tokens': expectNoLeak(() => '/api/v1/agent-tokens'),
  'POST /api/v1/agent-tokens': async () => {
    const res = await asB('POST', '/api/v1/agent-tokens', { name: 'steal', officeId: A.officeId });
    assert.equal(res.statusCode, 422, res.body);
  },
  'DELETE /api/v1/agent-tokens/:id': async () => {
    await expect404('DELETE', () => `/api/v1/agent-tokens/${A.agentTokenId}`)();
    const still = await inject({
      method: 'GET',
      url: '/api/v1/agent/config',
      headers: { authorization: `Bearer ${A.agentToken}` },
    });
    assert.equal(still.statusCode, 200, 'A’s agent token still works');
  },
  'GET /api/v1/agents': async () => {
    await expectNoLeak(() => '/api/v1/agents')();
    const res = await asB('GET', '/api/v1/agents');
    assert.ok(!res.body.includes('alpha-laptop'), 'B does not see A’s agents');
  },
  'GET /api/v1/enrollment-secrets': expectNoLeak(() => '/api/v1/enrollment-secrets'),
  'POST /api/v1/enrollment-secrets': async () => {
    const res = await asB('POST', '/api/v1/enrollment-secrets', { name: 'steal', officeId: A.officeId });
    assert.equal(res.statusCode, 422, res.body);
  },
  'DELETE /api/v1/enrollment-secrets/:id': expect404(
    'DELETE',
    () => `/api/v1/enrollment-secrets/${a.enrollmentSecretId}`,
  ),
  'POST /api/v1/agent/enroll': async () => {
    // The secret alone names the tenant: B's secret makes an agent token of B, never one of A.
    const mine = await asB('POST', '/api/v1/enrollment-secrets', { name: 'b devices' });
    assert.equal(mine.statusCode, 201, mine.body);
    const res = await inject({
      method: 'POST',
      url: '/api/v1/agent/enroll',
      payload: { secret: (mine.json() as { secret: string }).secret },
    });
    assert.equal(res.statusCode, 201, res.body);
    assertNoLeak(res.body);
    const tokenId = (res.json() as { tokenId: string }).tokenId;
    assert.ok((await asB('GET', '/api/v1/agent-tokens')).body.includes(tokenId));
  },
  'GET /api/v1/api-tokens': expectNoLeak(() => '/api/v1/api-tokens'),
  'POST /api/v1/api-tokens': async () => {
    const res = await asB('POST', '/api/v1/api-tokens', { name: 'b', scope: 'read' });
    assert.equal(res.statusCode, 201);
    const t = res.json().token as string;
    const read = await inject({
      method: 'GET',
      url: '/api/v1/offices',
      headers: { authorization: `Bearer ${t}` },
    });
    assertNoLeak(read.body);
  },
  'DELETE /api/v1/api-tokens/:id': expect404('DELETE', () => `/api/v1/api-tokens/${a.apiTokenId}`),
  'GET /api/v1/users': expectNoLeak(() => '/api/v1/users'),
  'POST /api/v1/users': async () => {
    const res = await asB('POST', '/api/v1/users', {
      email: 'new@bravo.example',
      password: 'a long enough password',
      role: 'admin',
    });
    assert.equal(res.statusCode, 201, res.body);
    assertNoLeak(res.body);
  },
  'DELETE /api/v1/users/:id': expect404('DELETE', () => `/api/v1/users/${a.adminUserId}`),
  'GET /api/v1/settings/insights': async () => {
    const res = await asB('GET', '/api/v1/settings/insights');
    assert.equal(res.json().windowHours, 24, 'B sees its own (default) settings, not A’s');
  },
  'PUT /api/v1/settings/insights': async () => {
    const res = await asB('PUT', '/api/v1/settings/insights', { windowHours: 6 });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await asA('GET', '/api/v1/settings/insights')).json().windowHours, 48);
  },
  'GET /api/v1/settings/remediation': async () => {
    const res = await asB('GET', '/api/v1/settings/remediation');
    assert.deepEqual(res.json(), { pacFallback: null }, 'B sees its own (unset) proxy, not A’s');
  },
  'PUT /api/v1/settings/remediation': async () => {
    const res = await asB('PUT', '/api/v1/settings/remediation', { pacFallback: 'PROXY b.example:8080' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual((await asA('GET', '/api/v1/settings/remediation')).json(), { pacFallback: null });
  },
  'GET /api/v1/settings/assessment': async () => {
    const res = await asB('GET', '/api/v1/settings/assessment');
    assert.deepEqual(
      res.json(),
      { windowDays: 3, retentionDays: 400 },
      'B sees its own (default) window, not A’s',
    );
  },
  'PUT /api/v1/settings/assessment': async () => {
    const res = await asB('PUT', '/api/v1/settings/assessment', { windowDays: 7 });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await asA('GET', '/api/v1/settings/assessment')).json().windowDays, 5);
  },
  'GET /api/v1/assessment': async () => {
    await expect404('GET', () => `/api/v1/assessment?office=${A.officeId}`)();
    await expectNoLeak(() => '/api/v1/assessment')();
  },
  'GET /api/v1/settings/agents': async () => {
    const res = await asB('GET', '/api/v1/settings/agents');
    assert.equal(res.json().intervalSeconds, 900, 'B sees its own (default) agent settings, not A’s');
  },
  'PUT /api/v1/settings/agents': async () => {
    const res = await asB('PUT', '/api/v1/settings/agents', {
      intervalSeconds: 120,
      wsHoldSeconds: null,
      profile: null,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await asA('GET', '/api/v1/settings/agents')).json().intervalSeconds, 1800);
  },
  'GET /api/v1/settings/agent-hosts': async () => {
    const res = await asB('GET', '/api/v1/settings/agent-hosts');
    assert.deepEqual(res.json(), { allowed: [] }, 'B sees its own (empty) list, not A’s');
  },
  'PUT /api/v1/settings/agent-hosts': async () => {
    const res = await asB('PUT', '/api/v1/settings/agent-hosts', { allowed: ['*.bravo.example'] });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual((await asA('GET', '/api/v1/settings/agent-hosts')).json(), {
      allowed: ['*.alpha.example'],
    });
  },
  'GET /api/v1/audit': expectNoLeak(() => '/api/v1/audit'),
  'POST /api/v1/reports': async () => {
    // B's agent re-uses A's report id and names A's office: stored for B only, not mapped to A's office.
    const r = sampleReport({ reportId: a.reportId, officeId: A.officeId });
    const res = await inject({
      method: 'POST',
      url: '/api/v1/reports',
      headers: { authorization: `Bearer ${B.agentToken}` },
      payload: r,
    });
    assert.equal(res.statusCode, 202);
    assert.equal(res.json().duplicate, false);
    assert.equal(res.json().officeId, null);
  },
  'GET /api/v1/agent/config': async () => {
    const res = await inject({
      method: 'GET',
      url: '/api/v1/agent/config',
      headers: { authorization: `Bearer ${B.agentToken}` },
    });
    assert.equal(res.statusCode, 200);
    assertNoLeak(res.body);
    assert.equal(res.json().intervalSeconds, 120, 'B’s agents get B’s schedule');
    assert.equal(res.json().wsHoldSeconds, res.json().profile.websocket.holdSeconds);
  },
  'GET /api/v1/agent/catalog': async () => {
    const res = await inject({
      method: 'GET',
      url: '/api/v1/agent/catalog',
      headers: { authorization: `Bearer ${B.agentToken}` },
    });
    assert.equal(res.statusCode, 200);
    assertNoLeak(res.body);
    // B imported nothing: its agents sweep the shipped snapshot, never A's edited version.
    assert.equal(res.json().source, 'snapshot');
    assert.ok(!res.body.includes('Alpha-only edit'));
    const mine = await inject({
      method: 'GET',
      url: '/api/v1/agent/catalog',
      headers: { authorization: `Bearer ${A.agentToken}` },
    });
    assert.equal(mine.json().version, a.catalogVersionId, 'A’s agents sweep A’s version in force');
  },
  'GET /api/v1/remediation/pac': expect404('GET', () => `/api/v1/remediation/pac?insight=${a.insightId}`),
  'GET /api/v1/remediation/bypass-list': expect404(
    'GET',
    () => `/api/v1/remediation/bypass-list?insight=${a.insightId}`,
  ),
  'GET /api/v1/remediation/firewall': expect404(
    'GET',
    () => `/api/v1/remediation/firewall?insight=${a.insightId}`,
  ),
  'GET /api/v1/catalog/versions': async () => {
    await expectNoLeak(() => '/api/v1/catalog/versions')();
    // B's artifacts come from B's catalog (the snapshot), not from A's import.
    const pac = await asB('GET', '/api/v1/remediation/pac?proxy=DIRECT');
    assert.equal(pac.statusCode, 200);
  },
  'POST /api/v1/catalog/versions': async () => {
    const doc = snapshotDoc();
    rawSet(doc, 184).category = 'Optimize';
    const res = await asB('POST', '/api/v1/catalog/versions', doc);
    assert.equal(res.statusCode, 201, res.body);
    assertNoLeak(res.body);
    const aVersions = (await asA('GET', '/api/v1/catalog/versions')).json() as { currentId: string };
    assert.equal(aVersions.currentId, a.catalogVersionId, 'A’s catalog in force is unchanged');
  },
  'GET /api/v1/catalog/diff': expect404(
    'GET',
    () => `/api/v1/catalog/diff?from=${a.catalogVersionId}&to=current`,
  ),
  'GET /api/v1/notification-channel-types': async () => {
    await expectNoLeak(() => '/api/v1/notification-channel-types')();
    const res = await asB('GET', '/api/v1/notification-channel-types');
    assert.deepEqual(
      (res.json() as { type: string }[]).map((t) => t.type),
      ['webhook', 'teams', 'slack', 'email'],
      'the same types for every tenant',
    );
  },
  'GET /api/v1/notification-channels': expectNoLeak(() => '/api/v1/notification-channels'),
  'POST /api/v1/notification-channels': async () => {
    const res = await asB('POST', '/api/v1/notification-channels', {
      name: 'bravo hook',
      type: 'webhook',
      config: { url: 'http://127.0.0.1:9/bravo' },
    });
    assert.equal(res.statusCode, 201, res.body);
    assertNoLeak(res.body);
  },
  'DELETE /api/v1/notification-channels/:id': expect404(
    'DELETE',
    () => `/api/v1/notification-channels/${a.channelId}`,
  ),
  'POST /api/v1/notification-channels/:id/test': expect404(
    'POST',
    () => `/api/v1/notification-channels/${a.channelId}/test`,
  ),
  'GET /api/v1/deliveries': async () => {
    await expectNoLeak(() => '/api/v1/deliveries')();
    const res = await asB('GET', `/api/v1/deliveries?channelId=${a.channelId}`);
    assert.deepEqual(res.json().items, []);
  },
  'GET /api/v1/deliveries/:id': expect404('GET', () => `/api/v1/deliveries/${a.deliveryId}`),
  'GET /api/v1/settings/sso': async () => {
    const res = await asB('GET', '/api/v1/settings/sso');
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, 'null', 'B has no single sign-on of its own');
  },
  'PUT /api/v1/settings/sso': async () => {
    const res = await asB('PUT', '/api/v1/settings/sso', {
      enabled: true,
      label: 'Stolen',
      slug: 'alpha',
      issuer: 'http://127.0.0.1:9/bravo',
      clientId: 'b',
      allowedDomains: ['alpha.example'],
      roleClaim: 'roles',
      roleMap: {},
      defaultRole: 'owner',
      passwordsEnabled: true,
    });
    assert.equal(res.statusCode, 409, 'A’s e-mail domain cannot be routed to B');
    assertNoLeak(res.body);
  },
  'DELETE /api/v1/settings/sso': expect404('DELETE', () => '/api/v1/settings/sso'),
  'GET /api/v1/auth/sso': async () => {
    const res = await inject({ method: 'GET', url: '/api/v1/auth/sso?email=someone@alpha.example' });
    assert.equal(res.json().label, 'Alpha ID', 'public by design: which provider a domain signs in with');
    assertNoLeak(res.body);
  },
  'GET /api/v1/auth/sso/start': async () => {
    const res = await asB('GET', '/api/v1/auth/sso/start?email=b@bravo.example');
    assert.equal(res.statusCode, 404);
    assertNoLeak(res.body);
  },
  'GET /api/v1/auth/sso/callback': async () => {
    const res = await asB('GET', '/api/v1/auth/sso/callback?code=x&state=y');
    assert.equal(res.statusCode, 401);
    assertNoLeak(res.body);
  },
  'GET /api/v1/silences': expectNoLeak(() => '/api/v1/silences'),
  'POST /api/v1/silences': async () => {
    const res = await asB('POST', '/api/v1/silences', {
      officeId: A.officeId,
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      reason: 'silence A',
    });
    assert.equal(res.statusCode, 422, 'B cannot silence A’s office');
    assertNoLeak(res.body, [A.officeId]);
  },
  'DELETE /api/v1/silences/:id': expect404('DELETE', () => `/api/v1/silences/${a.silenceId}`),
  'GET /api/v1/openapi.json': async () => {
    const res = await inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(res.statusCode, 200);
    assertNoLeak(res.body);
  },
};

const apiRoutes = () => f.app.routeCatalog.routes.filter((r) => r.url.startsWith('/api/'));

describe('every /api route', () => {
  test('has a cross-tenant case (add one to CASES for a new route)', () => {
    const missing = apiRoutes()
      .map((r) => `${r.method} ${r.url}`)
      .filter((k) => !(k in CASES));
    assert.deepEqual(missing, []);
    const stale = Object.keys(CASES).filter((k) => !apiRoutes().some((r) => `${r.method} ${r.url}` === k));
    assert.deepEqual(stale, [], 'cases for routes that no longer exist');
  });

  test('tenant B can neither read nor change tenant A’s data on any route', async () => {
    // A gives itself distinct settings first, so "unchanged" is meaningful.
    assert.equal(
      (
        await inject({
          method: 'PUT',
          url: '/api/v1/settings/insights',
          headers: { cookie: A.ownerCookie },
          payload: { windowHours: 48 },
        })
      ).statusCode,
      200,
    );
    assert.equal(
      (
        await inject({
          method: 'PUT',
          url: '/api/v1/settings/agents',
          headers: { cookie: A.ownerCookie },
          payload: { intervalSeconds: 1800, wsHoldSeconds: 30, profile: null },
        })
      ).statusCode,
      200,
    );
    assert.equal(
      (
        await inject({
          method: 'PUT',
          url: '/api/v1/settings/assessment',
          headers: { cookie: A.ownerCookie },
          payload: { windowDays: 5 },
        })
      ).statusCode,
      200,
    );
    const before = await snapshotA();
    for (const r of apiRoutes()) {
      await test(`${r.method} ${r.url}`, CASES[`${r.method} ${r.url}`]!);
    }
    assert.equal(await snapshotA(), before);
  });

  test('has a route × caller declaration (add one to WHO_MAY for a new route)', () => {
    const keys = apiRoutes().map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(
      keys.filter((k) => !(k in WHO_MAY)),
      [],
    );
    assert.deepEqual(
      Object.keys(WHO_MAY).filter((k) => !keys.includes(k)),
      [],
      'declarations for routes that no longer exist',
    );
  });

  test('every route × every caller gets exactly the declared allow or deny', async () => {
    const headers = callerHeaders();
    for (const r of apiRoutes()) {
      const label = `${r.method} ${r.url}`;
      const allowed = new Set<Caller>(WHO_MAY[label] ?? []);
      // An id no tenant has: an allowed caller gets past authentication to a 400/404/422,
      // and nothing of A is changed by the probe itself.
      const url = r.url.replace(/:id\b/g, 'no-such-id');
      for (const caller of CALLERS) {
        const h = { ...headers[caller] };
        // Signing out ends the session it is sent with: use a fresh one.
        if (label === 'POST /api/v1/auth/logout' && h.cookie) h.cookie = await freshSession(caller);
        const res = await inject({
          method: r.method as 'GET',
          url,
          headers: h,
          ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { payload: {} }),
        });
        // A 401 of the route's own (e.g. a sign-in that fails) is not the access rule refusing.
        const denied =
          res.statusCode === 403 ||
          (res.statusCode === 401 &&
            /^(sign in, or send an API token|send an agent token)/.test(res.json().error.message));
        if (allowed.has(caller))
          assert.ok(!denied, `${label} as ${caller} must be allowed: ${res.statusCode} ${res.body}`);
        else {
          assert.ok(denied, `${label} as ${caller} must be refused: ${res.statusCode} ${res.body}`);
          assert.equal(res.statusCode, caller === 'none' ? 401 : 403, `${label} as ${caller}`);
        }
      }
    }
  });

  test('a viewer can sign in, read everything it lists and sign out, and the refusal says why', async () => {
    const res = await inject({
      method: 'PUT',
      url: '/api/v1/settings/insights',
      headers: { cookie: A.viewerCookie },
      payload: { windowHours: 6 },
    });
    assert.equal(res.statusCode, 403);
    assert.match(res.json().error.message, /viewer may read but not change/);
    const me = await inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: A.viewerCookie } });
    assert.equal(me.json().user.role, 'viewer');
  });
});

/** Every kind of caller a request can come from. */
const CALLERS = ['none', 'agent', 'read-token', 'write-token', 'viewer', 'admin', 'owner'] as const;
type Caller = (typeof CALLERS)[number];

const ANYONE: readonly Caller[] = CALLERS;
const READERS: readonly Caller[] = ['read-token', 'write-token', 'viewer', 'admin', 'owner'];
const WRITERS: readonly Caller[] = ['write-token', 'admin', 'owner'];
const OWNERS: readonly Caller[] = ['owner'];
const AGENTS: readonly Caller[] = ['agent'];

/**
 * Who may call each route, declared here rather than read from the route, so a
 * route whose access rule changes — or a new route — must be declared on purpose.
 */
const WHO_MAY: Record<string, readonly Caller[]> = {
  'POST /api/v1/auth/login': ANYONE,
  'POST /api/v1/auth/logout': ANYONE,
  'GET /api/v1/auth/me': READERS,
  'GET /api/v1/offices': READERS,
  'POST /api/v1/offices': WRITERS,
  'POST /api/v1/offices/import': WRITERS,
  'GET /api/v1/offices/:id': READERS,
  'PATCH /api/v1/offices/:id': WRITERS,
  'DELETE /api/v1/offices/:id': WRITERS,
  'GET /api/v1/offices/:id/metrics': READERS,
  'GET /api/v1/discovered': READERS,
  'POST /api/v1/discovered/:id/adopt': WRITERS,
  'GET /api/v1/reports': READERS,
  'GET /api/v1/reports/:id': READERS,
  'GET /api/v1/agent-tokens': READERS,
  'POST /api/v1/agent-tokens': WRITERS,
  'DELETE /api/v1/agent-tokens/:id': WRITERS,
  'GET /api/v1/api-tokens': READERS,
  'POST /api/v1/api-tokens': WRITERS,
  'DELETE /api/v1/api-tokens/:id': WRITERS,
  'GET /api/v1/users': READERS,
  'POST /api/v1/users': OWNERS,
  'DELETE /api/v1/users/:id': OWNERS,
  'GET /api/v1/settings/insights': READERS,
  'PUT /api/v1/settings/insights': WRITERS,
  'GET /api/v1/settings/agents': READERS,
  'PUT /api/v1/settings/agents': WRITERS,
  'GET /api/v1/settings/remediation': READERS,
  'PUT /api/v1/settings/remediation': WRITERS,
  'GET /api/v1/settings/agent-hosts': READERS,
  'PUT /api/v1/settings/agent-hosts': OWNERS,
  'GET /api/v1/settings/assessment': READERS,
  'PUT /api/v1/settings/assessment': WRITERS,
  'GET /api/v1/assessment': READERS,
  'GET /api/v1/agent/config': AGENTS,
  'GET /api/v1/agent/catalog': AGENTS,
  'POST /api/v1/agent/enroll': ANYONE,
  'GET /api/v1/agents': READERS,
  'GET /api/v1/enrollment-secrets': READERS,
  'POST /api/v1/enrollment-secrets': WRITERS,
  'DELETE /api/v1/enrollment-secrets/:id': WRITERS,
  'GET /api/v1/audit': READERS,
  'GET /api/v1/insights': READERS,
  'GET /api/v1/insights/:id': READERS,
  'GET /api/v1/overview': READERS,
  'GET /api/v1/remediation/pac': READERS,
  'GET /api/v1/remediation/bypass-list': READERS,
  'GET /api/v1/remediation/firewall': READERS,
  'GET /api/v1/catalog/versions': READERS,
  'POST /api/v1/catalog/versions': WRITERS,
  'GET /api/v1/catalog/diff': READERS,
  'GET /api/v1/notification-channel-types': READERS,
  'GET /api/v1/notification-channels': READERS,
  'POST /api/v1/notification-channels': WRITERS,
  'DELETE /api/v1/notification-channels/:id': WRITERS,
  'POST /api/v1/notification-channels/:id/test': WRITERS,
  'GET /api/v1/deliveries': READERS,
  'GET /api/v1/deliveries/:id': READERS,
  'GET /api/v1/settings/sso': READERS,
  'PUT /api/v1/settings/sso': OWNERS,
  'DELETE /api/v1/settings/sso': OWNERS,
  'GET /api/v1/auth/sso': ANYONE,
  'GET /api/v1/auth/sso/start': ANYONE,
  'GET /api/v1/auth/sso/callback': ANYONE,
  'GET /api/v1/silences': READERS,
  'POST /api/v1/silences': WRITERS,
  'DELETE /api/v1/silences/:id': WRITERS,
  'GET /api/v1/openapi.json': ANYONE,
  'POST /api/v1/reports': AGENTS,
};

function callerHeaders(): Record<Caller, Record<string, string>> {
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  return {
    none: {},
    agent: bearer(A.agentToken),
    'read-token': bearer(A.readToken),
    'write-token': bearer(A.writeToken),
    viewer: { cookie: A.viewerCookie },
    admin: { cookie: A.adminCookie },
    owner: { cookie: A.ownerCookie },
  };
}

async function freshSession(caller: Caller): Promise<string> {
  const email = { viewer: A.viewerEmail, admin: A.adminEmail, owner: A.ownerEmail }[caller as 'owner'];
  const res = await inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: A.password },
  });
  return `ni_session=${res.cookies.find((c) => c.name === 'ni_session')!.value}`;
}
