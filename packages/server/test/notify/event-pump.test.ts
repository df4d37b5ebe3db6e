import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pumpInsightEvents } from '../../src/notify/event-pump.ts';
import { OutboxWorker } from '../../src/notify/outbox.ts';
import { addChannel, storedInsight as insight, LOOPBACK_OK, receiver, tempStore } from './helpers.ts';

const SECRET = 'pump-test-secret-0123456789';

test('insight events recorded by the engine reach channels through the pump, each once, with the insight texts', async (t) => {
  const { store } = await tempStore(t);
  const rx = await receiver(t, { secret: SECRET });
  await addChannel(store, {
    type: 'webhook',
    config: { url: rx.url, secret: SECRET },
    filters: { eventTypes: ['opened', 'resolved'] },
  });
  // As the engine does it: state and event in one transaction.
  await store.transaction(async (tx) => {
    await tx.insights.save(insight('ins-a', 'office-x'));
    await tx.insights.appendEvent('t1', 'ins-a', {
      type: 'opened',
      at: '2026-11-23T09:00:00.000Z',
      summary: 'Opened: 40%.',
    });
    await tx.insights.appendEvent('t1', 'ins-a', {
      type: 'updated',
      at: '2026-11-23T09:05:00.000Z',
      summary: 'Changed.',
    });
  });
  const worker = new OutboxWorker({ store, ctx: LOOPBACK_OK, feed: (now) => pumpInsightEvents(store, now) });
  const pass = await worker.runOnce();
  assert.equal(pass.fed, 2);
  assert.equal(pass.delivered, 1, '"updated" is filtered out by this channel');
  const body = JSON.parse(rx.got[0]!.body) as {
    events: {
      eventId: string;
      type: string;
      insight: { title: string; action: string; links: { href: string }[] };
    }[];
  };
  const ev = body.events[0]!;
  assert.equal(ev.type, 'opened');
  assert.match(ev.eventId, /^ie-\d+$/);
  assert.match(ev.insight.title, /HTTPS to \*\.cloud\.microsoft is failing at /);
  assert.ok(ev.insight.action.length > 20);
  assert.ok(
    ev.insight.links.some(
      (l) => l.href === 'https://netinsights.example/api/v1/remediation/pac?insight=ins-a',
    ),
  );

  // Caught up: nothing read, nothing sent again; a new event goes out.
  assert.equal((await worker.runOnce()).fed, 0);
  await store.transaction((tx) =>
    tx.insights.appendEvent('t1', 'ins-a', {
      type: 'resolved',
      at: '2026-11-23T10:00:00.000Z',
      summary: 'Resolved.',
    }),
  );
  const later = await worker.runOnce();
  assert.deepEqual([later.fed, later.delivered], [1, 1]);
  assert.equal(rx.got.length, 2);

  // A replay of the feed (cursor lost) queues nothing twice.
  await store.outbox.setCursor('insight-events', 0, new Date().toISOString());
  const replay = await worker.runOnce();
  assert.deepEqual([replay.fed, replay.claimed], [3, 0]);
  assert.equal(rx.got.length, 2);
});

test('turning a kind off or on again pages nobody (it paged "resolved" and "reopened"), and is still in the history', async (t) => {
  const { store } = await tempStore(t);
  const rx = await receiver(t, { secret: SECRET });
  await addChannel(store, {
    type: 'webhook',
    config: { url: rx.url, secret: SECRET },
    filters: { eventTypes: ['opened', 'updated', 'resolved', 'reopened'] },
  });
  await store.transaction(async (tx) => {
    await tx.insights.save(insight('ins-k', 'office-x'));
    await tx.insights.appendEvent('t1', 'ins-k', {
      type: 'disabled',
      at: '2026-11-23T09:00:00.000Z',
      summary: 'off',
    });
    await tx.insights.appendEvent('t1', 'ins-k', {
      type: 'enabled',
      at: '2026-11-23T10:00:00.000Z',
      summary: 'on',
    });
  });
  const worker = new OutboxWorker({ store, ctx: LOOPBACK_OK, feed: (now) => pumpInsightEvents(store, now) });
  const pass = await worker.runOnce();
  assert.deepEqual([pass.fed, pass.claimed, rx.got.length], [2, 0, 0]);
  assert.deepEqual(
    (await store.insights.events('t1', 'ins-k')).map((e) => e.type),
    ['disabled', 'enabled'],
  );
});
