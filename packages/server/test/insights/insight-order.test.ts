/**
 * GET /api/v1/insights lists insights as an admin triages them: active
 * before resolved, the most severe first, then the most recent. The store
 * returned them by last update, so a refreshed Low sat above a High.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { InsightKind } from '@netinsights/protocol';
import { createInsightsHook } from '../../src/insights/index.ts';
import type { Severity } from '../../src/insights/kinds.ts';
import { type Fixture, type SeededTenant, seedTenant, startFixture } from '../helpers/server-fixture.ts';

let f: Fixture;
let T: SeededTenant;
const now = Date.parse('2026-11-25T12:00:00.000Z');
const minutes = (m: number) => now - m * 60_000;

async function save(
  id: string,
  kind: InsightKind,
  severity: Severity,
  lastSeenMinutesAgo: number,
  resolvedMinutesAgo: number | null = null,
) {
  await f.store.insights.save({
    id,
    tenantId: T.tenantId,
    officeKey: T.officeId,
    windowHours: 24,
    kind,
    status: resolvedMinutesAgo === null ? 'active' : 'resolved',
    severity,
    value: 0.5,
    threshold: 0.1,
    evidence: {
      samples: 10,
      devices: 2,
      share: 0.5,
      affectedHosts: [],
      affectedDomains: [],
      failureClasses: [],
      exampleReportIds: [],
    },
    firstDetectedAt: minutes(600),
    lastSeenAt: minutes(lastSeenMinutesAgo),
    resolvedAt: resolvedMinutesAgo === null ? null : minutes(resolvedMinutesAgo),
    // The update order the store used to list by: the low one and the resolved ones were touched last.
    updatedAt: minutes(id.startsWith('low') || id.startsWith('old') ? 0 : 100),
    fingerprint: '[]',
  });
}

before(async () => {
  f = await startFixture({}, { insights: createInsightsHook() });
  T = await seedTenant(f, 'Order');
  await save('low-fresh', 'quic-blocked', 'low', 1);
  await save('medium-old', 'tls-interception', 'medium', 90);
  await save('high-old', 'critical-domain-https-failure', 'high', 120);
  await save('high-fresh', 'websocket-failure', 'high', 5);
  await save('old-high-resolved', 'protocol-downgrade', 'high', 300, 280);
  await save('old-low-resolved', 'backhauled-egress', 'low', 50, 40);
  await save('old-high-resolved-recent', 'teams-media', 'high', 30, 20);
});
after(() => f.close());

const listed = async (query = '') => {
  const res = await f.app.inject({ url: `/api/v1/insights${query}`, headers: { cookie: T.ownerCookie } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().items.map((i: { id: string }) => i.id);
};

test('the insights list was sorted by last update: it is active first, then severity, then recency', async () => {
  assert.deepEqual(await listed(), [
    'high-fresh',
    'high-old',
    'medium-old',
    'low-fresh',
    'old-high-resolved-recent',
    'old-high-resolved',
    'old-low-resolved',
  ]);
  assert.deepEqual(await listed('?status=resolved'), [
    'old-high-resolved-recent',
    'old-high-resolved',
    'old-low-resolved',
  ]);
});
