/**
 * The hosts a custom agent profile may name. A read-write API token could
 * push a profile that pointed every agent of the organisation at any host
 * (an intranet address, a third party): the fleet as a scanner. Now every
 * host of a pushed profile must be a Microsoft 365 endpoint or on the
 * organisation's list, which only a signed-in owner can change; refusals
 * name the JSON path and the host, and store nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadProfile, type ServiceProfile } from '@netinsights/protocol';
import { profileHosts } from '../src/agents/profile-hosts.ts';
import { type Fixture, type SeededTenant, startSeededFixture } from './helpers/server-fixture.ts';

let f: Fixture;
let T: SeededTenant;

before(async () => ({ f, T } = await startSeededFixture('Hosts')));
after(() => f.close());

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const putAgents = (profile: ServiceProfile | null, headers: Record<string, string>) =>
  f.app.inject({
    method: 'PUT',
    url: '/api/v1/settings/agents',
    headers,
    payload: { intervalSeconds: 600, wsHoldSeconds: null, profile },
  });
const putHosts = (allowed: unknown, headers: Record<string, string> = { cookie: T.ownerCookie }) =>
  f.app.inject({ method: 'PUT', url: '/api/v1/settings/agent-hosts', headers, payload: { allowed } });
const storedProfileId = async () =>
  (
    await f.app.inject({ method: 'GET', url: '/api/v1/settings/agents', headers: { cookie: T.ownerCookie } })
  ).json().profile?.id ?? null;

/** The shipped profile under another id, changed by `edit`. */
function custom(edit: (p: ServiceProfile) => void = () => {}): ServiceProfile {
  const p = structuredClone(loadProfile('m365'));
  p.id = 'contoso-m365';
  edit(p);
  return p;
}

describe('hosts a pushed agent profile may name', () => {
  test('a profile of Microsoft 365 hosts only (the shipped one, a tenant SharePoint file) is accepted from a read-write token', async () => {
    const res = await putAgents(
      custom((p) => {
        // Microsoft's own test downloads from the tenant's SharePoint: a catalog wildcard covers it.
        p.throughput.url = 'https://contoso.sharepoint.com/sites/it/Shared%20Documents/15MB.bin';
      }),
      bearer(T.writeToken),
    );
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(await storedProfileId(), 'contoso-m365');
  });

  test('a read-write token pointing the fleet at an intranet host is refused, naming the path and the host; nothing is stored', async () => {
    await putAgents(null, { cookie: T.ownerCookie });
    const res = await putAgents(
      custom((p) => {
        p.latency.host = 'intranet.corp.example';
      }),
      bearer(T.writeToken),
    );
    assert.equal(res.statusCode, 422, res.body);
    const issues = res.json().error.details.issues as { path: string; message: string }[];
    assert.deepEqual(
      issues.map((i) => i.path),
      ['/profile/latency/host'],
    );
    assert.match(issues[0]!.message, /names intranet\.corp\.example.*Hosts agents may test/);
    assert.equal(await storedProfileId(), null, 'the shipped profile stays in force');
  });

  test('URLs and address literals are hosts too: a WebSocket at 10.0.0.5 and a throughput object elsewhere', async () => {
    const res = await putAgents(
      custom((p) => {
        p.websocket.url = 'wss://10.0.0.5:8443/echo';
        p.throughput.url = 'https://files.attacker.example/big.bin';
      }),
      { cookie: T.adminCookie },
    );
    assert.equal(res.statusCode, 422, res.body);
    const paths = (res.json().error.details.issues as { path: string }[]).map((i) => i.path).sort();
    assert.deepEqual(paths, ['/profile/throughput/url', '/profile/websocket/url']);
  });

  test('only a signed-in owner changes the list: not a read-write token, not an admin', async () => {
    assert.equal((await putHosts(['*.corp.example'], bearer(T.writeToken))).statusCode, 403);
    assert.equal((await putHosts(['*.corp.example'], { cookie: T.adminCookie })).statusCode, 403);
    const read = await f.app.inject({
      method: 'GET',
      url: '/api/v1/settings/agent-hosts',
      headers: bearer(T.readToken),
    });
    assert.deepEqual(read.json(), { allowed: [] });
  });

  test("once an owner lists the organisation's hosts, a profile naming them is accepted, and both changes are audited", async () => {
    const listed = await putHosts(['*.Corp.example ', 'proxytest.fabrikam.example']);
    assert.equal(listed.statusCode, 200, listed.body);
    assert.deepEqual(listed.json(), { allowed: ['*.corp.example', 'proxytest.fabrikam.example'] });
    const res = await putAgents(
      custom((p) => {
        p.latency.host = 'intranet.corp.example';
      }),
      bearer(T.writeToken),
    );
    assert.equal(res.statusCode, 200, res.body);
    const audit = (await f.store.audit.list(T.tenantId, { limit: 20 })).items.map((e) => e.action);
    assert.ok(audit.includes('settings.agent-hosts'));
    assert.ok(audit.includes('settings.agents'));
  });

  test('a list entry that is a URL, or would allow every host, is refused with its index', async () => {
    for (const [allowed, path] of [
      [['ok.example', 'https://x.example/'], '/allowed/1'],
      [['*'], '/allowed/0'],
      [['*.*'], '/allowed/0'],
    ] as const) {
      const res = await putHosts(allowed);
      assert.equal(res.statusCode, 422, `${JSON.stringify(allowed)}: ${res.body}`);
      assert.equal(res.json().error.details.issues[0].path, path);
    }
  });
});

describe('profileHosts', () => {
  test('finds every host the shipped profile connects to', () => {
    const p = loadProfile('m365');
    const hosts = new Set(profileHosts(p).map((h) => h.host));
    const expected = [
      ...p.criticalDomains.flatMap((d) => d.hosts),
      new URL(p.websocket.url).hostname,
      new URL(p.throughput.url).hostname,
      p.quic.host,
      p.latency.host,
      ...(p.teamsMedia ? [p.teamsMedia.host] : []),
    ];
    for (const h of expected) assert.ok(hosts.has(h.toLowerCase()), `${h} is found`);
  });

  test('a host field a later profile version adds is found without being listed', () => {
    const found = profileHosts({ newCheck: { host: 'evil.example', mirrors: ['https://m.example/x'] } });
    assert.deepEqual(
      found.map((h) => [h.path, h.host]),
      [
        ['/newCheck/host', 'evil.example'],
        ['/newCheck/mirrors/0', 'm.example'],
      ],
    );
  });

  test('CA and vendor names are not hosts; ports and brackets are stripped', () => {
    const found = profileHosts({
      expectedCas: [{ name: 'DigiCert Global Root G2', role: 'root' }],
      latency: { host: '[2001:db8::1]' },
      quic: { host: 'Outlook.Office.com.' },
    });
    assert.deepEqual(
      found.map((h) => h.host),
      ['2001:db8::1', 'outlook.office.com'],
    );
  });
});
