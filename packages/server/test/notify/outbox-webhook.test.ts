import assert from 'node:assert/strict';
import { test } from 'node:test';
import { enqueueNotice, OutboxWorker } from '../../src/notify/outbox.ts';
import { DELIVERY_HEADER } from '../../src/notify/signature.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { addChannel, LOOPBACK_OK, receiver, sampleNotice, tempStore, until } from './helpers.ts';

const SECRET = 'a-long-enough-shared-secret-123';

test('an insight event reaches a webhook receiver once, signed so the receiver can verify it', async (t) => {
  const { store } = await tempStore(t);
  const rx = await receiver(t, { secret: SECRET });
  const channel = await addChannel(store, {
    type: 'webhook',
    config: { url: `${rx.url}/hook`, secret: SECRET },
  });
  const notice = sampleNotice();
  const queued = await store.transaction((tx) => enqueueNotice(tx, 't1', notice));
  assert.equal(queued.length, 1);
  assert.deepEqual(
    await store.transaction((tx) => enqueueNotice(tx, 't1', notice)),
    [],
    'same event: nothing new',
  );

  const worker = new OutboxWorker({ store, ctx: LOOPBACK_OK });
  const pass = await worker.runOnce();
  assert.deepEqual(pass, { fed: 0, claimed: 1, delivered: 1, retried: 0, failed: 0 });
  assert.equal(rx.got.length, 1);
  const req = rx.got[0]!;
  assert.deepEqual(req.verified, { ok: true });
  assert.equal(req.path, '/hook');
  assert.equal(req.headers[DELIVERY_HEADER], queued[0]!.deliveryId);
  const body = JSON.parse(req.body) as {
    type: string;
    events: { eventId: string; insight: { links: { href: string }[] } }[];
  };
  assert.equal(body.type, 'insight.events');
  assert.equal(body.events[0]!.eventId, notice.eventId);
  assert.equal(
    body.events[0]!.insight.links[0]!.href,
    'https://netinsights.example/api/v1/remediation/pac?insight=ins-1',
  );

  assert.deepEqual(
    await worker.runOnce(),
    { fed: 0, claimed: 0, delivered: 0, retried: 0, failed: 0 },
    'acknowledged: never sent again',
  );
  const d = await store.outbox.getDelivery('t1', queued[0]!.deliveryId);
  assert.equal(d?.status, 'delivered');
  assert.equal(d?.channelId, channel.id);
});

test('a receiver that fails the first 3 times is retried with backoff and gets exactly one delivery', async (t) => {
  const { store } = await tempStore(t);
  const rx = await receiver(t, { secret: SECRET, failFirst: 3 });
  await addChannel(store, { type: 'webhook', config: { url: rx.url, secret: SECRET } });
  const [q] = await store.transaction((tx) => enqueueNotice(tx, 't1', sampleNotice()));
  const worker = new OutboxWorker({ store, ctx: LOOPBACK_OK, backoff: { baseMs: 20, maxMs: 80 } });
  await until(
    () => worker.runOnce(),
    () => rx.accepted().length > 0,
  );
  // A few more passes must not send it again.
  for (let i = 0; i < 3; i++) await worker.runOnce();
  assert.equal(rx.got.length, 4);
  assert.deepEqual(rx.accepted(), [q!.deliveryId]);
  const attempts = await store.outbox.listAttempts('t1', q!.deliveryId);
  assert.deepEqual(
    attempts.map((a) => [a.attempt, a.ok, a.statusCode]),
    [
      [1, false, 503],
      [2, false, 503],
      [3, false, 503],
      [4, true, 200],
    ],
  );
  // Backoff: each retry waited at least half its exponential step (20, 40, 80 ms capped).
  for (let i = 1; i < attempts.length; i++) {
    const gap = Date.parse(attempts[i]!.at) - Date.parse(attempts[i - 1]!.at);
    assert.ok(gap >= 10, `gap ${i} was ${gap} ms`);
  }
  const failed = await store.outbox.listDeliveries('t1', { limit: 10 });
  assert.equal(failed.items[0]!.status, 'delivered');
});

