/**
 * Adopting a discovered location through the API keeps what was learned
 * about it: the insight raised while it was unmapped carries over to the new
 * office (the adopt route hands the history to the insight engine).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createInsightsHook } from '../../src/insights/index.ts';
import { sampleReport } from '../helpers/sample-report.ts';
import { type Fixture, type SeededTenant, seedTenant, startFixture } from '../helpers/server-fixture.ts';

const insights = createInsightsHook();
let f: Fixture;
let t: SeededTenant;

before(async () => {
  f = await startFixture({ trustedProxies: ['127.0.0.1'] }, { insights });
  t = await seedTenant(f, 'Adopters');
});
after(() => f.close());

type Insight = { officeId: string; kind: string; status: string; evidence: { samples: number } };

async function insightsOf(officeId: string): Promise<Insight[]> {
  await insights.evaluateAll(f.store, new Date());
  const res = await f.app.inject({
    url: `/api/v1/insights?office=${encodeURIComponent(officeId)}`,
    headers: { cookie: t.ownerCookie },
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().items as Insight[];
}

test('an insight raised at a discovered location carries over to the office it is adopted as', async () => {
  // 24 reports from two devices behind an unmapped egress, every critical HTTPS check refused by a proxy.
  for (let i = 0; i < 24; i++) {
    const res = await f.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      headers: { authorization: `Bearer ${t.agentToken}`, 'x-forwarded-for': `198.51.100.${10 + (i % 2)}` },
      payload: sampleReport({ deviceId: `dev-${i % 2}`, failShare: 1 }),
    });
    assert.equal(res.statusCode, 202, res.body);
    assert.equal(res.json().officeId, null);
  }
  const discovered = (
    await f.app.inject({ url: '/api/v1/discovered', headers: { cookie: t.ownerCookie } })
  ).json().items as Array<{ id: string; egressPrefix: string }>;
  const location = discovered.find((d) => d.egressPrefix === '198.51.100.0/24')!;
  const before = await insightsOf(`discovered:${location.id}`);
  assert.deepEqual(
    before.map((i) => [i.kind, i.status]),
    [['critical-domain-https-failure', 'active']],
  );

  const adopt = await f.app.inject({
    method: 'POST',
    url: `/api/v1/discovered/${location.id}/adopt`,
    headers: { cookie: t.ownerCookie },
    payload: {
      name: 'Found office',
      city: 'Lyon',
      country: 'FR',
      latitude: 45.76,
      longitude: 4.84,
      lanSubnets: [],
      egressRanges: ['198.51.100.0/24'],
    },
  });
  assert.equal(adopt.statusCode, 201, adopt.body);
  const office = await insightsOf(adopt.json().id);
  assert.deepEqual(
    office.map((i) => [i.kind, i.status, i.evidence.samples]),
    [['critical-domain-https-failure', 'active', before[0]!.evidence.samples]],
  );
});
