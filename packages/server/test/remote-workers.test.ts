/**
 * Remote workers and shared cloud-proxy egress, through the real ingest
 * route with a geo table: reports from home networks that match no office
 * were one discovered location per home /24; they are now grouped by the
 * city the geo database places their egress in. Offices whose users all go
 * out through one cloud proxy (Zscaler-style: the same egress range listed
 * by several offices) were refused with an overlap error; they are now
 * accepted and told apart by LAN subnet or the probe's office id.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cityGroupKey, groupLabel, parseCityGroup } from '../src/offices/remote-group.ts';
import { sampleReport } from './helpers/sample-report.ts';
import { type Fixture, type SeededTenant, seedTenant, startFixture } from './helpers/server-fixture.ts';

let f: Fixture;
let T: SeededTenant;
/** The documentation ranges (RFC 5737) stand in for two ISPs' home customers and a cloud proxy's egress. */
const GEO = [
  { range: '198.51.100.0/24', city: 'Berlin', country: 'DE', latitude: 52.52, longitude: 13.4 },
  { range: '203.0.113.0/25', city: 'Berlin', country: 'DE', latitude: 52.5, longitude: 13.38 },
  { range: '203.0.113.128/25', city: 'Hamburg', country: 'DE', latitude: 53.55, longitude: 9.99 },
];
const ZSCALER = '192.0.2.0/24';

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ni-remote-'));
  const table = join(dir, 'geo.json');
  writeFileSync(table, JSON.stringify(GEO));
  f = await startFixture({ trustedProxies: ['127.0.0.1'], geoTable: table }, { geo: undefined });
  T = await seedTenant(f, 'Remote');
});
after(() => f.close());

const asOwner = (method: 'GET' | 'POST', url: string, payload?: object) =>
  f.app.inject({ method, url, headers: { cookie: T.ownerCookie }, ...(payload ? { payload } : {}) });
const send = (r: ReturnType<typeof sampleReport>, egress: string) =>
  f.app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    headers: { authorization: `Bearer ${T.agentToken}`, 'x-forwarded-for': egress },
    payload: r,
  });
const office = (name: string, lanSubnets: string[]) => ({
  name,
  city: name,
  country: 'FR',
  latitude: 45,
  longitude: 4,
  lanSubnets,
  egressRanges: [ZSCALER],
});

test('remote workers made one discovered location per home /24: they are grouped by egress city', async () => {
  // Five home workers on three different ISP /24s in Berlin, one in Hamburg.
  const homes: Array<[string, string]> = [
    ['home-1', '198.51.100.7'],
    ['home-2', '198.51.100.201'],
    ['home-3', '203.0.113.9'],
    ['home-4', '203.0.113.77'],
    ['home-5', '203.0.113.200'],
  ];
  for (const [deviceId, ip] of homes)
    assert.equal((await send(sampleReport({ deviceId }), ip)).statusCode, 202);
  const items = (await asOwner('GET', '/api/v1/discovered')).json().items as Array<Record<string, unknown>>;
  const rows = items.map((d) => [d.egressPrefix, d.grouping, d.label, d.devices]).sort();
  assert.deepEqual(rows, [
    ['city:DE/Berlin', 'city', 'Remote workers in Berlin, DE', 4],
    ['city:DE/Hamburg', 'city', 'Remote workers in Hamburg, DE', 1],
  ]);
});

test('an egress the geo database does not place is still grouped by its /24', async () => {
  const res = await send(sampleReport({ deviceId: 'nowhere' }), '100.64.7.9');
  assert.equal(res.statusCode, 202);
  const items = (await asOwner('GET', '/api/v1/discovered')).json().items as Array<Record<string, unknown>>;
  const row = items.find((d) => d.egressPrefix === '100.64.7.0/24');
  assert.deepEqual([row?.grouping, row?.label], ['egress', '100.64.7.0/24']);
});

test('adopting a city group maps that city’s remote workers to the office from then on', async () => {
  const items = (await asOwner('GET', '/api/v1/discovered')).json().items as Array<Record<string, unknown>>;
  const hamburg = items.find((d) => d.egressPrefix === 'city:DE/Hamburg')!;
  const adopt = await asOwner('POST', `/api/v1/discovered/${hamburg.id}/adopt`, {
    name: 'Remote — Hamburg',
    city: 'Hamburg',
    country: 'DE',
    latitude: 53.55,
    longitude: 9.99,
    lanSubnets: [],
    egressRanges: [],
  });
  assert.equal(adopt.statusCode, 201, adopt.body);
  const res = await send(sampleReport({ deviceId: 'home-6' }), '203.0.113.250');
  assert.equal(res.json().officeId, adopt.json().id);
});

test('offices sharing a cloud proxy egress were refused as overlapping: they are accepted and told apart by LAN subnet or probe office id', async () => {
  const paris = await asOwner('POST', '/api/v1/offices', office('Paris', ['10.81.0.0/16']));
  const lyon = await asOwner('POST', '/api/v1/offices', office('Lyon', ['10.82.0.0/16']));
  const nice = await asOwner('POST', '/api/v1/offices', office('Nice', []));
  for (const r of [paris, lyon, nice]) assert.equal(r.statusCode, 201, r.body);
  const proxyIp = '192.0.2.33';
  const by = async (r: ReturnType<typeof sampleReport>) => (await send(r, proxyIp)).json().officeId;
  assert.equal(await by(sampleReport({ localAddress: '10.81.4.2' })), paris.json().id);
  assert.equal(await by(sampleReport({ localAddress: '10.82.9.9' })), lyon.json().id);
  assert.equal(
    await by(sampleReport({ localAddress: '192.168.1.5', officeId: nice.json().id })),
    nice.json().id,
  );
  // The shared egress alone names no single office: such a report is not guessed into one of them.
  assert.equal(await by(sampleReport({ localAddress: '192.168.1.5' })), null);
  // LAN subnets still may not overlap: they are what tells the offices apart.
  const clash = await asOwner('POST', '/api/v1/offices', office('Cannes', ['10.81.200.0/24']));
  assert.equal(clash.statusCode, 409);
  assert.deepEqual(
    clash.json().error.details.overlaps.map((o: Record<string, string>) => [o.field, o.officeName]),
    [['lanSubnets', 'Paris']],
  );
});

test('an egress range one office alone claims still maps by egress, the most specific range first', async () => {
  const own = await asOwner('POST', '/api/v1/offices', {
    ...office('Grenoble', []),
    egressRanges: ['192.0.2.64/26'],
  });
  assert.equal(own.statusCode, 201, own.body);
  assert.equal(
    (await send(sampleReport({ localAddress: '192.168.1.5' }), '192.0.2.70')).json().officeId,
    own.json().id,
  );
});

test('city group keys: city and country make the key, and read back', () => {
  assert.equal(
    cityGroupKey({ city: 'São Paulo', country: 'br', latitude: null, longitude: null }),
    'city:BR/São Paulo',
  );
  assert.equal(cityGroupKey({ city: null, country: 'BR', latitude: null, longitude: null }), undefined);
  assert.deepEqual(parseCityGroup('city:BR/São Paulo'), { country: 'BR', city: 'São Paulo' });
  assert.equal(parseCityGroup('198.51.100.0/24'), undefined);
  assert.equal(groupLabel('2001:db8::/48'), '2001:db8::/48');
});
