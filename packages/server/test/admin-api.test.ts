/**
 * The admin API beyond access rules: office validation (CIDRs, coordinates,
 * overlaps → 409 with details), CSV import (per-row errors, all or nothing),
 * sign-in (throttling with Retry-After, cookie attributes, logout, expiry),
 * users (owners only, the last owner stays), tokens (shown once, revocation
 * bites at once), settings validation, the audit log, report pagination,
 * retention, and the OpenAPI document.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, test } from 'node:test';
import { defaultConfig } from '../src/config/server-config.ts';
import { noopInsights } from '../src/insights-hook.ts';
import { buildServer, purgeExpired } from '../src/server.ts';
import { sampleReport } from './helpers/sample-report.ts';
import {
  type Fixture,
  PASSWORD,
  type SeededTenant,
  seedTenant,
  startFixture,
  startSeededFixture,
} from './helpers/server-fixture.ts';
import { storedReport } from './helpers/stored-report.ts';

let f: Fixture;
let T: SeededTenant;
const owner = () => ({ cookie: T.ownerCookie });
/** One request with the owner's session. */
const asOwner = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  f.app.inject({ method, url, headers: owner(), ...(payload === undefined ? {} : { payload }) });
const importCsv = (csv: string) =>
  f.app.inject({
    method: 'POST',
    url: '/api/v1/offices/import',
    headers: { ...owner(), 'content-type': 'text/csv' },
    payload: csv,
  });
const office = (over: Record<string, unknown> = {}) => ({
  name: 'Paris',
  city: 'Paris',
  country: 'FR',
  latitude: 48.85,
  longitude: 2.35,
  lanSubnets: ['172.16.0.0/16'],
  egressRanges: ['198.51.100.0/24', '2001:db8:1::/48'],
  ...over,
});

before(async () => ({ f, T } = await startSeededFixture('Admin')));
after(() => f.close());

