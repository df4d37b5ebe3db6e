import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createRootCa } from '@netinsights/lab/pki.ts';
import { SMTPServer } from 'smtp-server';
import { emailContent } from '../../src/notify/channels/email.ts';
import { sendToChannel } from '../../src/notify/channels/index.ts';
import { slackMessage } from '../../src/notify/channels/slack.ts';
import { teamsMessage } from '../../src/notify/channels/teams.ts';
import { webhookBody } from '../../src/notify/channels/webhook.ts';
import { enqueueNotice, OutboxWorker, queueTest } from '../../src/notify/outbox.ts';
import { addChannel, LOOPBACK_OK, receiver, sampleNotice, tempStore } from './helpers.ts';

test('Teams gets an Adaptive Card message with the insight and absolute links', async (t) => {
  const { store } = await tempStore(t);
  const rx = await receiver(t);
  await addChannel(store, { type: 'teams', config: { url: `${rx.url}/teams` } });
  await store.transaction((tx) => enqueueNotice(tx, 't1', sampleNotice()));
  assert.equal((await new OutboxWorker({ store, ctx: LOOPBACK_OK }).runOnce()).delivered, 1);
  const msg = JSON.parse(rx.got[0]!.body) as {
    type: string;
    attachments: {
      contentType: string;
      content: { type: string; version: string; body: { text?: string }[]; actions: { url: string }[] };
    }[];
  };
  assert.equal(msg.type, 'message');
  const card = msg.attachments[0]!;
  assert.equal(card.contentType, 'application/vnd.microsoft.card.adaptive');
  assert.equal(card.content.type, 'AdaptiveCard');
  assert.equal(card.content.version, '1.4');
  assert.equal(card.content.body[0]!.text, 'New: Microsoft 365 core domains fail over HTTPS (Berlin)');
  assert.deepEqual(
    card.content.actions.map((a) => a.url),
    ['https://netinsights.example/api/v1/remediation/pac?insight=ins-1'],
  );
});

test('Slack gets blocks with a fallback text, escaped for mrkdwn', async (t) => {
  const { store } = await tempStore(t);
  const rx = await receiver(t);
  await addChannel(store, { type: 'slack', config: { url: `${rx.url}/slack` } });
  await store.transaction((tx) =>
    enqueueNotice(
      tx,
      't1',
      sampleNotice({ type: 'resolved', officeName: 'R&D <Lab>', summary: 'Resolved: 2% over 200 samples.' }),
    ),
  );
  assert.equal((await new OutboxWorker({ store, ctx: LOOPBACK_OK }).runOnce()).delivered, 1);
  const msg = JSON.parse(rx.got[0]!.body) as {
    text: string;
    blocks: { type: string; text?: { text: string }; elements?: { url?: string }[] }[];
  };
  // Slack formats the fallback text as mrkdwn too, so it is escaped like the blocks.
  assert.match(msg.text, /^Resolved: Microsoft 365 core domains fail over HTTPS \(R&amp;D &lt;Lab&gt;\)/);
  assert.deepEqual(
    msg.blocks.map((b) => b.type),
    ['header', 'section', 'context', 'actions'],
  );
  assert.match(msg.blocks[1]!.text!.text, /R&amp;D &lt;Lab&gt;/);
  assert.doesNotMatch(
    msg.blocks[1]!.text!.text,
    /What to do|bypass the proxy/,
    'no action on a resolved event',
  );
  assert.equal(
    msg.blocks[3]!.elements![0]!.url,
    'https://netinsights.example/api/v1/remediation/pac?insight=ins-1',
  );
});

