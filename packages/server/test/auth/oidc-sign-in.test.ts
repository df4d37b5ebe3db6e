/**
 * Single sign-on against a real OpenID provider (oidc-provider on loopback):
 * a good sign-in creates a session with the role the claims map to; a wrong
 * issuer, a replayed state, a state from another browser, an expired id
 * token and a user outside the allowed domains are refused and sign nobody
 * in; the client secret is never shown; passwords can be turned off.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { identityOf, roleOf } from '../../src/auth/oidc.ts';
import { readKeyFile } from '../../src/config/secret-key.ts';
import { SecretBox } from '../../src/notify/secret-box.ts';
import { startTestProvider, type TestProvider } from '../helpers/oidc-provider.ts';
import { type Fixture, type SeededTenant, seedTenant, startFixture } from '../helpers/server-fixture.ts';

const PUBLIC_URL = 'https://netinsights.test';
const CALLBACK = `${PUBLIC_URL}/api/v1/auth/sso/callback`;

let f: Fixture;
let idp: TestProvider;
let T: SeededTenant;

const settings = (over: Record<string, unknown> = {}) => ({
  enabled: true,
  label: 'Contoso ID',
  slug: 'contoso',
  issuer: idp.issuer,
  clientId: idp.clientId,
  clientSecret: idp.clientSecret,
  allowedDomains: ['contoso.example'],
  roleClaim: 'roles',
  roleMap: { 'netinsights-owners': 'owner', 'netinsights-admins': 'admin' },
  defaultRole: 'viewer',
  passwordsEnabled: true,
  ...over,
});

async function configure(over: Record<string, unknown> = {}) {
  const res = await f.app.inject({
    method: 'PUT',
    url: '/api/v1/settings/sso',
    headers: { cookie: T.ownerCookie },
    payload: settings(over),
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

/** Starts a sign-in as `email`, lets the provider sign in `account`, and returns the callback request. */
async function toCallback(email: string, account: string) {
  const start = await f.app.inject({
    method: 'GET',
    url: `/api/v1/auth/sso/start?email=${encodeURIComponent(email)}`,
  });
  assert.equal(start.statusCode, 302, start.body);
  const cookie = start.cookies.find((c) => c.name === 'ni_sso_state')!;
  idp.signInAs(account);
  const back = await idp.browse(start.headers.location as string);
  assert.equal(`${back.origin}${back.pathname}`, CALLBACK);
  return { url: `${back.pathname}${back.search}`, cookie: `ni_sso_state=${cookie.value}` };
}

const callback = (cb: { url: string; cookie: string }) =>
  f.app.inject({ method: 'GET', url: cb.url, headers: { cookie: cb.cookie } });

async function me(res: { cookies: Array<{ name: string; value: string }> }) {
  const s = res.cookies.find((c) => c.name === 'ni_session');
  assert.ok(s, 'a session cookie is set');
  const who = await f.app.inject({
    method: 'GET',
    url: '/api/v1/auth/me',
    headers: { cookie: `ni_session=${s.value}` },
  });
  return who.json();
}

const noSession = (res: { cookies: Array<{ name: string; value: string }> }) =>
  assert.equal(
    res.cookies.find((c) => c.name === 'ni_session' && c.value !== ''),
    undefined,
    'no session was started',
  );

before(async () => {
  idp = await startTestProvider(CALLBACK);
  f = await startFixture({ notifyAllowPrivateTargets: true, publicUrl: PUBLIC_URL });
  T = await seedTenant(f, 'Contoso');
  idp.accounts.set('alice', {
    email: 'alice@contoso.example',
    email_verified: true,
    roles: ['netinsights-admins'],
  });
  idp.accounts.set('olga', {
    email: 'Olga@Contoso.example',
    email_verified: true,
    roles: ['x', 'netinsights-owners'],
  });
  idp.accounts.set('victor', { email: 'victor@contoso.example', email_verified: true });
  idp.accounts.set('mallory', {
    email: 'mallory@evil.example',
    email_verified: true,
    roles: ['netinsights-owners'],
  });
  await configure();
});

after(async () => {
  await f?.close();
  await idp?.close();
});