describe('offices', () => {
  let parisId = '';
  test('create, read, update, delete', async () => {
    const res = await asOwner('POST', '/api/v1/offices', office());
    assert.equal(res.statusCode, 201, res.body);
    parisId = res.json().id;
    assert.deepEqual(res.json().egressRanges, ['198.51.100.0/24', '2001:db8:1::/48']);
    const patched = await asOwner('PATCH', `/api/v1/offices/${parisId}`, { address: '1 rue X' });
    assert.equal(patched.statusCode, 200);
    assert.equal(patched.json().address, '1 rue X');
    assert.equal(patched.json().city, 'Paris');
    const list = await asOwner('GET', '/api/v1/offices');
    const summary = list.json().items.find((o: { id: string }) => o.id === parisId);
    assert.deepEqual([summary.reports24h, summary.lastReportAt, summary.activeInsights], [0, null, []]);
  });

  const bad: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['an invalid CIDR', { lanSubnets: ['10.0.0.0/33'] }, '/lanSubnets/0', /not a valid CIDR/],
    [
      'host bits set',
      { egressRanges: ['203.0.113.7/24'] },
      '/egressRanges/0',
      /did you mean 203\.0\.113\.0\/24/,
    ],
    ['a bad IPv6 range', { egressRanges: ['2001:db8::zz/48'] }, '/egressRanges/0', /not a valid CIDR/],
    ['latitude out of range', { latitude: 91 }, '/latitude', /between -90 and 90/],
    ['longitude missing', { longitude: undefined }, '/longitude', /required/],
    ['an unknown field', { floor: 3 }, '/floor', /not an office field/],
    [
      'overlap within one list',
      { lanSubnets: ['10.9.0.0/16', '10.9.4.0/24'] },
      '/lanSubnets/1',
      /overlaps 10\.9\.0\.0\/16/,
    ],
  ];
  for (const [what, change, path, message] of bad) {
    test(`${what} → 422 naming ${path}`, async () => {
      const before = await f.store.offices.list(T.tenantId);
      const res = await asOwner(
        'POST',
        '/api/v1/offices',
        office({
          name: 'X',
          ...change,
          lanSubnets: change.lanSubnets ?? [],
          egressRanges: change.egressRanges ?? [],
        }),
      );
      assert.equal(res.statusCode, 422, res.body);
      const issue = res.json().error.details.issues.find((i: { path: string }) => i.path === path);
      assert.ok(issue, res.body);
      assert.match(issue.message, message);
      assert.deepEqual(await f.store.offices.list(T.tenantId), before);
    });
  }

  test('an overlap with another office → 409 listing the overlaps', async () => {
    const res = await asOwner(
      'POST',
      '/api/v1/offices',
      office({ name: 'Lyon', lanSubnets: ['172.16.5.0/24'], egressRanges: ['2001:db8:1:8000::/49'] }),
    );
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'NI_ERR_CONFLICT');
    const overlaps = res.json().error.details.overlaps as Array<Record<string, string>>;
    assert.deepEqual(
      overlaps.map((o) => [o.field, o.range, o.otherRange, o.officeName]),
      // Egress ranges may be shared (a cloud proxy's egress): only the LAN subnet conflicts.
      [['lanSubnets', '172.16.5.0/24', '172.16.0.0/16', 'Paris']],
    );
    // PATCH of the office itself does not conflict with its own ranges.
    const self = await asOwner('PATCH', `/api/v1/offices/${parisId}`, { lanSubnets: ['172.16.0.0/15'] });
    assert.equal(self.statusCode, 200, self.body);
  });

  test('CSV import: any bad row → 422 with row and column for each problem, nothing imported', async () => {
    const before = await f.store.offices.list(T.tenantId);
    const csv = [
      'name,address,city,country,latitude,longitude,lan_subnets,egress_ranges',
      'Oslo,,Oslo,NO,59.91,10.75,10.50.0.0/16,192.0.2.0/25',
      'Bergen,,Bergen,NO,north,5.32,10.51.0.0/16,',
      'Madrid,,Madrid,ES,40.41,-3.70,10.52.0.0/16;10.999.0.0/16,',
      'Oslo2,,Oslo,NO,59.9,10.7,10.50.128.0/17,',
      'Short,,Rome,IT',
      'Copy,,Paris,FR,48.8,2.3,172.16.9.0/24,',
    ].join('\n');
    const res = await importCsv(csv);
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().error.code, 'NI_ERR_SCHEMA');
    const rows = res.json().error.details.rows as Array<{
      row: number;
      column: string | null;
      message: string;
    }>;
    assert.deepEqual(
      rows.map((r) => [r.row, r.column]),
      [
        [3, 'latitude'],
        [4, 'lan_subnets'],
        [5, 'lan_subnets'],
        [6, null],
        [7, 'lan_subnets'],
      ],
    );
    assert.match(rows[2]!.message, /overlaps 10\.50\.0\.0\/16 of row 2/);
    assert.match(rows[4]!.message, /office "Paris"/);
    assert.deepEqual(await f.store.offices.list(T.tenantId), before);
  });

  test('CSV import: a missing column is reported on the header row', async () => {
    const res = await importCsv('name,city\nA,B\n');
    assert.equal(res.statusCode, 422);
    assert.ok(res.json().error.details.rows.every((r: { row: number }) => r.row === 1));
  });

  test('CSV import: good rows are all imported in one go', async () => {
    const csv =
      'name,address,city,country,latitude,longitude,lan_subnets,egress_ranges\nOslo,"Karl Johans gate 1",Oslo,NO,59.91,10.75,10.60.0.0/16 10.61.0.0/16,192.0.2.0/25\nRome,,Rome,IT,41.9,12.5,,2001:db8:9::/48\n';
    const res = await importCsv(csv);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { imported: 2, created: 2, updated: 0 });
    const oslo = (await f.store.offices.list(T.tenantId)).find((o) => o.name === 'Oslo')!;
    assert.deepEqual(oslo.lanSubnets, ['10.60.0.0/16', '10.61.0.0/16']);
    assert.equal(oslo.address, 'Karl Johans gate 1');
  });

  test('an office shows its last report even when that is older than 24 h', async () => {
    const at = new Date(Date.now() - 3 * 86_400_000).toISOString();
    await f.store.reports.insert(
      storedReport({
        tenantId: T.tenantId,
        id: sampleReport().reportId,
        receivedAt: at,
        officeId: parisId,
        deviceId: 'd',
        egressIp: '198.51.100.4',
      }),
    );
    const list = await asOwner('GET', '/api/v1/offices');
    const paris = list.json().items.find((o: { id: string }) => o.id === parisId);
    assert.deepEqual([paris.lastReportAt, paris.reports24h], [at, 0]);
  });

  test('unknown office → 404', async () => {
    const res = await asOwner('GET', '/api/v1/offices/nope');
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'NI_ERR_NOT_FOUND');
  });
});