test('e-mail goes over SMTP with STARTTLS and authentication to a real SMTP server', async (t) => {
  const ca = await createRootCa({ commonName: 'netinsights test mail CA' });
  const leaf = await ca.issueServer(['127.0.0.1']);
  const mails: { from: string; to: string[]; raw: string; secure: boolean; user: string | undefined }[] = [];
  const smtp = new SMTPServer({
    key: leaf.keyPem,
    cert: leaf.chainPem,
    // STARTTLS on a plain port, and no AUTH before TLS (the default would allow it in the clear).
    secure: false,
    allowInsecureAuth: false,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, cb) {
      if (auth.username === 'alerts' && auth.password === 'correct horse') cb(null, { user: 'alerts' });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          secure: session.secure,
          user: session.user as string | undefined,
        });
        cb();
      });
    },
    logger: false,
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => smtp.close(() => r())));
  const port = (smtp.server.address() as AddressInfo).port;

  const { store } = await tempStore(t);
  const channel = await addChannel(store, {
    type: 'email',
    config: {
      host: '127.0.0.1',
      port,
      security: 'starttls',
      username: 'alerts',
      password: 'correct horse',
      from: 'netinsights@corp.example',
      to: ['netops@corp.example', 'oncall@corp.example'],
      ca: [ca.certPem],
    },
  });
  await store.transaction((tx) => enqueueNotice(tx, 't1', sampleNotice()));
  const worker = new OutboxWorker({ store, ctx: LOOPBACK_OK });
  assert.deepEqual(await worker.runOnce(), { fed: 0, claimed: 1, delivered: 1, retried: 0, failed: 0 });
  assert.equal(mails.length, 1);
  const mail = mails[0]!;
  assert.equal(mail.secure, true, 'upgraded with STARTTLS before the message');
  assert.equal(mail.user, 'alerts');
  assert.equal(mail.from, 'netinsights@corp.example');
  assert.deepEqual(mail.to, ['netops@corp.example', 'oncall@corp.example']);
  assert.match(mail.raw, /Subject: New: Microsoft 365 core domains fail over HTTPS \(Berlin\)/);
  assert.match(mail.raw, /What to do: Let \*\.cloud\.microsoft bypass the proxy\./);

  // Wrong password: a permanent SMTP failure (535), recorded, not retried.
  const bad = {
    ...channel,
    config: { ...(channel.config as object), password: 'wrong' },
  } as unknown as typeof channel;
  const outcome = await sendToChannel(
    bad,
    { deliveryId: 'd-x', tenantId: 't1', channelId: bad.id, test: true, notices: [] },
    LOOPBACK_OK,
  );
  assert.equal(outcome.ok, false);
  assert.equal(outcome.status, 535);
  assert.equal(outcome.retryable, false);
  assert.match(outcome.detail, /Invalid username or password/);

  // An untrusted certificate is refused (no silent downgrade).
  const untrusted = {
    ...channel,
    config: { ...(channel.config as object), ca: [] },
  } as unknown as typeof channel;
  const tlsFail = await sendToChannel(
    untrusted,
    { deliveryId: 'd-y', tenantId: 't1', channelId: bad.id, test: true, notices: [] },
    LOOPBACK_OK,
  );
  assert.equal(tlsFail.ok, false);
  assert.match(tlsFail.detail, /certificate/i);
  assert.equal(mails.length, 1);
});

test('"send a test" delivers a test message through the outbox', async (t) => {
  const { store } = await tempStore(t);
  const rx = await receiver(t, { secret: 'test-secret-0123456789' });
  const ch = await addChannel(store, {
    type: 'webhook',
    config: { url: rx.url, secret: 'test-secret-0123456789' },
  });
  const id = await queueTest(store, 't1', ch.id);
  await new OutboxWorker({ store, ctx: LOOPBACK_OK }).runOnce();
  const body = JSON.parse(rx.got[0]!.body) as {
    type: string;
    deliveryId: string;
    message: string;
    events: unknown[];
  };
  assert.equal(body.type, 'test');
  assert.equal(body.deliveryId, id);
  assert.deepEqual(body.events, []);
  assert.deepEqual(rx.got[0]!.verified, { ok: true });
  assert.equal((await store.outbox.getDelivery('t1', id))?.status, 'delivered');
});

test('a large digest stays inside the Slack and Teams message limits and says how many were left out', () => {
  const notices = Array.from({ length: 25 }, () => sampleNotice({ type: 'reopened' }));
  const msg = { deliveryId: 'd', tenantId: 't1', channelId: 'c', test: false, notices };
  const slack = slackMessage(msg) as { text: string; blocks: unknown[] };
  assert.ok(slack.blocks.length <= 50, `${slack.blocks.length} blocks`);
  assert.match(JSON.stringify(slack.blocks), /and 15 more changes; see the dashboard/);
  const teams = JSON.stringify(teamsMessage(msg));
  assert.ok(Buffer.byteLength(teams) < 28 * 1024, `${Buffer.byteLength(teams)} bytes`);
  assert.match(teams, /and 15 more changes/);
  assert.match(emailContent(msg).text, /and 15 more changes/);
  assert.equal(
    JSON.parse(JSON.stringify(webhookBody(msg))).events.length,
    25,
    'the webhook carries every event',
  );
});
