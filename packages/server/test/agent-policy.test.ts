/**
 * Central agent settings (PUT /api/v1/settings/agents) and what agents get
 * from GET /api/v1/agent/config: defaults, a custom service profile, every
 * refusal naming its JSON path with the stored settings left as they were,
 * write access required, and the change audited.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadProfile, parseProfile } from '@netinsights/protocol';
import { type Fixture, type SeededTenant, startSeededFixture } from './helpers/server-fixture.ts';

let f: Fixture;
let T: SeededTenant;

before(async () => ({ f, T } = await startSeededFixture('Agents')));
after(() => f.close());

const put = (body: unknown, headers: Record<string, string> = { cookie: T.ownerCookie }) =>
  f.app.inject({ method: 'PUT', url: '/api/v1/settings/agents', headers, payload: body as object });
const agentConfig = async () => {
  const res = await f.app.inject({
    method: 'GET',
    url: '/api/v1/agent/config',
    headers: { authorization: `Bearer ${T.agentToken}` },
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as {
    profile: { id: string; websocket: { holdSeconds: number }; throughput: { url: string } };
    intervalSeconds: number;
    wsHoldSeconds: number;
  };
};

/** The shipped profile under another id, with one host fewer: what an admin might upload. */
function customProfile() {
  const p = structuredClone(loadProfile('m365')) as ReturnType<typeof loadProfile> & { id: string };
  p.id = 'contoso-m365';
  p.version = '2026-11-01';
  return p;
}

test('until an admin changes them, agents get the shipped profile every 15 minutes', async () => {
  const res = await f.app.inject({
    method: 'GET',
    url: '/api/v1/settings/agents',
    headers: { cookie: T.ownerCookie },
  });
  assert.deepEqual(res.json(), {
    intervalSeconds: 900,
    wsHoldSeconds: null,
    profile: null,
    downloadUrl: null,
  });
  const config = await agentConfig();
  assert.equal(config.profile.id, 'm365');
  assert.equal(config.intervalSeconds, 900);
  assert.equal(config.wsHoldSeconds, config.profile.websocket.holdSeconds);
});

test('a custom profile and schedule reach the agents at their next config fetch, and the change is audited', async () => {
  const res = await put({ intervalSeconds: 300, wsHoldSeconds: 45, profile: customProfile() });
  assert.equal(res.statusCode, 200, res.body);
  const config = await agentConfig();
  assert.equal(config.profile.id, 'contoso-m365');
  assert.equal(config.intervalSeconds, 300);
  assert.equal(config.wsHoldSeconds, 45);
  const audit = await f.app.inject({
    method: 'GET',
    url: '/api/v1/audit',
    headers: { cookie: T.ownerCookie },
  });
  const entry = audit.json().items.find((a: { action: string }) => a.action === 'settings.agents');
  assert.ok(entry, audit.body);
  assert.equal(entry.actor, `user:${T.ownerEmail}`);
});

