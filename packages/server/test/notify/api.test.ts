import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type InsightsHook, noopInsights } from '../../src/insights-hook.ts';
import { rawSet, snapshotDoc } from '../catalog/fixtures.ts';
import { compilePac } from '../catalog/pac-engine.ts';
import { type Fixture, seedTenant, startFixture } from '../helpers/server-fixture.ts';
import { receiver, until } from './helpers.ts';

/** An insight source with one insight naming two affected hosts (the seam the engine fills). */
const insights: InsightsHook = {
  ...noopInsights,
  async getInsight(_store, _tenantId, id) {
    if (id !== 'ins-cdf') return undefined;
    return {
      insight: {
        id,
        kind: 'critical-domain-https-failure',
        officeId: 'o1',
        status: 'active',
        severity: 'high',
        evidence: {
          affectedHosts: [
            { host: 'm365.cloud.microsoft', attempts: 40, failures: 30 },
            { host: 'res.public.onecdn.static.microsoft', attempts: 40, failures: 12 },
          ],
          affectedDomains: ['*.cloud.microsoft', '*.static.microsoft'],
        },
      },
      events: [],
    };
  },
};

const METRICS_TOKEN = 'metrics-token-0123456789abcdef0123456789';

async function fixture(t: import('node:test').TestContext, allowPrivateTargets: boolean): Promise<Fixture> {
  const f = await startFixture(
    {},
    {
      insights,
      notifications: {
        allowPrivateTargets,
        publicUrl: 'https://netinsights.corp.example',
        worker: { pollMs: 200 },
        metricsToken: METRICS_TOKEN,
      },
    },
  );
  t.after(() => f.close());
  return f;
}

