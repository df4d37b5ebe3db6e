/**
 * The whole chain with real parts: probe reports are uploaded to the
 * collector with an agent token, the insight engine opens an insight, the
 * event pump and outbox deliver it to a signed-webhook receiver, and the
 * link in the message fetches a PAC file that sends the failing hosts direct
 * (checked with the probe's PAC engine).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ok } from '@netinsights/protocol';
import { defaultConfig } from '../../src/config/server-config.ts';
import { buildServer } from '../../src/server.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { compilePac } from '../catalog/pac-engine.ts';
import { seedTenant } from '../helpers/server-fixture.ts';
import { criticalRound, failure } from '../insights/helpers/reports.ts';
import { receiver, until } from './helpers.ts';

test('reports → insight → webhook message → PAC file that fixes it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ni-e2e-notify-'));
  const store = await openSqliteStore({ file: join(dir, 'e2e.db') });
  await store.migrate();
  // The real insight engine is loaded because no `insights` dependency is given.
  const app = await buildServer(defaultConfig({ db: join(dir, 'e2e.db'), groupCommitMs: 1 }), {
    store,
    logger: false,
    notifications: {
      allowPrivateTargets: true,
      publicUrl: 'https://netinsights.corp.example',
      worker: { pollMs: 100 },
    },
  });
  await app.ready();
  t.after(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const tenant = await seedTenant({ app, store, dir, close: async () => {} }, 'Contoso');
  const secret = 'e2e-receiver-secret-0123456789';
  const rx = await receiver(t, { secret });
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/notification-channels',
    headers: { authorization: `Bearer ${tenant.writeToken}` },
    payload: { name: 'noc', type: 'webhook', config: { url: `${rx.url}/noc`, secret } },
  });
  assert.equal(created.statusCode, 201, created.body);

  // 3 devices × 10 rounds: teams.cloud.microsoft and m365.cloud.microsoft refused by a proxy (403).
  for (let i = 0; i < 30; i++) {
    const r = criticalRound(`device-${i % 3}`, (h) =>
      h === 'teams.cloud.microsoft' || h === 'm365.cloud.microsoft' ? failure('proxy', 'forbidden') : ok(),
    );
    r.environment.officeId = tenant.officeId;
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      headers: { authorization: `Bearer ${tenant.agentToken}`, 'content-type': 'application/json' },
      payload: JSON.stringify(r),
    });
    assert.equal(res.statusCode, 202, res.body);
  }
  await until(
    () => app.netinsights.insights.evaluateAll(store, new Date()),
    () => rx.accepted().length > 0,
    200,
    50,
  );
  assert.equal(rx.accepted().length, 1);
  assert.deepEqual(rx.got[0]!.verified, { ok: true });
  const body = JSON.parse(rx.got[0]!.body) as {
    events: {
      type: string;
      insight: { kind: string; officeId: string; title: string; links: { href: string }[] };
    }[];
  };
  const ev = body.events[0]!;
  assert.equal(ev.type, 'opened');
  assert.equal(ev.insight.kind, 'critical-domain-https-failure');
  assert.equal(ev.insight.officeId, tenant.officeId);
  const pacLink = ev.insight.links.find((l) => l.href.includes('/api/v1/remediation/pac?insight='));
  assert.ok(pacLink, JSON.stringify(ev.insight.links));
  const path = new URL(pacLink.href).pathname + new URL(pacLink.href).search;
  assert.ok(pacLink.href.startsWith('https://netinsights.corp.example/'));

  // The organisation's proxy, set once, is where the PAC file sends everything else.
  const setting = await app.inject({
    method: 'PUT',
    url: '/api/v1/settings/remediation',
    headers: { authorization: `Bearer ${tenant.writeToken}` },
    payload: { pacFallback: 'PROXY proxy.corp.example:3128' },
  });
  assert.equal(setting.statusCode, 200, setting.body);
  const pac = await app.inject({ url: path, headers: { authorization: `Bearer ${tenant.readToken}` } });
  assert.equal(pac.statusCode, 200, pac.body);
  const find = await compilePac(pac.body);
  assert.equal(await find('teams.cloud.microsoft'), 'DIRECT');
  assert.equal(await find('m365.cloud.microsoft'), 'DIRECT');
  assert.equal(await find('example.org'), 'PROXY proxy.corp.example:3128');
});
