/**
 * The resolver sightings repository (migration 044) on every store dialect:
 * the first sighting of a label is kept, a label is claimed by one report
 * of one tenant and only once, a claimed sighting is read only with its
 * tenant and report id, and purging keeps what is recent.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { resolverKeyOfToken, resolverLabel } from '@netinsights/protocol/resolver-label.ts';
import { storeFactory, testDialects } from '../store/dialects.ts';

const REPORT = '0190c1f0-0000-7000-8000-00000000abcd';
const keyA = resolverKeyOfToken('nia_tenant-a-token');
const keyB = resolverKeyOfToken('nia_tenant-b-token');

for (const dialect of testDialects())
  describe(`resolver sightings: ${dialect}`, () => {
    const stores = storeFactory(dialect);
    after(() => stores.cleanup());

    it('keeps the first sighting, claims it once for one tenant, reads it only with that tenant', async () => {
      const s = await stores.open();
      const labelA = resolverLabel(REPORT, keyA);
      const labelB = resolverLabel(REPORT, keyB);
      assert.notEqual(labelA, labelB, 'the same report id under two tokens gives two labels');
      const at = '2026-12-04T10:00:00.000Z';
      await s.resolverSightings.record({
        label: labelA,
        resolver: '203.0.113.53',
        ecs: '192.0.2.0/24',
        transport: 'udp',
        seenAt: at,
      });
      // A later question for the same label (a retry, another resolver of the pool) changes nothing.
      await s.resolverSightings.record({
        label: labelA,
        resolver: '198.51.100.1',
        ecs: null,
        transport: 'tcp',
        seenAt: at,
      });
      await s.resolverSightings.record({
        label: labelB,
        resolver: '198.51.100.9',
        ecs: null,
        transport: 'udp',
        seenAt: at,
      });

      const claimed = await s.transaction((tx) => tx.resolverSightings.claim(labelA, 'tenant-a', REPORT));
      assert.deepEqual(claimed, {
        label: labelA,
        resolver: '203.0.113.53',
        ecs: '192.0.2.0/24',
        transport: 'udp',
        seenAt: at,
        tenantId: 'tenant-a',
        reportId: REPORT,
      });
      // Claimed once: a second claim (another tenant that learnt the label, or a replay) gets nothing.
      assert.equal(await s.resolverSightings.claim(labelA, 'tenant-b', REPORT), undefined);
      assert.equal(
        await s.resolverSightings.claim('ni00000000000000000000000000000000', 'tenant-a', REPORT),
        undefined,
      );
      assert.equal((await s.resolverSightings.forReport('tenant-a', REPORT))?.resolver, '203.0.113.53');
      assert.equal(await s.resolverSightings.forReport('tenant-b', REPORT), undefined);
      assert.equal((await s.resolverSightings.claim(labelB, 'tenant-b', REPORT))?.resolver, '198.51.100.9');
      assert.equal((await s.resolverSightings.forReport('tenant-b', REPORT))?.resolver, '198.51.100.9');
      assert.equal((await s.resolverSightings.forReport('tenant-a', REPORT))?.resolver, '203.0.113.53');
    });

    it('purges unclaimed sightings after their cutoff and claimed ones with their reports', async () => {
      const s = await stores.open();
      const old = '2026-12-01T00:00:00.000Z';
      const recent = '2026-12-04T00:00:00.000Z';
      const label = (n: number) => resolverLabel(`${REPORT}-${n}`, keyA);
      await s.resolverSightings.record({
        label: label(1),
        resolver: '192.0.2.1',
        ecs: null,
        transport: 'udp',
        seenAt: old,
      });
      await s.resolverSightings.record({
        label: label(2),
        resolver: '192.0.2.2',
        ecs: null,
        transport: 'udp',
        seenAt: old,
      });
      await s.resolverSightings.record({
        label: label(3),
        resolver: '192.0.2.3',
        ecs: null,
        transport: 'udp',
        seenAt: recent,
      });
      await s.resolverSightings.claim(label(2), 'tenant-a', 'r2');
      // Unclaimed older than a day before "now" go; the claimed one stays until report retention.
      assert.equal(
        await s.resolverSightings.purge('2026-12-03T00:00:00.000Z', '2026-11-01T00:00:00.000Z'),
        1,
      );
      assert.equal((await s.resolverSightings.forReport('tenant-a', 'r2'))?.resolver, '192.0.2.2');
      assert.equal(
        await s.resolverSightings.purge('2026-12-03T00:00:00.000Z', '2026-12-02T00:00:00.000Z'),
        1,
      );
      assert.equal(await s.resolverSightings.forReport('tenant-a', 'r2'), undefined);
      assert.equal((await s.resolverSightings.claim(label(3), 'tenant-a', 'r3'))?.resolver, '192.0.2.3');
    });
  });
