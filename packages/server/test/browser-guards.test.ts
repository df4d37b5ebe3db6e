/**
 * CSRF beyond SameSite, and the headers browsers are given. Sibling
 * subdomains and other ports of the same host are the same *site*, so a
 * SameSite=Strict session cookie still went with their form posts: a
 * `text/plain` form imported offices, and a POST queued a notification.
 * Now state changes from another origin are refused (Sec-Fetch-Site,
 * Origin), bodies must be in the route's documented content type, and
 * every answer carries CSP, frame and sniffing protections.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Fixture, type SeededTenant, seedTenant, startFixture } from './helpers/server-fixture.ts';

const CSV =
  'name,address,city,country,latitude,longitude,lan_subnets,egress_ranges\nForged,,Oslo,NO,59.9,10.7,10.250.0.0/16,\n';

describe('cross-site requests', () => {
  let f: Fixture;
  let T: SeededTenant;
  let web: string;
  before(async () => {
    web = mkdtempSync(join(tmpdir(), 'ni-web-'));
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>t</title>');
    f = await startFixture({ webRoot: web });
    T = await seedTenant(f, 'Csrf');
  });
  after(async () => {
    await f.close();
    rmSync(web, { recursive: true, force: true });
  });

  const importCsv = (headers: Record<string, string>, contentType = 'text/csv') =>
    f.app.inject({
      method: 'POST',
      url: '/api/v1/offices/import',
      headers: { cookie: T.ownerCookie, host: 'ni.example.com', 'content-type': contentType, ...headers },
      payload: CSV,
    });
  const officeNames = async () => (await f.store.offices.list(T.tenantId)).map((o) => o.name);

  test('a text/plain form from a sibling subdomain cannot import offices (it used to)', async () => {
    for (const [name, headers, type] of [
      [
        'same-site fetch metadata',
        { 'sec-fetch-site': 'same-site', origin: 'https://evil.example.com' },
        'text/csv',
      ],
      ['cross-site fetch metadata', { 'sec-fetch-site': 'cross-site' }, 'text/csv'],
      ['another port, Origin only', { origin: 'http://ni.example.com:8081' }, 'text/csv'],
      ['sibling subdomain, Origin only', { origin: 'http://evil.example.com' }, 'text/plain'],
    ] as const) {
      const res = await importCsv(headers, type);
      assert.equal(res.statusCode, 403, `${name}: ${res.body}`);
      assert.equal(res.json().error.code, 'NI_ERR_FORBIDDEN', name);
    }
    assert.ok(!(await officeNames()).includes('Forged'));
  });

  test('a text/plain body is refused with 415 even from the same origin: the route documents text/csv', async () => {
    const res = await importCsv({ 'sec-fetch-site': 'same-origin' }, 'text/plain');
    assert.equal(res.statusCode, 415, res.body);
    assert.match(res.json().error.message, /takes text\/csv, not text\/plain/);
    const json = await f.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { cookie: T.ownerCookie, 'content-type': 'text/csv' },
      payload: 'name,scope',
    });
    assert.equal(json.statusCode, 415, json.body);
  });

  test('a cross-site POST cannot queue a notification', async () => {
    const channel = await f.app.inject({
      method: 'POST',
      url: '/api/v1/notification-channels',
      headers: { cookie: T.ownerCookie },
      payload: { name: 'hook', type: 'webhook', config: { url: 'https://52.96.0.1/x' } },
    });
    assert.equal(channel.statusCode, 201, channel.body);
    const res = await f.app.inject({
      method: 'POST',
      url: `/api/v1/notification-channels/${channel.json().id}/test`,
      headers: { cookie: T.ownerCookie, 'sec-fetch-site': 'same-site' },
    });
    assert.equal(res.statusCode, 403, res.body);
    const deliveries = await f.app.inject({
      method: 'GET',
      url: '/api/v1/deliveries',
      headers: { cookie: T.ownerCookie, 'sec-fetch-site': 'same-site' },
    });
    assert.equal(deliveries.statusCode, 200, 'reading from the same site is still allowed');
    assert.equal(deliveries.json().items.length, 0);
  });

  test('the dashboard itself (same origin), and clients without fetch metadata, still work', async () => {
    const same = await importCsv({ 'sec-fetch-site': 'same-origin', origin: 'http://ni.example.com' });
    assert.equal(same.statusCode, 200, same.body);
    const curl = await f.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      headers: { authorization: `Bearer ${T.agentToken}`, 'content-type': 'application/json' },
      payload: '{}',
    });
    assert.equal(curl.statusCode, 422, 'reaches validation');
  });

  test('dashboard and API answers carry CSP, frame-ancestors, X-Frame-Options, nosniff and Referrer-Policy', async () => {
    for (const url of ['/', '/offices/x', '/api/v1/openapi.json', '/api/v1/nope']) {
      const res = await f.app.inject({ method: 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/, url);
      assert.match(csp, /frame-ancestors 'none'/, url);
      assert.match(csp, /script-src 'self'(;|$)/, url);
      assert.equal(res.headers['x-frame-options'], 'DENY', url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(res.headers['referrer-policy'], 'no-referrer', url);
    }
  });
});
