import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseChannelInput, redactChannel } from '../../src/notify/channel.ts';
import { enqueueNotice, OutboxWorker } from '../../src/notify/outbox.ts';
import { addChannel, LOOPBACK_OK, receiver, sampleNotice, tempStore } from './helpers.ts';

const KINDS = ['critical-domain-https-failure', 'tls-interception', 'quic-blocked'];

test('channels hear only the kinds, offices and event types they asked for', async (t) => {
  const { store } = await tempStore(t);
  const tls = await addChannel(store, {
    type: 'slack',
    config: { url: 'https://hooks.slack.example/a' },
    filters: { kinds: ['tls-interception'] },
  });
  const berlin = await addChannel(store, {
    type: 'slack',
    config: { url: 'https://hooks.slack.example/b' },
    filters: { officeIds: ['office-berlin'] },
  });
  const opens = await addChannel(store, {
    type: 'slack',
    config: { url: 'https://hooks.slack.example/c' },
    filters: { eventTypes: ['opened', 'reopened'] },
  });
  const off = await addChannel(store, {
    type: 'slack',
    config: { url: 'https://hooks.slack.example/d' },
    enabled: false,
  });
  const other = await addChannel(store, {
    type: 'slack',
    config: { url: 'https://hooks.slack.example/e' },
    tenantId: 't2',
  });

  const who = async (n: ReturnType<typeof sampleNotice>) =>
    (await store.transaction((tx) => enqueueNotice(tx, 't1', n))).map((q) => q.channelId).sort();
  assert.deepEqual(
    await who(sampleNotice({ kind: 'tls-interception', officeId: 'office-paris' })),
    [opens.id, tls.id].sort(),
  );
  assert.deepEqual(await who(sampleNotice({ type: 'resolved', officeId: 'office-berlin' })), [berlin.id]);
  assert.deepEqual(await who(sampleNotice({ type: 'reopened', officeId: 'office-paris' })), [opens.id]);
  for (const ch of [off, other]) {
    const page = await store.outbox.listDeliveries(ch.tenantId, { channelId: ch.id, limit: 10 });
    assert.equal(page.items.length, 0, `${ch.id} got nothing`);
  }
});

test('a digest channel batches a flapping office into one message per window; other offices separately', async (t) => {
  const { store } = await tempStore(t);
  const rx = await receiver(t, { secret: 'digest-secret-0123456789' });
  await addChannel(store, {
    type: 'webhook',
    config: { url: rx.url, secret: 'digest-secret-0123456789' },
    digestMinutes: 15,
  });
  const start = new Date('2026-11-23T10:00:00Z');
  const flaps = ['opened', 'resolved', 'reopened', 'resolved', 'reopened'] as const;
  for (const [i, type] of flaps.entries())
    await store.transaction((tx) =>
      enqueueNotice(tx, 't1', sampleNotice({ type }), new Date(start.getTime() + i * 60_000)),
    );
  await store.transaction((tx) =>
    enqueueNotice(tx, 't1', sampleNotice({ officeId: 'office-paris', officeName: 'Paris' }), start),
  );

  let clock = new Date(start.getTime() + 10 * 60_000);
  const worker = new OutboxWorker({ store, ctx: LOOPBACK_OK, now: () => clock });
  assert.equal((await worker.runOnce()).claimed, 0, 'nothing before the window ends');
  clock = new Date(start.getTime() + 16 * 60_000);
  assert.equal((await worker.runOnce()).delivered, 2);
  const bodies = rx.got.map(
    (g) => JSON.parse(g.body) as { events: { type: string; insight: { officeName: string } }[] },
  );
  const berlin = bodies.find((b) => b.events[0]!.insight.officeName === 'Berlin')!;
  assert.deepEqual(
    berlin.events.map((e) => e.type),
    [...flaps],
  );
  assert.equal(bodies.find((b) => b.events[0]!.insight.officeName === 'Paris')!.events.length, 1);

  // The next flap after the digest went out opens a new digest.
  await store.transaction((tx) => enqueueNotice(tx, 't1', sampleNotice({ type: 'opened' }), clock));
  clock = new Date(clock.getTime() + 16 * 60_000);
  assert.equal((await worker.runOnce()).delivered, 1);
  assert.equal(rx.got.length, 3);
});

test('channel input is validated with JSON paths, and secrets are never shown back', () => {
  assert.throws(
    () => parseChannelInput({ name: 'x', type: 'pager', config: {} }, KINDS),
    /notification channel: \/type must be one of webhook, teams, slack, email/,
  );
  assert.throws(
    () =>
      parseChannelInput(
        {
          name: 'x',
          type: 'webhook',
          config: { url: 'https://h.example/x' },
          filters: { kinds: ['tls-intercept'] },
        },
        KINDS,
      ),
    /\/filters\/kinds has "tls-intercept"; allowed: critical-domain-https-failure/,
  );
  assert.throws(
    () =>
      parseChannelInput(
        { name: 'x', type: 'email', config: { host: 'smtp.example', from: 'a@b.example', to: ['nobody'] } },
        KINDS,
      ),
    /\/config\/to\/0 must be an e-mail address/,
  );
  assert.throws(
    () =>
      parseChannelInput(
        { name: 'x', type: 'slack', config: { url: 'https://h.example' }, digestMinutes: 5000 },
        KINDS,
      ),
    /\/digestMinutes/,
  );
  const input = parseChannelInput(
    { name: 'Ops', type: 'webhook', config: { url: 'https://h.example/x' } },
    KINDS,
  );
  const secret = (input.config as { secret: string }).secret;
  assert.ok(secret.length >= 40, 'a secret is generated');
  const shown = redactChannel({ ...input, tenantId: 't1', id: 'c1', createdAt: '', updatedAt: '' });
  assert.equal(JSON.stringify(shown).includes(secret), false);
  assert.equal(shown.config.secretSet, true);
});