test('bad settings are refused with the JSON path, and the settings in force stay as they were', async () => {
  const broken = customProfile() as unknown as { hosts: unknown };
  broken.hosts = 'everything';
  const cases: Array<[unknown, RegExp]> = [
    [{ intervalSeconds: 5, wsHoldSeconds: null, profile: null }, /\/intervalSeconds/],
    [{ intervalSeconds: 90_000, wsHoldSeconds: null, profile: null }, /\/intervalSeconds/],
    [{ intervalSeconds: 600.5, wsHoldSeconds: null, profile: null }, /\/intervalSeconds/],
    [{ intervalSeconds: 600, wsHoldSeconds: 601, profile: null }, /\/wsHoldSeconds/],
    [{ intervalSeconds: 600, wsHoldSeconds: null }, /\/profile/],
    [{ intervalSeconds: 600, wsHoldSeconds: null, profile: null, extra: 1 }, /extra|additional/i],
    [{ intervalSeconds: 600, wsHoldSeconds: null, profile: broken }, /\/profile/],
    [[], /\//],
  ];
  for (const [body, path] of cases) {
    const res = await put(body);
    assert.equal(res.statusCode, 422, `${JSON.stringify(body).slice(0, 80)}: ${res.body}`);
    assert.equal(res.json().error.code, 'NI_ERR_SCHEMA');
    assert.match(res.body, path);
  }
  const config = await agentConfig();
  assert.equal(config.profile.id, 'contoso-m365');
  assert.equal(config.intervalSeconds, 300);
});

test('the tenant name reaches the agents inside their profile; a bad one is refused with its path', async () => {
  const res = await put({ intervalSeconds: 600, wsHoldSeconds: null, profile: null, tenantName: 'contoso' });
  assert.equal(res.statusCode, 200, res.body);
  const config = (await agentConfig()) as unknown as { profile: { tenantName?: string; id: string } };
  assert.equal(config.profile.id, 'm365');
  assert.equal(config.profile.tenantName, 'contoso');
  // What the agent receives is a profile the probe accepts (the agent checks it in full).
  assert.equal(parseProfile(config.profile, 'the collector').tenantName, 'contoso');
  for (const bad of ['Contoso', 'contoso.sharepoint.com', 'con toso', 'x'.repeat(61)]) {
    const refused = await put({ intervalSeconds: 600, wsHoldSeconds: null, profile: null, tenantName: bad });
    assert.equal(refused.statusCode, 422, bad);
    assert.match(refused.body, /\/tenantName/, bad);
  }
  assert.equal(
    ((await agentConfig()) as unknown as { profile: { tenantName?: string } }).profile.tenantName,
    'contoso',
  );
  // Cleared: the profile's own (the shipped one has none), so the SharePoint hosts wait again.
  assert.equal(
    (await put({ intervalSeconds: 600, wsHoldSeconds: null, profile: null, tenantName: null })).statusCode,
    200,
  );
  assert.equal(
    ((await agentConfig()) as unknown as { profile: { tenantName?: string } }).profile.tenantName,
    undefined,
  );
});

test("the organisation's download object replaces the profile's, shipped or custom; a bad URL is refused at /downloadUrl", async () => {
  const file = 'https://contoso.sharepoint.com/:u:/s/it/speedtest-15MB.bin?download=1';
  for (const profile of [null, customProfile()]) {
    const res = await put({ intervalSeconds: 600, wsHoldSeconds: null, profile, downloadUrl: file });
    assert.equal(res.statusCode, 200, res.body);
    const config = await agentConfig();
    assert.equal(config.profile.id, profile ? 'contoso-m365' : 'm365');
    assert.equal(config.profile.throughput.url, file);
  }
  for (const [url, message] of [
    ['http://contoso.sharepoint.com/file.bin', /\/downloadUrl/],
    ['https://contoso sharepoint/file', /\/downloadUrl.*not a valid URL/],
    ['speedtest.bin', /\/downloadUrl/],
  ] as const) {
    const res = await put({ intervalSeconds: 600, wsHoldSeconds: null, profile: null, downloadUrl: url });
    assert.equal(res.statusCode, 422, res.body);
    assert.match(res.body, message);
  }
  // Nothing already accepted is lost; null goes back to the profile's own URL.
  assert.equal((await agentConfig()).profile.throughput.url, file);
  assert.equal((await put({ intervalSeconds: 600, wsHoldSeconds: null, profile: null })).statusCode, 200);
  assert.equal((await agentConfig()).profile.throughput.url, loadProfile('m365').throughput.url);
});

test('changing them needs write access; agents and read-only tokens cannot', async () => {
  const body = { intervalSeconds: 600, wsHoldSeconds: null, profile: null };
  assert.equal((await put(body, { authorization: `Bearer ${T.readToken}` })).statusCode, 403);
  assert.equal((await put(body, { authorization: `Bearer ${T.agentToken}` })).statusCode, 403);
  assert.equal((await put(body, { authorization: `Bearer ${T.writeToken}` })).statusCode, 200);
  assert.equal((await agentConfig()).intervalSeconds, 600);
});
