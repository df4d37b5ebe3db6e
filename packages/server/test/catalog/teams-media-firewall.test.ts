/**
 * The firewall list a `teams-media` insight links to holds exactly the
 * catalog's Teams media set (Optimize, UDP 3478–3481, IP ranges only), and
 * the selection behind it picks only such sets.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildFirewallRules } from '../../src/catalog/firewall.ts';
import { isTeamsMediaSet } from '../../src/catalog/select.ts';
import { snapshotCatalog } from '../../src/catalog/snapshot.ts';
import { noopInsights } from '../../src/insights-hook.ts';
import { seedTenant, startFixture } from '../helpers/server-fixture.ts';

test('the Teams media selection is the Optimize set with UDP 3478–3481 and nothing else', () => {
  const catalog = snapshotCatalog();
  const sets = catalog.sets.filter(isTeamsMediaSet);
  assert.deepEqual(
    sets.map((s) => s.id),
    [11],
  );
  const rules = buildFirewallRules(catalog, { teamsMedia: true });
  assert.ok(rules.length > 0);
  assert.ok(rules.every((r) => r.setId === 11 && r.protocol === 'udp' && r.ports === '3478-3481'));
  assert.deepEqual(rules.map((r) => r.destination).sort(), [...(sets[0]?.ips ?? [])].sort());
  assert.ok(rules.some((r) => r.destination === '52.112.0.0/14'));
});

test('API: the firewall list for a teams-media insight is filtered to exactly the Teams media set', async (t) => {
  const f = await startFixture(
    {},
    {
      insights: {
        ...noopInsights,
        async getInsight(_store, _tenantId, id) {
          if (id !== 'ins-teams') return undefined;
          return {
            insight: {
              id,
              kind: 'teams-media',
              officeId: 'o1',
              status: 'active',
              severity: 'medium',
              evidence: {
                affectedHosts: [{ host: 'worldaz.tr.teams.microsoft.com', attempts: 40, failures: 30 }],
                affectedDomains: [],
              },
            },
            events: [],
          };
        },
      },
    },
  );
  t.after(() => f.close());
  const a = await seedTenant(f, 'Contoso');
  const res = await f.app.inject({
    url: '/api/v1/remediation/firewall?insight=ins-teams&format=json',
    headers: { authorization: `Bearer ${a.readToken}` },
  });
  assert.equal(res.statusCode, 200);
  const rules = (
    res.json() as { rules: { setId: number; destination: string; protocol: string; ports: string }[] }
  ).rules;
  assert.deepEqual(
    [...new Set(rules.map((r) => `${r.setId} ${r.protocol} ${r.ports}`))],
    ['11 udp 3478-3481'],
  );
  assert.ok(rules.some((r) => r.destination === '52.122.0.0/15'));
  // The relay's name (a *.teams.microsoft.com host of the Allow set 12) is not what the list opens.
  assert.ok(rules.every((r) => !r.destination.includes('teams.microsoft.com')));
});
