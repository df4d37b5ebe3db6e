/**
 * The insights, outbox and locks repositories of the store contract, run
 * against every selected dialect (test/store/dialects.ts): rollup buckets
 * with their write token, the evaluation schedule, insights and their event
 * feed, channels, deliveries with dedup, digests, leases and cursors, and the
 * per-tenant lock.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { StoredInsight } from '../../src/insights/api-insight.ts';
import type {} from '../../src/insights/store-contract.ts';
import type { ChannelRow } from '../../src/notify/channel.ts';
import type { InsightNotice } from '../../src/notify/notice.ts';
import type {} from '../../src/notify/store-contract.ts';
import { withTenantLock } from '../../src/store/tenant-lock.ts';
import { storeFactory, testDialects } from './dialects.ts';

const T0 = Date.parse('2026-11-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

const insight = (id: string, officeKey: string, kind: string, over: Partial<StoredInsight> = {}) =>
  ({
    tenantId: 't1',
    id,
    officeKey,
    kind,
    status: 'active',
    severity: 'high',
    value: 0.5,
    threshold: 0.2,
    windowHours: 24,
    evidence: { samples: 12, note: 'x' },
    fingerprint: 'fp',
    firstDetectedAt: T0,
    lastSeenAt: T0 + 60_000,
    resolvedAt: null,
    updatedAt: T0 + 60_000,
    ...over,
  }) as unknown as StoredInsight;

const channel = (id: string, digestMinutes = 0): ChannelRow => ({
  tenantId: 't1',
  id,
  name: id,
  type: 'webhook',
  config: { url: 'https://hooks.example/x', secret: 's' },
  filters: {},
  digestMinutes,
  enabled: true,
  createdAt: at(0),
  updatedAt: at(0),
});

const notice = (eventId: string, officeId = 'o1'): InsightNotice => ({
  eventId,
  type: 'opened',
  at: at(1),
  insight: {
    id: 'i1',
    kind: 'tls-interception',
    severity: 'high',
    title: 'TLS interception',
    officeId,
    officeName: 'Lyon',
    summary: 'opened',
    links: [],
  },
});

for (const dialect of testDialects()) {
  describe(`store insights, outbox, locks: ${dialect}`, () => {
    const stores = storeFactory(dialect);
    after(() => stores.cleanup());

    test('rollup buckets: written, re-read with their token, ranged, purged by age', async () => {
      const s = await stores.open();
      assert.equal(await s.insights.getRollup('t1', 'o1', at(0)), undefined);
      await s.transaction(async (tx) => {
        assert.equal(await tx.insights.rollupVersion('t1', 'o1', at(0)), undefined);
        await tx.insights.putRollup('t1', 'o1', at(0), '{"n":1}', 'w:1');
      });
      await s.insights.putRollup('t1', 'o1', at(0), '{"n":2}', 'w:2');
      await s.insights.putRollup('t1', 'o1', at(60), '{"n":3}', 'w:3');
      await s.insights.putRollup('t2', 'o1', at(60), '{"other":true}', 'w:4');
      assert.deepEqual(await s.insights.getRollup('t1', 'o1', at(0)), { data: '{"n":2}', version: 'w:2' });
      assert.equal(await s.insights.rollupVersion('t1', 'o1', at(60)), 'w:3');
      assert.deepEqual(await s.insights.rollups('t1', 'o1', at(0), at(60)), [
        { bucketStart: at(0), data: '{"n":2}' },
        { bucketStart: at(60), data: '{"n":3}' },
      ]);
      assert.equal(await s.insights.purgeRollupsBefore(at(61), 2), 2);
      assert.deepEqual(await s.insights.rollups('t1', 'o1', at(0), at(60)), []);
      assert.equal(await s.insights.purgeRollupsBefore(at(61), 2), 1);
    });

    test('schedule: the earliest due time wins, due offices come earliest first', async () => {
      const s = await stores.open();
      await s.insights.markDue('t1', 'o1', at(30));
      await s.insights.markDue('t1', 'o1', at(10));
      await s.insights.markDue('t1', 'o1', at(20));
      await s.insights.markDue('t2', 'o9', at(5));
      assert.deepEqual(await s.insights.dueOffices(at(15), 10), [
        { tenantId: 't2', officeKey: 'o9' },
        { tenantId: 't1', officeKey: 'o1' },
      ]);
      assert.deepEqual(await s.insights.dueOffices(at(7), 10), [{ tenantId: 't2', officeKey: 'o9' }]);
      const sched = {
        dueAt: null,
        cityKey: 'lyon|fr',
        latencyMedianMs: 21.5,
        throughputMbps: 80,
        perfSamples: 12,
        evaluatedAt: at(16),
      };
      await s.insights.setSchedule('t1', 'o1', sched);
      assert.deepEqual(await s.insights.getSchedule('t1', 'o1'), sched);
      assert.deepEqual(await s.insights.dueOffices(at(15), 10), [{ tenantId: 't2', officeKey: 'o9' }]);
      await s.insights.setSchedule('t2', 'o9', { ...sched, latencyMedianMs: 40 });
      await s.insights.setSchedule('t1', 'o2', { ...sched, perfSamples: 1 });
      // Peers are offices that exist, of other tenants: t1's own (o1, o2) never count for t1.
      const office = (tenantId: string, id: string) => ({
        tenantId,
        id,
        name: id,
        address: null,
        city: 'Lyon',
        country: 'FR',
        latitude: 45.76,
        longitude: 4.84,
        lanSubnets: [],
        egressRanges: [],
        createdAt: at(0),
        updatedAt: at(0),
      });
      for (const [t, o] of [
        ['t1', 'o1'],
        ['t1', 'o2'],
        ['t2', 'o9'],
        ['t2', 'o8'],
      ] as const)
        await s.offices.create(office(t, o));
      await s.insights.setSchedule('t2', 'o8', { ...sched, perfSamples: 1 });
      await s.insights.setSchedule('t3', 'gone', { ...sched, latencyMedianMs: 99 }); // no such office
      assert.deepEqual(
        await s.insights.peerFigures('lyon|fr', at(0), 5, 't1'),
        [{ tenantId: 't2', latencyMedianMs: 40, throughputMbps: 80 }],
        "the tenant's own offices, thin offices and offices that do not exist are left out",
      );
      assert.deepEqual(
        (await s.insights.peerFigures('lyon|fr', at(0), 5, 't2')).map((p) => p.tenantId),
        ['t1'],
      );
      await s.offices.delete('t2', 'o9');
      assert.deepEqual(
        await s.insights.peerFigures('lyon|fr', at(0), 5, 't1'),
        [],
        'a deleted office leaves at once',
      );
    });

    test('insights: saved, replaced, listed active first; events numbered in order', async () => {
      const s = await stores.open();
      await s.transaction(async (tx) => {
        await tx.insights.forOffice('t1', 'o1');
        await tx.insights.save(insight('i1', 'o1', 'quic-blocked'));
        await tx.insights.appendEvent('t1', 'i1', { type: 'opened', at: at(1), summary: 'opened' });
      });
      await s.insights.save(
        insight('i2', 'o1', 'tls-interception', { status: 'resolved', resolvedAt: T0 + 1 }),
      );
      await s.insights.save(insight('i1', 'o1', 'quic-blocked', { value: 0.7, updatedAt: T0 + 120_000 }));
      await assert.rejects(
        s.insights.save(insight('i3', 'o1', 'quic-blocked')),
        'one insight per office and kind',
      );
      const s2 = await s.insights.appendEvent('t1', 'i1', { type: 'updated', at: at(2), summary: 'worse' });
      const s3 = await s.insights.appendEvent('t1', 'i2', { type: 'resolved', at: at(3), summary: 'gone' });
      assert.ok(s3 > s2);
      const list = await s.insights.list('t1', {});
      assert.deepEqual(
        list.map((i) => i.id),
        ['i1', 'i2'],
      );
      assert.equal(list[0]?.value, 0.7);
      assert.deepEqual(list[0]?.evidence, { samples: 12, note: 'x' });
      assert.equal(list[1]?.resolvedAt, T0 + 1);
      assert.deepEqual(
        (await s.insights.list('t1', { status: 'resolved' })).map((i) => i.id),
        ['i2'],
      );
      assert.deepEqual(await s.insights.list('t2', {}), []);
      assert.deepEqual(
        (await s.insights.events('t1', 'i1')).map((e) => e.type),
        ['opened', 'updated'],
      );
      const feed = await s.insights.eventsAfter(0, 10);
      assert.deepEqual(
        feed.map((e) => e.summary),
        ['opened', 'worse', 'gone'],
      );
      assert.deepEqual(await s.insights.eventsAfter(feed[1]!.seq, 10), [feed[2]]);
      assert.deepEqual(await s.insights.activeList('t1'), [
        { id: 'i1', kind: 'quic-blocked', officeKey: 'o1', severity: 'high' },
      ]);
      assert.equal((await s.insights.get('t2', 'i1')) ?? null, null);
    });

    test('outbox: an event is queued once per channel; digests merge; deleting a channel cancels', async () => {
      const s = await stores.open();
      await s.outbox.createChannel(channel('c1'));
      await s.outbox.createChannel(channel('c2', 15));
      const q = (channelId: string, eventId: string, digest = false) =>
        s.outbox.enqueue({
          tenantId: 't1',
          channelId,
          notice: notice(eventId),
          newId: `d-${channelId}-${eventId}`,
          now: at(1),
          ...(digest ? { digestKey: 'o1', digestDueAt: at(16) } : {}),
        });
      assert.deepEqual(await q('c1', 'e1'), { deliveryId: 'd-c1-e1', merged: false });
      assert.equal(await q('c1', 'e1'), undefined);
      assert.deepEqual(await q('c2', 'e1', true), { deliveryId: 'd-c2-e1', merged: false });
      assert.deepEqual(await q('c2', 'e2', true), { deliveryId: 'd-c2-e1', merged: true });
      assert.equal(await q('c2', 'e2', true), undefined);
      const digest = await s.outbox.getDelivery('t1', 'd-c2-e1');
      assert.deepEqual(
        digest?.notices.map((n) => n.eventId),
        ['e1', 'e2'],
      );
      assert.equal(digest?.nextAttemptAt, at(16));
      assert.equal((await s.outbox.listChannels('t1')).length, 2);
      assert.equal((await s.outbox.getChannel('t1', 'c2'))?.enabled, true);
      assert.equal(await s.outbox.deleteChannel('t1', 'c2', at(2)), true);
      assert.equal((await s.outbox.getDelivery('t1', 'd-c2-e1'))?.status, 'cancelled');
      assert.equal(await s.outbox.deleteChannel('t1', 'c2', at(2)), false);
      assert.deepEqual(await s.outbox.countByStatus(), {
        pending: 1,
        sending: 0,
        delivered: 0,
        failed: 0,
        cancelled: 1,
      });
    });

    test('outbox: a claim leases due rows once; only the holder finishes; expired leases are retaken', async () => {
      const s = await stores.open();
      await s.outbox.createChannel(channel('c1'));
      await s.outbox.enqueueTest('t1', 'c1', 'd1', at(0));
      await s.outbox.enqueueTest('t1', 'c1', 'd2', at(5));
      assert.equal(await s.outbox.nextDueAt(), at(0));
      const a = await s.outbox.claim('worker-a', at(1), at(3), 10);
      assert.deepEqual(
        a.map((d) => [d.id, d.attempts, d.leaseOwner, d.test]),
        [['d1', 1, 'worker-a', true]],
      );
      assert.deepEqual(await s.outbox.claim('worker-b', at(2), at(4), 10), [], 'leased: not claimable');
      assert.equal(await s.outbox.nextDueAt(), at(3));
      const b = await s.outbox.claim('worker-b', at(3), at(9), 10);
      assert.deepEqual(
        b.map((d) => [d.id, d.attempts]),
        [['d1', 2]],
        'an expired lease is taken over',
      );
      const fin = (owner: string) =>
        s.outbox.finish({
          tenantId: 't1',
          id: 'd1',
          owner,
          at: at(4),
          outcome: 'delivered',
          statusCode: 204,
          detail: 'ok',
          durationMs: 12.4,
        });
      assert.equal(await fin('worker-a'), false, 'the old holder lost the lease');
      assert.equal(await fin('worker-b'), true);
      assert.equal(await fin('worker-b'), false);
      const d1 = await s.outbox.getDelivery('t1', 'd1');
      assert.deepEqual([d1?.status, d1?.deliveredAt, d1?.leaseOwner], ['delivered', at(4), null]);
      assert.deepEqual(
        (await s.outbox.listAttempts('t1', 'd1')).map((x) => [x.attempt, x.worker, x.ok, x.durationMs]),
        [[2, 'worker-b', true, 12]],
      );
      assert.deepEqual(
        await s.outbox.claim('worker-c', at(100), at(102), 10).then((r) => r.map((d) => d.id)),
        ['d2'],
      );
      const page = await s.outbox.listDeliveries('t1', { limit: 1 });
      assert.equal(page.items[0]?.id, 'd2');
      const next = await s.outbox.listDeliveries('t1', { limit: 1, cursor: page.nextCursor! });
      assert.equal(next.items[0]?.id, 'd1');
      assert.deepEqual(
        (await s.outbox.listDeliveries('t1', { limit: 5, status: 'delivered' })).items.map((d) => d.id),
        ['d1'],
      );
    });

    test('outbox cursors start at 0 and move', async () => {
      const s = await stores.open();
      assert.equal(await s.outbox.getCursor('insight-events'), 0);
      await s.transaction(async (tx) => {
        assert.equal(await tx.outbox.getCursor('insight-events'), 0);
        await tx.outbox.setCursor('insight-events', 42, at(1));
      });
      assert.equal(await s.outbox.getCursor('insight-events'), 42);
    });

    test('tenant lock: needs a transaction, and is free inside one', async () => {
      const s = await stores.open();
      await assert.rejects(s.locks.tryTenant('t1'), /needs a transaction/);
      const r = await withTenantLock(s, 't1', async (tx) => {
        await tx.settings.put('t1', 'k', 1, at(0));
        return 'done';
      });
      assert.deepEqual(r, { ran: true, value: 'done' });
      assert.equal(await s.settings.get('t1', 'k'), 1);
    });
  });
}