test('API: a webhook URL aimed at a private address is refused with a clear message', async (t) => {
  const f = await fixture(t, false);
  const a = await seedTenant(f, 'Contoso');
  const res = await f.app.inject({
    method: 'POST',
    url: '/api/v1/notification-channels',
    headers: { authorization: `Bearer ${a.writeToken}` },
    payload: { name: 'ops', type: 'webhook', config: { url: 'https://192.168.10.5/hook' } },
  });
  assert.equal(res.statusCode, 422);
  const err = (res.json() as { error: { code: string; message: string } }).error;
  assert.equal(err.code, 'NI_ERR_TARGET_FORBIDDEN');
  assert.match(err.message, /points at 192\.168\.10\.5, a private address \(RFC 1918/);
  assert.match(err.message, /--notify-allow-private-targets/);
  const smtp = await f.app.inject({
    method: 'POST',
    url: '/api/v1/notification-channels',
    headers: { authorization: `Bearer ${a.writeToken}` },
    payload: {
      name: 'mail',
      type: 'email',
      config: { host: '127.0.0.1', from: 'n@corp.example', to: ['ops@corp.example'] },
    },
  });
  assert.equal(smtp.statusCode, 422);
  assert.match(smtp.body, /SMTP host 127\.0\.0\.1 points at 127\.0\.0\.1, a loopback address/);
  const list = await f.app.inject({
    url: '/api/v1/notification-channels',
    headers: { authorization: `Bearer ${a.readToken}` },
  });
  assert.deepEqual(list.json(), []);
});

test('API: channels are per tenant, secrets are shown once, a test is delivered and visible in deliveries', async (t) => {
  const f = await fixture(t, true);
  const a = await seedTenant(f, 'Contoso');
  const b = await seedTenant(f, 'Fabrikam');
  const auth = (tok: string) => ({ authorization: `Bearer ${tok}` });

  const created = await f.app.inject({
    method: 'POST',
    url: '/api/v1/notification-channels',
    headers: auth(a.writeToken),
    payload: { name: 'ops hook', type: 'webhook', config: { url: 'http://127.0.0.1:1/x' } },
  });
  assert.equal(created.statusCode, 201, created.body);
  const { id: firstId, secret } = created.json() as { id: string; secret: string };
  assert.ok(secret.length >= 40);
  const rx = await receiver(t, { secret });
  // Re-create pointing at the receiver, with the generated secret kept by the admin.
  const real = await f.app.inject({
    method: 'POST',
    url: '/api/v1/notification-channels',
    headers: auth(a.writeToken),
    payload: {
      name: 'receiver',
      type: 'webhook',
      config: { url: `${rx.url}/in`, secret },
      filters: { eventTypes: ['opened'] },
    },
  });
  const channelId = (real.json() as { id: string }).id;

  const listA = await f.app.inject({ url: '/api/v1/notification-channels', headers: auth(a.readToken) });
  assert.equal((listA.json() as unknown[]).length, 2);
  assert.equal(listA.body.includes(secret), false, 'secret never listed');
  const listB = await f.app.inject({ url: '/api/v1/notification-channels', headers: auth(b.readToken) });
  assert.deepEqual(listB.json(), []);
  assert.equal(
    (
      await f.app.inject({
        method: 'DELETE',
        url: `/api/v1/notification-channels/${firstId}`,
        headers: auth(b.writeToken),
      })
    ).statusCode,
    404,
  );
  assert.equal(
    (
      await f.app.inject({
        method: 'POST',
        url: `/api/v1/notification-channels/${channelId}/test`,
        headers: auth(b.writeToken),
      })
    ).statusCode,
    404,
  );
  const readOnly = await f.app.inject({
    method: 'POST',
    url: `/api/v1/notification-channels/${channelId}/test`,
    headers: auth(a.readToken),
  });
  assert.equal(readOnly.statusCode, 403);

  const queued = await f.app.inject({
    method: 'POST',
    url: `/api/v1/notification-channels/${channelId}/test`,
    headers: auth(a.writeToken),
  });
  assert.equal(queued.statusCode, 202);
  const { deliveryId } = queued.json() as { deliveryId: string };
  await until(
    async () => undefined,
    () => rx.accepted().length > 0,
    400,
    25,
  );
  assert.deepEqual(rx.accepted(), [deliveryId]);
  assert.deepEqual(rx.got[0]!.verified, { ok: true });

  let view: { status: string; attemptLog: { ok: boolean; statusCode: number }[] } | undefined;
  await until(
    async () => {
      view = (
        await f.app.inject({ url: `/api/v1/deliveries/${deliveryId}`, headers: auth(a.readToken) })
      ).json();
    },
    () => view?.status === 'delivered',
    100,
    25,
  );
  assert.equal(view?.status, 'delivered');
  assert.deepEqual(
    view?.attemptLog.map((x) => [x.ok, x.statusCode]),
    [[true, 200]],
  );
  const pageA = await f.app.inject({
    url: `/api/v1/deliveries?channelId=${channelId}`,
    headers: auth(a.readToken),
  });
  assert.equal((pageA.json() as { items: unknown[] }).items.length, 1);
  const pageB = await f.app.inject({ url: '/api/v1/deliveries', headers: auth(b.readToken) });
  assert.deepEqual((pageB.json() as { items: unknown[] }).items, []);
  assert.equal(
    (await f.app.inject({ url: `/api/v1/deliveries/${deliveryId}`, headers: auth(b.readToken) })).statusCode,
    404,
  );

  const del = await f.app.inject({
    method: 'DELETE',
    url: `/api/v1/notification-channels/${firstId}`,
    headers: auth(a.writeToken),
  });
  assert.equal(del.statusCode, 204);
});

test('API: remediation artifacts for the whole catalog and for the hosts of an insight', async (t) => {
  const f = await fixture(t, false);
  const a = await seedTenant(f, 'Contoso');
  const get = (url: string) => f.app.inject({ url, headers: { authorization: `Bearer ${a.readToken}` } });

  const pac2 = await get('/api/v1/remediation/pac?type=2&proxy=PROXY%20proxy.contoso.example:8080');
  assert.equal(pac2.statusCode, 200);
  assert.match(pac2.headers['content-type'] as string, /application\/x-ns-proxy-autoconfig/);
  const find2 = await compilePac(pac2.body);
  assert.equal(await find2('teams.cloud.microsoft'), 'DIRECT');
  assert.equal(await find2('m365.cloud.microsoft'), 'PROXY proxy.contoso.example:8080');

  // Behaviour change (issue 16): no placeholder proxy. Until the organisation sets its proxy, the PAC route says so.
  const unset = await get('/api/v1/remediation/pac?insight=ins-cdf');
  assert.equal(unset.statusCode, 409);
  assert.equal(unset.json().error.code, 'NI_ERR_SETTING_MISSING');
  assert.match(unset.json().error.message, /settings\/remediation/);
  const badSetting = await f.app.inject({
    method: 'PUT',
    url: '/api/v1/settings/remediation',
    headers: { authorization: `Bearer ${a.writeToken}` },
    payload: { pacFallback: 'proxy.contoso.example' },
  });
  assert.equal(badSetting.statusCode, 422);
  assert.match(badSetting.body, /pacFallback/);
  const set = await f.app.inject({
    method: 'PUT',
    url: '/api/v1/settings/remediation',
    headers: { authorization: `Bearer ${a.writeToken}` },
    payload: { pacFallback: 'PROXY proxy.contoso.example:8080; DIRECT' },
  });
  assert.equal(set.statusCode, 200, set.body);
  assert.deepEqual((await get('/api/v1/settings/remediation')).json(), {
    pacFallback: 'PROXY proxy.contoso.example:8080; DIRECT',
  });
  const forInsight = await compilePac((await get('/api/v1/remediation/pac?insight=ins-cdf')).body);
  assert.equal(await forInsight('m365.cloud.microsoft'), 'DIRECT');
  assert.equal(await forInsight('tscdn.m365.static.microsoft'), 'DIRECT');
  assert.equal(await forInsight('outlook.office365.com'), 'PROXY proxy.contoso.example:8080; DIRECT');

  const bypass = await get('/api/v1/remediation/bypass-list?insight=ins-cdf&format=json');
  assert.deepEqual(
    (bypass.json() as { entries: { pattern: string }[] }).entries.map((e) => e.pattern),
    ['*.cloud.microsoft', '*.static.microsoft'],
  );
  const fw = await get('/api/v1/remediation/firewall?insight=ins-cdf&format=json');
  const rules = (fw.json() as { rules: { destination: string; protocol: string; ports: string }[] }).rules;
  assert.deepEqual(rules.map((r) => `${r.destination} ${r.protocol} ${r.ports}`).sort(), [
    '*.cloud.microsoft tcp 443',
    '*.cloud.microsoft udp 443',
    '*.static.microsoft tcp 443',
    '*.static.microsoft udp 443',
  ]);
  const csv = await get('/api/v1/remediation/firewall');
  assert.match(csv.headers['content-type'] as string, /text\/csv/);
  assert.equal((await get('/api/v1/remediation/pac?insight=nope')).statusCode, 404);
  assert.equal((await get('/api/v1/remediation/bypass-list?category=Optimise')).statusCode, 400);
  assert.equal((await get('/api/v1/remediation/pac?type=3')).statusCode, 422);
  assert.equal((await f.app.inject({ url: '/api/v1/remediation/pac' })).statusCode, 401);
});

test('API: a malformed catalog import is refused with the index and field; the catalog in force stays', async (t) => {
  const f = await fixture(t, false);
  const a = await seedTenant(f, 'Contoso');
  const b = await seedTenant(f, 'Fabrikam');
  const headers = { authorization: `Bearer ${a.writeToken}` };
  const before = (await f.app.inject({ url: '/api/v1/catalog/versions', headers })).json() as {
    currentId: string;
  };

  const bad = snapshotDoc();
  bad[3]!.category = 'Fast';
  const refused = await f.app.inject({
    method: 'POST',
    url: '/api/v1/catalog/versions',
    headers,
    payload: bad,
  });
  assert.equal(refused.statusCode, 422);
  assert.match(refused.body, /\/3\/category: must be one of Optimize, Allow, Default, got \\"Fast\\"/);
  const still = (await f.app.inject({ url: '/api/v1/catalog/versions', headers })).json() as {
    currentId: string;
    versions: unknown[];
  };
  assert.equal(still.currentId, before.currentId);
  assert.deepEqual(still.versions, []);

  const newer = snapshotDoc();
  rawSet(newer, 184).category = 'Allow';
  const ok = await f.app.inject({ method: 'POST', url: '/api/v1/catalog/versions', headers, payload: newer });
  assert.equal(ok.statusCode, 201, ok.body);
  const imported = ok.json() as { id: string; diff: { changedSets: { id: number; category: unknown }[] } };
  assert.deepEqual(imported.diff.changedSets, [
    { id: 184, serviceArea: 'Common', category: { from: 'Default', to: 'Allow' } },
  ]);
  // Now type 2 sends *.cloud.microsoft direct for this tenant only.
  const pacA = await compilePac(
    (await f.app.inject({ url: '/api/v1/remediation/pac?type=2&proxy=PROXY%20proxy:8080', headers })).body,
  );
  assert.equal(await pacA('m365.cloud.microsoft'), 'DIRECT');
  const pacB = await compilePac(
    (
      await f.app.inject({
        url: '/api/v1/remediation/pac?type=2&proxy=PROXY%20proxy:8080',
        headers: { authorization: `Bearer ${b.readToken}` },
      })
    ).body,
  );
  assert.equal(await pacB('m365.cloud.microsoft'), 'PROXY proxy:8080');
  const diff = await f.app.inject({ url: `/api/v1/catalog/diff?from=snapshot&to=${imported.id}`, headers });
  assert.equal((diff.json() as { changedSets: unknown[] }).changedSets.length, 1);
});

test('GET /metrics needs its token and reports active insights, the outbox queue and delivery attempts', async (t) => {
  const f = await fixture(t, true);
  const a = await seedTenant(f, 'Contoso');
  const now = Date.now();
  await f.store.insights.save({
    id: 'ins-m',
    tenantId: a.tenantId,
    officeKey: a.officeId,
    windowHours: 24,
    kind: 'tls-interception',
    status: 'active',
    severity: 'medium',
    value: 0.42,
    threshold: 0.3,
    evidence: {
      samples: 50,
      devices: 3,
      share: 0.42,
      affectedHosts: [],
      affectedDomains: [],
      failureClasses: [],
      exampleReportIds: [],
      vendor: 'Zscaler',
    },
    firstDetectedAt: now,
    lastSeenAt: now,
    resolvedAt: null,
    updatedAt: now,
    fingerprint: '[]',
  });
  const rx = await receiver(t, { failFirst: 1 });
  const ch = await f.app.inject({
    method: 'POST',
    url: '/api/v1/notification-channels',
    headers: { authorization: `Bearer ${a.writeToken}` },
    payload: { name: 'slack', type: 'slack', config: { url: rx.url } },
  });
  const channelId = (ch.json() as { id: string }).id;
  await f.app.inject({
    method: 'POST',
    url: `/api/v1/notification-channels/${channelId}/test`,
    headers: { authorization: `Bearer ${a.writeToken}` },
  });
  await until(
    async () => undefined,
    () => rx.got.length >= 1,
    400,
    25,
  );

  const upload = await f.app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    headers: { authorization: `Bearer ${a.agentToken}`, 'content-type': 'application/json' },
    payload: '{"not": "a report"}',
  });
  assert.equal(upload.statusCode, 422);

  assert.equal((await f.app.inject({ url: '/metrics' })).statusCode, 401);
  assert.equal(
    (await f.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${a.readToken}` } })).statusCode,
    401,
  );
  const res = await f.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /^text\/plain; version=0\.0\.4/);
  const lines = res.body.split('\n');
  const active = lines.find((l) => l.startsWith('netinsights_insight_active{'));
  assert.equal(
    active,
    `netinsights_insight_active{tenant="Contoso",tenant_id="${a.tenantId}",office="Contoso HQ",office_id="${a.officeId}",kind="tls-interception",severity="medium"} 1`,
  );
  assert.ok(lines.some((l) => l.startsWith('netinsights_insight_value{') && l.endsWith(' 0.42')));
  assert.ok(lines.includes('# TYPE netinsights_outbox_deliveries gauge'));
  assert.ok(
    lines.includes('netinsights_ingest_reports_total{outcome="4xx"} 1'),
    'the refused upload is counted',
  );
  assert.ok(lines.includes('netinsights_ingest_duration_seconds_count 1'));
  assert.ok(
    lines.some((l) =>
      /^netinsights_delivery_attempts_total\{channel_type="slack",result="retry"\} 1$/.test(l),
    ),
    res.body,
  );
  assert.ok(
    lines.some((l) => /^netinsights_outbox_deliveries\{status="pending"\} 1$/.test(l)),
    'the failed test waits for its retry',
  );
});
