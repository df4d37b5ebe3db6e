/**
 * Channel secrets at rest: a webhook's signing secret, an SMTP password and
 * a Slack or Teams URL (the URL is the credential) used to be stored in the
 * clear and the URLs shown to every API token, read-only ones included. Now
 * they are sealed with AES-256-GCM under the server key and the API shows
 * only where an incoming-webhook URL points. Key rotation re-seals them,
 * and the tenants' OpenID client secrets with them.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, test } from 'node:test';
import { readKeyFile } from '../../src/config/secret-key.ts';
import { openChannel, SecretBox } from '../../src/notify/secret-box.ts';
import {
  type Fixture,
  type SeededTenant,
  seedTenant,
  startFixture,
  startSeededFixture,
} from '../helpers/server-fixture.ts';

const SLACK_URL = 'https://52.96.0.3/services/T000/B000/very-secret-path';
const WEBHOOK_SECRET = 'webhook-signing-secret-0123456789';
const SMTP_PASSWORD = 'smtp-password-never-in-clear';
const SSO_SECRET = 'oidc-client-secret-never-in-clear';

describe('channel secrets at rest', () => {
  let f: Fixture;
  let T: SeededTenant;
  before(async () => ({ f, T } = await startSeededFixture('Sealed')));
  after(() => f.close());

  const create = (payload: object) =>
    f.app.inject({
      method: 'POST',
      url: '/api/v1/notification-channels',
      headers: { cookie: T.ownerCookie },
      payload,
    });

  test('secrets and incoming-webhook URLs are stored sealed (they were stored in the clear)', async () => {
    for (const body of [
      { name: 'slack', type: 'slack', config: { url: SLACK_URL } },
      { name: 'hook', type: 'webhook', config: { url: 'https://52.96.0.1/hook', secret: WEBHOOK_SECRET } },
      {
        name: 'mail',
        type: 'email',
        config: {
          host: '52.96.0.2',
          port: 587,
          security: 'starttls',
          username: 'alerts',
          password: SMTP_PASSWORD,
          from: 'a@example.com',
          to: ['b@example.com'],
        },
      },
    ]) {
      const res = await create(body);
      assert.equal(res.statusCode, 201, res.body);
    }
    const keyFile = join(f.dir, 'test.db.key');
    assert.ok(existsSync(keyFile), 'the key was created beside the SQLite file');
    assert.equal(statSync(keyFile).mode & 0o077, 0, 'readable by the owner only');
    // A second, read-only connection beside the server's (WAL lets readers in).
    const db = new DatabaseSync(join(f.dir, 'test.db'), { readOnly: true });
    const raw = JSON.stringify(db.prepare('SELECT config FROM notification_channels').all());
    db.close();
    for (const secret of [SLACK_URL, 'very-secret-path', WEBHOOK_SECRET, SMTP_PASSWORD])
      assert.ok(!raw.includes(secret), `${secret} is not in the database`);
    assert.equal(raw.match(/nisec:v1:/g)?.length, 3);
  });

  test('a read-only token sees where a Slack URL points, never the URL', async () => {
    const res = await f.app.inject({
      method: 'GET',
      url: '/api/v1/notification-channels',
      headers: { authorization: `Bearer ${T.readToken}` },
    });
    assert.equal(res.statusCode, 200);
    assert.ok(!res.body.includes('very-secret-path'));
    assert.ok(!res.body.includes(WEBHOOK_SECRET));
    assert.ok(!res.body.includes(SMTP_PASSWORD));
    assert.match(res.body, /https:\/\/52\.96\.0\.3\/…/);
  });
});

describe('rotate-secret-key', () => {
  test('the CLI re-seals every channel and SSO secret under a new key and keeps the old one until restart', async () => {
    const f = await startFixture({ notifyAllowPrivateTargets: true });
    try {
      const T = await seedTenant(f, 'Rotate');
      const res = await f.app.inject({
        method: 'POST',
        url: '/api/v1/notification-channels',
        headers: { cookie: T.ownerCookie },
        payload: { name: 'slack', type: 'slack', config: { url: SLACK_URL } },
      });
      assert.equal(res.statusCode, 201, res.body);
      const sso = await f.app.inject({
        method: 'PUT',
        url: '/api/v1/settings/sso',
        headers: { cookie: T.ownerCookie },
        payload: {
          enabled: true,
          label: 'Rotate ID',
          issuer: 'http://127.0.0.1:9/',
          clientId: 'netinsights',
          clientSecret: SSO_SECRET,
          allowedDomains: ['rotate.example'],
          roleClaim: 'roles',
          roleMap: {},
          defaultRole: 'viewer',
          passwordsEnabled: true,
        },
      });
      assert.equal(sso.statusCode, 200, sso.body);
      const keyFile = join(f.dir, 'test.db.key');
      const [oldKey] = readKeyFile(keyFile);
      const cli = new URL('../../../cli/bin/netinsights.ts', import.meta.url).pathname;
      const out = spawnSync(
        process.execPath,
        [cli, 'admin', 'rotate-secret-key', '--db', join(f.dir, 'test.db'), '--json'],
        {
          encoding: 'utf8',
        },
      );
      assert.equal(out.status, 0, out.stderr);
      assert.deepEqual(
        { channels: JSON.parse(out.stdout).channels, ssoSecrets: JSON.parse(out.stdout).ssoSecrets },
        { channels: 1, ssoSecrets: 1 },
      );
      const ring = readKeyFile(keyFile);
      assert.equal(ring.length, 2);
      assert.deepEqual(ring[1], oldKey, 'the old key stays second');
      const [stored] = await f.store.outbox.listChannels(T.tenantId);
      assert.equal(
        (openChannel(new SecretBox([ring[0]!]), stored!).config as { url: string }).url,
        SLACK_URL,
        'opens with the new key alone',
      );
      assert.throws(
        () => openChannel(new SecretBox([oldKey!]), stored!),
        /does not have/,
        'no longer the old key',
      );
      const ssoRow = await f.store.signIn.getOidc(T.tenantId);
      assert.equal(new SecretBox([ring[0]!]).open(ssoRow!.clientSecret!), SSO_SECRET, 'the SSO secret too');
      assert.throws(() => new SecretBox([oldKey!]).open(ssoRow!.clientSecret!), /does not have/);
    } finally {
      await f.close();
    }
  });
});

describe('SecretBox', () => {
  test('seals with the first key, opens with any key of the ring, refuses tampering and unknown keys', () => {
    const [oldKey, newKey] = [SecretBox.newKey(), SecretBox.newKey()];
    const sealedOld = new SecretBox([oldKey]).seal('hello');
    const ring = new SecretBox([newKey, oldKey]);
    assert.equal(ring.open(sealedOld), 'hello');
    const sealedNew = ring.seal('hello');
    assert.notEqual(sealedNew, ring.seal('hello'), 'a fresh IV each time');
    assert.throws(
      () => new SecretBox([oldKey]).open(sealedNew),
      /sealed with key [0-9a-f]{8}, which this server does not have/,
    );
    const tampered = `${sealedNew.slice(0, -2)}${sealedNew.endsWith('A') ? 'B' : 'A'}A`;
    assert.throws(() => ring.open(tampered));
    assert.equal(ring.open('plain, from before sealing'), 'plain, from before sealing');
  });
});
