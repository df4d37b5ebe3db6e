/**
 * Serving the dashboard: client-side routes fall back to index.html, while
 * API paths and missing files stay 404 (a tab left open across an upgrade must
 * not get HTML for a script), and hashed assets are cacheable for good.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type Fixture, startFixture } from './helpers/server-fixture.ts';

const web = mkdtempSync(join(tmpdir(), 'ni-web-'));
let f: Fixture;

before(async () => {
  mkdirSync(join(web, 'assets'));
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>netinsights</title>');
  writeFileSync(join(web, 'assets', 'index-abc123.js'), 'console.log(1)');
  f = await startFixture({ webRoot: web });
});
after(async () => {
  await f.close();
  rmSync(web, { recursive: true, force: true });
});

test('dashboard routes (GET and HEAD) get index.html', async () => {
  for (const method of ['GET', 'HEAD'] as const) {
    const res = await f.app.inject({ method, url: '/offices/8f7e?window=7d' });
    assert.equal(res.statusCode, 200, `${method}: ${res.body}`);
    assert.match(String(res.headers['content-type']), /text\/html/);
  }
});

test('a missing asset or API path is a 404, never the HTML page', async () => {
  const asset = await f.app.inject({ url: '/assets/index-oldhash.js' });
  assert.equal(asset.statusCode, 404);
  assert.doesNotMatch(asset.body, /<!doctype html>/i);
  const api = await f.app.inject({ url: '/api/v1/no-such-route' });
  assert.equal(api.statusCode, 404);
  assert.equal(api.json().error.code, 'NI_ERR_NOT_FOUND');
});

test('hashed assets are served as immutable', async () => {
  const res = await f.app.inject({ url: '/assets/index-abc123.js' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['cache-control']), /immutable/);
});