test('a delivery that keeps failing ends as failed after maxAttempts, with the reason recorded', async (t) => {
  const { store } = await tempStore(t);
  const rx = await receiver(t, { secret: SECRET, failFirst: 100 });
  await addChannel(store, { type: 'webhook', config: { url: rx.url, secret: SECRET } });
  const [q] = await store.transaction((tx) => enqueueNotice(tx, 't1', sampleNotice()));
  const worker = new OutboxWorker({
    store,
    ctx: LOOPBACK_OK,
    maxAttempts: 3,
    backoff: { baseMs: 10, maxMs: 20 },
  });
  let done = false;
  await until(
    async () => {
      const d = await store.outbox.getDelivery('t1', q!.deliveryId);
      done = d?.status === 'failed';
      if (!done) await worker.runOnce();
    },
    () => done,
  );
  const d = await store.outbox.getDelivery('t1', q!.deliveryId);
  assert.equal(d?.status, 'failed');
  assert.equal(rx.got.length, 3);
  assert.match(d?.lastError ?? '', /HTTP 503: try later \(gave up after 3 attempts\)/);
  const failed = await store.outbox.listDeliveries('t1', { status: 'failed', limit: 5 });
  assert.deepEqual(
    failed.items.map((i) => i.id),
    [q!.deliveryId],
  );
});

test('a wrong secret is caught by the receiver and not retried forever (401 is final)', async (t) => {
  const { store } = await tempStore(t);
  const rx = await receiver(t, { secret: SECRET });
  await addChannel(store, { type: 'webhook', config: { url: rx.url, secret: 'some-other-secret-value!!' } });
  const [q] = await store.transaction((tx) => enqueueNotice(tx, 't1', sampleNotice()));
  const worker = new OutboxWorker({ store, ctx: LOOPBACK_OK });
  assert.deepEqual(await worker.runOnce(), { fed: 0, claimed: 1, delivered: 0, retried: 0, failed: 1 });
  assert.deepEqual(rx.got[0]!.verified, { ok: false, reason: 'signature does not match' });
  assert.equal((await store.outbox.getDelivery('t1', q!.deliveryId))?.lastStatusCode, 401);
});

test('two servers sharing the database never send the same delivery (leases)', async (t) => {
  const { store, file } = await tempStore(t);
  const second = await openSqliteStore({ file });
  await second.migrate();
  t.after(() => second.close());
  const rx = await receiver(t, { secret: SECRET });
  await addChannel(store, { type: 'webhook', config: { url: rx.url, secret: SECRET } });
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) {
    const [q] = await store.transaction((tx) => enqueueNotice(tx, 't1', sampleNotice()));
    ids.push(q!.deliveryId);
  }
  const a = new OutboxWorker({ store, ctx: LOOPBACK_OK, owner: 'server-a', batchSize: 4 });
  const b = new OutboxWorker({ store: second, ctx: LOOPBACK_OK, owner: 'server-b', batchSize: 4 });
  await until(
    () => Promise.all([a.runOnce(), b.runOnce()]),
    () => rx.accepted().length >= 30,
  );
  assert.equal(rx.got.length, 30, 'no delivery sent twice');
  assert.deepEqual([...rx.accepted()].sort(), [...ids].sort());
  const workers = new Set<string>();
  for (const id of ids) for (const at of await store.outbox.listAttempts('t1', id)) workers.add(at.worker);
  assert.deepEqual([...workers].sort(), ['server-a', 'server-b'], 'both servers took part');
});

test('a failing event feed does not hold back deliveries already queued', async (t) => {
  const { store } = await tempStore(t);
  const rx = await receiver(t, { secret: SECRET });
  await addChannel(store, { type: 'webhook', config: { url: rx.url, secret: SECRET } });
  await store.transaction((tx) => enqueueNotice(tx, 't1', sampleNotice()));
  const errors: unknown[] = [];
  const worker = new OutboxWorker({
    store,
    ctx: LOOPBACK_OK,
    feed: async () => {
      throw new Error('insight_events unreadable');
    },
    onFeedError: (err) => errors.push(err),
  });
  const pass = await worker.runOnce();
  assert.deepEqual([pass.fed, pass.delivered], [0, 1]);
  assert.match(String(errors[0]), /insight_events unreadable/);
});