describe('sign-in and sessions', () => {
  test('the session cookie is HttpOnly and SameSite=Strict; logout ends it', async () => {
    const res = await f.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: T.adminEmail.toUpperCase(), password: PASSWORD },
    });
    assert.equal(res.statusCode, 200);
    const c = res.cookies.find((x) => x.name === 'ni_session')!;
    assert.equal(c.httpOnly, true);
    assert.equal(c.sameSite, 'Strict');
    const cookie = `ni_session=${c.value}`;
    assert.equal(
      (await f.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).json().user.email,
      T.adminEmail,
    );
    assert.equal(
      (await f.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } })).statusCode,
      204,
    );
    assert.equal(
      (await f.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode,
      401,
    );
  });

  test('the session value is stored only hashed', async () => {
    const c = T.ownerCookie.split('=')[1]!;
    const db = (f.store as unknown as { dialect: string }).dialect;
    assert.equal(db, 'sqlite');
    assert.equal(await f.store.sessions.findByTokenHash(c), undefined);
  });

  test('five wrong passwords for one e-mail from one IP → 429 with Retry-After, even for the right one, on every server of the database', async () => {
    const g = await startFixture();
    try {
      const t = await seedTenant(g, 'Throttle');
      const login = (password: string) =>
        g.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: t.ownerEmail, password },
        });
      for (let i = 0; i < 5; i++) assert.equal((await login('wrong password!')).statusCode, 401);
      const res = await login(PASSWORD);
      assert.equal(res.statusCode, 429);
      assert.equal(res.json().error.code, 'NI_ERR_LOGIN_THROTTLED');
      assert.ok(Number(res.headers['retry-after']) > 60);
      // Another e-mail from the same IP is not affected.
      assert.equal(
        (
          await g.app.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            payload: { email: t.adminEmail, password: PASSWORD },
          })
        ).statusCode,
        200,
      );
      // A second server on the same database refuses too: the count is in the store, not in memory.
      const other = await buildServer(defaultConfig({ db: join(g.dir, 'test.db') }), {
        store: g.store,
        insights: noopInsights,
        logger: false,
      });
      try {
        const again = await other.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: t.ownerEmail, password: PASSWORD },
        });
        assert.equal(again.statusCode, 429);
      } finally {
        await other.close();
      }
      // Neither the e-mail nor the address is kept in the clear.
      const db = new DatabaseSync(join(g.dir, 'test.db'), { readOnly: true });
      try {
        const rows = db.prepare('SELECT * FROM login_failures').all();
        assert.equal(rows.length, 1);
        assert.doesNotMatch(JSON.stringify(rows), /@|127\.0\.0\.1/);
      } finally {
        db.close();
      }
    } finally {
      await g.close();
    }
  });

  test('an expired session is refused', async () => {
    const res = await f.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: T.adminEmail, password: PASSWORD },
    });
    const value = res.cookies.find((x) => x.name === 'ni_session')!.value;
    await f.store.sessions.purgeExpired(new Date(Date.now() + 1000 * 3_600_000).toISOString());
    assert.equal(
      (
        await f.app.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          headers: { cookie: `ni_session=${value}` },
        })
      ).statusCode,
      401,
    );
    // Re-seed the cookies the other tests use.
    T = { ...T, ...(await relogin()) };
  });
});