describe('OIDC sign-in', () => {
  test('the settings never show the client secret, and keep it when it is omitted', async () => {
    const res = await f.app.inject({
      method: 'GET',
      url: '/api/v1/settings/sso',
      headers: { cookie: T.ownerCookie },
    });
    assert.equal(res.json().clientSecretSet, true);
    assert.ok(!res.body.includes(idp.clientSecret));
    const { clientSecret: _omit, ...rest } = settings();
    const put = await f.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/sso',
      headers: { cookie: T.ownerCookie },
      payload: rest,
    });
    assert.equal(put.statusCode, 200, put.body);
    assert.equal(put.json().clientSecretSet, true);
    const audit = await f.app.inject({
      method: 'GET',
      url: '/api/v1/audit',
      headers: { cookie: T.ownerCookie },
    });
    assert.match(audit.body, /sso\.update/);
    const stored = JSON.stringify((await f.store.audit.list(T.tenantId, { limit: 50 })).items);
    assert.match(stored, /clientSecretChanged/);
    assert.ok(!stored.includes(idp.clientSecret), 'the audit log does not keep the secret');
  });

  test('the client secret is stored sealed under the server key, and the sign-in opens it', async () => {
    const row = await f.store.signIn.getOidc(T.tenantId);
    assert.ok(row?.clientSecret, 'a secret is stored');
    assert.ok(SecretBox.isSealed(row.clientSecret), 'sealed, not in the clear');
    assert.ok(!row.clientSecret.includes(idp.clientSecret));
    const [key] = readKeyFile(join(f.dir, 'test.db.key'));
    assert.equal(new SecretBox([key!]).open(row.clientSecret), idp.clientSecret);
    // The provider takes only the real secret (client_secret_post): a session proves it was opened.
    const res = await callback(await toCallback('alice@contoso.example', 'alice'));
    assert.equal(res.statusCode, 302, res.body);
  });

  test('the sign-in page learns of the provider by e-mail domain or tenant slug', async () => {
    const byEmail = await f.app.inject({
      method: 'GET',
      url: '/api/v1/auth/sso?email=someone@contoso.example',
    });
    assert.deepEqual(byEmail.json(), {
      enabled: true,
      label: 'Contoso ID',
      passwordsEnabled: true,
      startUrl: '/api/v1/auth/sso/start?email=someone%40contoso.example',
    });
    const bySlug = await f.app.inject({ method: 'GET', url: '/api/v1/auth/sso?tenant=contoso' });
    assert.equal(bySlug.json().enabled, true);
    const other = await f.app.inject({ method: 'GET', url: '/api/v1/auth/sso?email=a@fabrikam.example' });
    assert.deepEqual(other.json(), { enabled: false });
  });

  test('a good sign-in creates a session with the role the claims map to', async () => {
    const admin = await callback(await toCallback('alice@contoso.example', 'alice'));
    assert.equal(admin.statusCode, 302, admin.body);
    assert.equal(admin.headers.location, '/');
    const a = await me(admin);
    assert.equal(a.user.email, 'alice@contoso.example');
    assert.equal(a.user.role, 'admin');
    assert.equal(a.tenant.id, T.tenantId);

    const owner = await me(await callback(await toCallback('olga@contoso.example', 'olga')));
    assert.equal(owner.user.role, 'owner', 'the most powerful mapped role wins');
    assert.equal(owner.user.email, 'olga@contoso.example');
    const viewer = await me(await callback(await toCallback('victor@contoso.example', 'victor')));
    assert.equal(viewer.user.role, 'viewer', 'no mapped value: the default role');
  });

  test('the role follows the claims at every sign-in', async () => {
    idp.accounts.set('alice', { email: 'alice@contoso.example', email_verified: true, roles: [] });
    try {
      const again = await me(await callback(await toCallback('alice@contoso.example', 'alice')));
      assert.equal(again.user.role, 'viewer');
    } finally {
      idp.accounts.set('alice', {
        email: 'alice@contoso.example',
        email_verified: true,
        roles: ['netinsights-admins'],
      });
    }
  });

  test('a replayed state is refused', async () => {
    const cb = await toCallback('alice@contoso.example', 'alice');
    assert.equal((await callback(cb)).statusCode, 302);
    const replay = await callback(cb);
    assert.equal(replay.statusCode, 401, replay.body);
    assert.match(replay.json().error.message, /unknown, expired or already used/);
    noSession(replay);
  });

  test('an answer without the browser’s state cookie is refused (login CSRF)', async () => {
    const cb = await toCallback('alice@contoso.example', 'alice');
    const res = await f.app.inject({ method: 'GET', url: cb.url });
    assert.equal(res.statusCode, 401);
    assert.match(res.json().error.message, /not started in this browser/);
    noSession(res);
  });

  test('a user outside the allowed domains is refused, and no user is created', async () => {
    const res = await callback(await toCallback('alice@contoso.example', 'mallory'));
    assert.equal(res.statusCode, 403, res.body);
    assert.match(
      res.json().error.message,
      /mallory@evil\.example is outside the domains this organisation allows/,
    );
    noSession(res);
    assert.equal(await f.store.users.findByEmail('mallory@evil.example'), undefined);
  });

  test('an expired id token is refused', async () => {
    const cb = await toCallback('alice@contoso.example', 'alice');
    idp.idTokenTtl = 1;
    // The token is made, then held past its 1 s lifetime and the 5 s clock tolerance.
    idp.tokenDelayMs = 7_000;
    try {
      const res = await callback(cb);
      assert.equal(res.statusCode, 502, res.body);
      assert.equal(res.json().error.code, 'NI_ERR_SSO_PROVIDER');
      assert.match(res.json().error.message, /exp|expired|timestamp/i);
      noSession(res);
    } finally {
      idp.idTokenTtl = 3600;
      idp.tokenDelayMs = 0;
    }
  });

  test('a wrong issuer is refused before the browser is sent anywhere', async () => {
    // The same provider under another name: its metadata names an issuer other than the configured one.
    await configure({ issuer: idp.issuer.replace('127.0.0.1', 'localhost') });
    try {
      const start = await f.app.inject({
        method: 'GET',
        url: '/api/v1/auth/sso/start?email=alice@contoso.example',
      });
      assert.equal(start.statusCode, 502, start.body);
      assert.equal(start.json().error.code, 'NI_ERR_SSO_PROVIDER');
      assert.match(start.json().error.message, /issuer/i);
      assert.equal(start.headers.location, undefined);
    } finally {
      await configure();
    }
  });

  test('passwords can be turned off per tenant, only while single sign-on is on', async () => {
    const bad = await f.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/sso',
      headers: { cookie: T.ownerCookie },
      payload: settings({ enabled: false, passwordsEnabled: false }),
    });
    assert.equal(bad.statusCode, 422);
    await configure({ passwordsEnabled: false });
    try {
      const login = await f.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: T.adminEmail, password: T.password },
      });
      assert.equal(login.statusCode, 403, login.body);
      assert.match(login.json().error.message, /signs in with Contoso ID only/);
      const wrong = await f.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: T.adminEmail, password: 'not the password at all' },
      });
      assert.equal(wrong.statusCode, 401, 'a wrong password learns nothing about how the tenant signs in');
    } finally {
      await configure();
    }
    const back = await f.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: T.adminEmail, password: T.password },
    });
    assert.equal(back.statusCode, 200);
  });

  test('one client address cannot start sign-ins without bound (each stores a pending request)', async () => {
    let refused: { statusCode: number; headers: Record<string, unknown> } | undefined;
    for (let i = 0; i < 40 && !refused; i++) {
      const res = await f.app.inject({
        method: 'GET',
        url: '/api/v1/auth/sso/start?email=a@contoso.example',
        remoteAddress: '127.0.0.9',
      });
      if (res.statusCode !== 302) refused = res;
    }
    assert.equal(refused?.statusCode, 429);
    assert.ok(Number(refused?.headers['retry-after']) >= 1);
    const other = await f.app.inject({
      method: 'GET',
      url: '/api/v1/auth/sso/start?email=a@contoso.example',
    });
    assert.equal(other.statusCode, 302, 'another address is not affected');
  });

  test('a user of another tenant with the same e-mail cannot be signed in here', async () => {
    const other = await seedTenant(f, 'Fabrikam');
    idp.accounts.set('fab', { email: other.ownerEmail, email_verified: true });
    await configure({ allowedDomains: ['contoso.example', 'fabrikam.example'] });
    try {
      const res = await callback(await toCallback('x@contoso.example', 'fab'));
      assert.equal(res.statusCode, 403, res.body);
      noSession(res);
      assert.equal((await f.store.users.findByEmail(other.ownerEmail))?.tenantId, other.tenantId);
    } finally {
      await configure();
    }
  });
});

