/**
 * Silences (maintenance windows): per office, per kind, or tenant-wide, set
 * and ended through the API (audited, validated with the JSON path named);
 * while one is in force the pump pages nobody about what it covers, counts
 * the held-back event on the silence, and the insight's history keeps it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { StoredInsight } from '../../src/insights/api-insight.ts';
import { pumpInsightEvents } from '../../src/notify/event-pump.ts';
import { OutboxWorker } from '../../src/notify/outbox.ts';
import type { SilenceRow } from '../../src/notify/silence-contract.ts';
import { type Fixture, type SeededTenant, seedTenant, startFixture } from '../helpers/server-fixture.ts';
import { addChannel, storedInsight as insight, LOOPBACK_OK, receiver, tempStore } from './helpers.ts';

const SECRET = 'silence-test-secret-0123456789';
const AT = '2026-11-23T09:00:00.000Z';

const silence = (over: Partial<SilenceRow>): SilenceRow => ({
  tenantId: 't1',
  id: 's',
  officeId: null,
  kind: null,
  startsAt: '2026-11-23T08:00:00.000Z',
  endsAt: '2026-11-23T10:00:00.000Z',
  reason: 'firewall upgrade',
  createdBy: 'user:a@x.example',
  createdAt: AT,
  suppressed: 0,
  lastSuppressedAt: null,
  ...over,
});

describe('the pump during a silence', () => {
  test('nothing covered pages; the event is counted on the silence and stays in the history', async (t) => {
    const { store } = await tempStore(t);
    const rx = await receiver(t, { secret: SECRET });
    await addChannel(store, { type: 'webhook', config: { url: rx.url, secret: SECRET } });
    await store.silences.create(silence({ id: 'office-x', officeId: 'office-x' }));
    await store.silences.create(silence({ id: 'quic', kind: 'quic-blocked' }));
    // Ended before the event: covers nothing.
    await store.silences.create(silence({ id: 'past', endsAt: '2026-11-23T08:30:00.000Z' }));
    const cases: Array<[string, string, StoredInsight['kind'], boolean]> = [
      ['ins-1', 'office-x', 'critical-domain-https-failure', false], // the office is silenced
      ['ins-2', 'office-y', 'quic-blocked', false], // the kind is silenced
      ['ins-3', 'office-y', 'critical-domain-https-failure', true], // neither: pages
    ];
    await store.transaction(async (tx) => {
      for (const [id, office, kind] of cases) {
        await tx.insights.save(insight(id, office, kind));
        await tx.insights.appendEvent('t1', id, { type: 'opened', at: AT, summary: 'Opened.' });
      }
    });
    const worker = new OutboxWorker({
      store,
      ctx: LOOPBACK_OK,
      feed: (now) => pumpInsightEvents(store, now),
    });
    const pass = await worker.runOnce();
    assert.equal(pass.fed, 3);
    assert.equal(rx.got.length, 1);
    assert.equal(JSON.parse(rx.got[0]!.body).events[0].insight.id, 'ins-3');
    assert.equal((await store.silences.get('t1', 'office-x'))?.suppressed, 1);
    assert.equal((await store.silences.get('t1', 'quic'))?.suppressed, 1);
    assert.equal((await store.silences.get('t1', 'past'))?.suppressed, 0);
    assert.deepEqual(
      (await store.insights.events('t1', 'ins-1')).map((e) => e.type),
      ['opened'],
      'the insight’s history keeps the silenced event',
    );
  });

  test('a tenant-wide silence holds back every event of that tenant only, and only while in force', async (t) => {
    const { store } = await tempStore(t);
    const rx = await receiver(t, { secret: SECRET });
    await addChannel(store, { type: 'webhook', config: { url: rx.url, secret: SECRET } });
    await store.silences.create(silence({ id: 'all' }));
    await store.transaction(async (tx) => {
      await tx.insights.save(insight('ins-a', 'office-x', 'quic-blocked'));
      await tx.insights.appendEvent('t1', 'ins-a', { type: 'opened', at: AT, summary: 'in the window' });
      await tx.insights.appendEvent('t1', 'ins-a', {
        type: 'resolved',
        at: '2026-11-23T10:00:00.000Z',
        summary: 'at its end: no longer covered',
      });
    });
    const worker = new OutboxWorker({
      store,
      ctx: LOOPBACK_OK,
      feed: (now) => pumpInsightEvents(store, now),
    });
    await worker.runOnce();
    assert.deepEqual(
      rx.got.map((g) => JSON.parse(g.body).events[0].type),
      ['resolved'],
    );
    assert.equal((await store.silences.get('t1', 'all'))?.suppressed, 1);
  });
});

describe('the silences API', () => {
  let f: Fixture;
  let T: SeededTenant;
  let O: SeededTenant;
  const hours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
  const post = (who: SeededTenant, payload: object) =>
    f.app.inject({ method: 'POST', url: '/api/v1/silences', headers: { cookie: who.adminCookie }, payload });

  before(async () => {
    f = await startFixture();
    T = await seedTenant(f, 'Silent');
    O = await seedTenant(f, 'Other');
  });
  after(() => f.close());

  test('sets a silence for an office, lists it as active, audits it, and ends it early', async () => {
    const res = await post(T, {
      officeId: T.officeId,
      kind: 'quic-blocked',
      endsAt: hours(2),
      reason: 'WAN cut-over',
    });
    assert.equal(res.statusCode, 201, res.body);
    const s = res.json();
    assert.equal(s.active, true);
    assert.equal(s.createdBy, 'user:admin@silent.example');
    const list = await f.app.inject({
      method: 'GET',
      url: '/api/v1/silences',
      headers: { cookie: T.viewerCookie },
    });
    assert.deepEqual(
      list.json().items.map((x: { id: string }) => x.id),
      [s.id],
    );
    const other = await f.app.inject({
      method: 'GET',
      url: '/api/v1/silences',
      headers: { cookie: O.ownerCookie },
    });
    assert.deepEqual(other.json().items, [], 'another tenant sees none of them');
    const foreignEnd = await f.app.inject({
      method: 'DELETE',
      url: `/api/v1/silences/${s.id}`,
      headers: { cookie: O.ownerCookie },
    });
    assert.equal(foreignEnd.statusCode, 404);
    const end = await f.app.inject({
      method: 'DELETE',
      url: `/api/v1/silences/${s.id}`,
      headers: { cookie: T.adminCookie },
    });
    assert.equal(end.statusCode, 204);
    const after = (
      await f.app.inject({ method: 'GET', url: '/api/v1/silences', headers: { cookie: T.adminCookie } })
    ).json().items[0];
    assert.equal(after.active, false);
    const again = await f.app.inject({
      method: 'DELETE',
      url: `/api/v1/silences/${s.id}`,
      headers: { cookie: T.adminCookie },
    });
    assert.equal(again.statusCode, 409);
    const audit = await f.app.inject({
      method: 'GET',
      url: '/api/v1/audit',
      headers: { cookie: T.adminCookie },
    });
    assert.match(audit.body, /silence\.create/);
    assert.match(audit.body, /silence\.end/);
    const stored = JSON.stringify((await f.store.audit.list(T.tenantId, { limit: 50 })).items);
    assert.match(stored, /WAN cut-over/, 'the entry keeps the reason');
  });

  test('bad silences are refused with the field named', async () => {
    const bad: Array<[object, string]> = [
      [{ endsAt: hours(-1), reason: 'r' }, '/endsAt'],
      [{ startsAt: hours(3), endsAt: hours(2), reason: 'r' }, '/endsAt'],
      [{ endsAt: hours(24 * 40), reason: 'r' }, '/endsAt'],
      [{ kind: 'no-such-kind', endsAt: hours(1), reason: 'r' }, '/kind'],
      [{ officeId: O.officeId, endsAt: hours(1), reason: 'r' }, '/officeId'],
    ];
    for (const [payload, path] of bad) {
      const res = await post(T, payload);
      assert.equal(res.statusCode, 422, `${JSON.stringify(payload)}: ${res.body}`);
      assert.equal(res.json().error.details.issues[0].path, path, res.body);
    }
  });
});