async function relogin() {
  const get = async (email: string) => {
    const r = await f.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: PASSWORD },
    });
    return `ni_session=${r.cookies.find((x) => x.name === 'ni_session')!.value}`;
  };
  return { ownerCookie: await get(T.ownerEmail), adminCookie: await get(T.adminEmail) };
}

describe('users and tokens', () => {
  test('an owner adds an admin; weak passwords and duplicates are refused; the last owner stays', async () => {
    const add = (payload: unknown) => asOwner('POST', '/api/v1/users', payload as object);
    const weak = await add({ email: 'x@admin.example', password: 'short', role: 'admin' });
    assert.equal(weak.statusCode, 422);
    assert.match(weak.json().error.message, /\/password/);
    const ok = await add({ email: 'New@Admin.example', password: 'a good long password', role: 'admin' });
    assert.equal(ok.statusCode, 201);
    assert.equal(ok.json().email, 'new@admin.example');
    assert.ok(!('passwordHash' in ok.json()));
    assert.equal(
      (await add({ email: 'new@admin.example', password: 'a good long password', role: 'admin' })).statusCode,
      409,
    );
    const ownerId = (await f.store.users.findByEmail(T.ownerEmail))!.id;
    const last = await asOwner('DELETE', `/api/v1/users/${ownerId}`);
    assert.equal(last.statusCode, 409);
    const del = await asOwner('DELETE', `/api/v1/users/${ok.json().id}`);
    assert.equal(del.statusCode, 204);
  });

  test('an agent token is shown once, listed without its secret, and stops working when revoked', async () => {
    const res = await asOwner('POST', '/api/v1/agent-tokens', { name: 'branch' });
    assert.equal(res.statusCode, 201);
    const { id, token } = res.json() as { id: string; token: string };
    assert.match(token, /^nia_[A-Za-z0-9_-]{43}$/);
    const list = await asOwner('GET', '/api/v1/agent-tokens');
    assert.ok(!list.body.includes(token));
    assert.ok(!list.body.includes('tokenHash'));
    const up = () =>
      f.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        headers: { authorization: `Bearer ${token}` },
        payload: sampleReport(),
      });
    assert.equal((await up()).statusCode, 202);
    assert.equal((await asOwner('DELETE', `/api/v1/agent-tokens/${id}`)).statusCode, 204);
    assert.equal((await up()).statusCode, 401);
    assert.equal((await asOwner('DELETE', `/api/v1/agent-tokens/${id}`)).statusCode, 404);
  });

  test('a read-only API token reads but cannot write; API tokens cannot mint API tokens', async () => {
    const res = await asOwner('POST', '/api/v1/api-tokens', { name: 'grafana', scope: 'read' });
    const token = res.json().token as string;
    assert.match(token, /^nit_/);
    const h = { authorization: `Bearer ${token}` };
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/v1/offices', headers: h })).statusCode, 200);
    assert.equal(
      (
        await f.app.inject({
          method: 'POST',
          url: '/api/v1/offices',
          headers: h,
          payload: office({ name: 'Z', lanSubnets: [], egressRanges: [] }),
        })
      ).statusCode,
      403,
    );
    const rw = await f.app.inject({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: { authorization: `Bearer ${T.writeToken}` },
      payload: { name: 'x', scope: 'read' },
    });
    assert.equal(rw.statusCode, 403);
  });
});

