/**
 * Egress geolocation sources: a MaxMind-format database read by the real
 * `maxmind` reader (`--geoip`), and the JSON/CSV range table (`--geo-table`);
 * a discovered location takes its city from them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadGeoTable, openMmdb } from '../src/geo/geo-lookup.ts';
import { Double, writeMmdb } from './helpers/mmdb-writer.ts';
import { sampleReport } from './helpers/sample-report.ts';
import { seedTenant, startFixture } from './helpers/server-fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'ni-geo-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const city = (name: string, country: string, lat: number, lon: number) => ({
  city: { names: { en: name } },
  country: { iso_code: country },
  location: { latitude: new Double(lat), longitude: new Double(lon) },
});

test('an .mmdb city database answers through the maxmind reader, most specific network first', async () => {
  const file = join(dir, 'city.mmdb');
  writeFileSync(
    file,
    writeMmdb([
      { cidr: '203.0.113.0/24', record: city('Lyon', 'FR', 45.76, 4.84) },
      { cidr: '198.51.100.128/25', record: city('Oslo', 'NO', 59.91, 10.75) },
    ]),
  );
  const geo = await openMmdb(file);
  assert.deepEqual(geo.lookup('203.0.113.77'), {
    city: 'Lyon',
    country: 'FR',
    latitude: 45.76,
    longitude: 4.84,
  });
  assert.deepEqual(geo.lookup('198.51.100.200')?.city, 'Oslo');
  assert.equal(geo.lookup('198.51.100.5'), null);
  assert.equal(geo.lookup('not an ip'), null);
});

test('a CSV range table works like the JSON one', () => {
  const file = join(dir, 'geo.csv');
  writeFileSync(
    file,
    'range,city,country,latitude,longitude\n192.0.2.0/24,Berlin,DE,52.52,13.40\n2001:db8:5::/48,Rome,IT,41.9,12.5\n',
  );
  const geo = loadGeoTable(file);
  assert.equal(geo.lookup('192.0.2.9')?.city, 'Berlin');
  assert.equal(geo.lookup('2001:db8:5:1::1')?.country, 'IT');
  assert.equal(geo.lookup('192.0.3.1'), null);
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'range,city\n10.0.0.1/8,X\n');
  assert.throws(() => loadGeoTable(bad), /entry 1: range .*host bits/);
});

test('with --geoip, an unmapped report’s discovered location carries the city', async () => {
  const file = join(dir, 'serve.mmdb');
  writeFileSync(file, writeMmdb([{ cidr: '203.0.113.0/24', record: city('Lyon', 'FR', 45.76, 4.84) }]));
  const f = await startFixture({ geoip: file, trustedProxies: ['127.0.0.1'] }, { geo: undefined });
  try {
    const t = await seedTenant(f, 'GeoIP');
    const res = await f.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      headers: { authorization: `Bearer ${t.agentToken}`, 'x-forwarded-for': '203.0.113.9' },
      payload: sampleReport(),
    });
    assert.equal(res.statusCode, 202, res.body);
    const items = (
      await f.app.inject({ method: 'GET', url: '/api/v1/discovered', headers: { cookie: t.ownerCookie } })
    ).json().items as Array<Record<string, unknown>>;
    assert.deepEqual(
      items.map((d) => [d.egressPrefix, d.city, d.country, d.latitude]),
      [['city:FR/Lyon', 'Lyon', 'FR', 45.76]],
    );
  } finally {
    await f.close();
  }
});

test('an unreadable --geoip file is a ConfigError naming the key', async () => {
  await assert.rejects(
    startFixture({ geoip: join(dir, 'missing.mmdb') }, { geo: undefined }),
    (e: unknown) => (e as { key?: string }).key === 'geoip',
  );
});