describe('the tenant’s checks on a verified id token', () => {
  const cfg = {
    tenantId: 't',
    enabled: true,
    label: 'Entra ID',
    slug: null,
    issuer: 'https://login.microsoftonline.com/tid-1/v2.0',
    clientId: 'c',
    clientSecret: null,
    allowedDomains: [],
    entraTenantId: 'tid-1',
    roleClaim: 'roles',
    roleMap: { 'NetInsights.Admin': 'admin' as const },
    defaultRole: null,
    passwordsEnabled: true,
    updatedAt: '',
  };
  test('Entra ID: another directory is refused; the UPN stands in for a missing e-mail', () => {
    assert.throws(
      () =>
        identityOf(cfg, {
          sub: 's',
          tid: 'tid-2',
          preferred_username: 'a@contoso.example',
          roles: ['NetInsights.Admin'],
        }),
      /another Microsoft Entra directory \(tid tid-2\)/,
    );
    const who = identityOf(cfg, {
      sub: 's',
      tid: 'tid-1',
      preferred_username: 'A@Contoso.example',
      roles: ['NetInsights.Admin'],
    });
    assert.deepEqual(who, { subject: 's', email: 'a@contoso.example', role: 'admin' });
  });
  test('no mapped role and no default refuses; a claim value "constructor" maps to nothing', () => {
    assert.throws(
      () => identityOf(cfg, { sub: 's', tid: 'tid-1', email: 'a@x.example', roles: ['constructor'] }),
      /has no role here/,
    );
    assert.equal(roleOf(cfg, ['constructor', '__proto__', 'toString']), null);
    assert.equal(roleOf(cfg, 'NetInsights.Admin'), 'admin');
  });
  test('an unverified e-mail is refused', () => {
    assert.throws(
      () =>
        identityOf(
          { ...cfg, entraTenantId: null },
          { sub: 's', email: 'a@x.example', email_verified: false },
        ),
      /has not verified the e-mail address/,
    );
  });
});