describe('settings, audit, reports, retention, OpenAPI', () => {
  test('insight settings: invalid → 422 with path; valid is stored and returned', async () => {
    const bad = await asOwner('PUT', '/api/v1/settings/insights', { windowHours: 0 });
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().error.details.issues[0].path, '/windowHours');
    const ok = await asOwner('PUT', '/api/v1/settings/insights', { minSamples: 10 });
    assert.equal(ok.statusCode, 200);
    assert.equal((await asOwner('GET', '/api/v1/settings/insights')).json().minSamples, 10);
  });

  test('admin actions are in the audit log, newest first, paginated', async () => {
    const seen: Array<{ action: string; actor: string }> = [];
    let cursor: string | undefined;
    do {
      const res = await asOwner('GET', `/api/v1/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.json().items);
      cursor = res.json().nextCursor;
    } while (cursor);
    const actions = seen.map((a) => a.action);
    for (const a of [
      'office.create',
      'office.update',
      'office.import',
      'user.create',
      'user.delete',
      'agent-token.create',
      'agent-token.revoke',
      'api-token.create',
      'settings.insights',
      'auth.login',
    ])
      assert.ok(actions.includes(a), `audit has ${a}`);
    assert.equal(seen.find((a) => a.action === 'settings.insights')!.actor, `user:${T.ownerEmail}`);
    assert.equal(new Set(seen.map((a) => JSON.stringify(a))).size, seen.length);
  });

  test('reports page by cursor without gaps or repeats, and the detail returns the report as sent', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = sampleReport();
      await f.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        headers: { authorization: `Bearer ${T.agentToken}` },
        payload: r,
      });
      ids.push(r.reportId);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await asOwner('GET', `/api/v1/reports?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.statusCode, 200);
      seen.push(...res.json().items.map((i: { id: string }) => i.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    assert.equal(new Set(seen).size, seen.length);
    for (const id of ids) assert.ok(seen.includes(id));
    const detail = await asOwner('GET', `/api/v1/reports/${ids[0]}`);
    assert.equal(detail.json().report.reportId, ids[0]);
    assert.equal(detail.json().meta.egressIp, '127.0.0.1');
    assert.equal((await asOwner('GET', '/api/v1/reports?limit=500')).statusCode, 422);
  });

  test('retention purges reports older than the configured days, and only those', async () => {
    const old = sampleReport();
    await f.store.reports.insert(
      storedReport({
        tenantId: T.tenantId,
        id: old.reportId,
        receivedAt: new Date(Date.now() - 40 * 86_400_000).toISOString(),
        deviceId: null,
      }),
    );
    const count = async () => (await f.store.reports.list(T.tenantId, { limit: 200 })).items.length;
    const before = await count();
    const purged = await purgeExpired(f.store, f.app.netinsights.config, new Date());
    assert.equal(purged, 1);
    assert.equal(await count(), before - 1);
    assert.equal(await f.store.reports.get(T.tenantId, old.reportId), undefined);
  });

  test('the periodic purge forgets single sign-on requests nobody finished', async () => {
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    const st = {
      tenantId: T.tenantId,
      codeVerifier: 'v',
      nonce: 'n',
      redirectUri: 'https://x/cb',
      createdAt: at(0),
    };
    await f.store.signIn.saveState({ ...st, stateHash: 'abandoned', expiresAt: at(-1000) });
    await f.store.signIn.saveState({ ...st, stateHash: 'pending', expiresAt: at(600_000) });
    await purgeExpired(f.store, f.app.netinsights.config, new Date());
    assert.equal(await f.store.signIn.takeState('abandoned'), undefined);
    assert.ok(await f.store.signIn.takeState('pending'));
  });

  test('the OpenAPI document lists every /api route with its access and error shape', async () => {
    const doc = (await f.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    assert.equal(doc.openapi, '3.1.0');
    for (const r of f.app.routeCatalog.routes.filter((x) => x.url.startsWith('/api/'))) {
      const op = doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()];
      assert.ok(op, `${r.method} ${r.url} documented`);
      assert.ok(op.responses.default, 'error response documented');
    }
    assert.equal(
      doc.paths['/api/v1/reports'].post.requestBody.content['application/json'].schema.title,
      'netinsights ProbeReport v1',
    );
    assert.deepEqual(doc.paths['/api/v1/reports'].post.security, [{ agentToken: [] }]);
    assert.ok(
      doc.paths['/api/v1/auth/sso/start'].get.responses['302'],
      'the sign-in hop documents its redirect',
    );
    assert.equal(
      doc.paths['/api/v1/settings/sso'].put.requestBody.content['application/json'].schema.type,
      'object',
    );
  });
});
