/**
 * Offices could only be created by CSV, and any country text was taken.
 * A CSV row now updates the office it names (by an `id` column, else by
 * name) and the answer counts created and updated offices; countries are
 * ISO 3166-1 alpha-2 codes, with a suggestion for a name.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Fixture, type SeededTenant, seedTenant, startSeededFixture } from './helpers/server-fixture.ts';

let f: Fixture;
let T: SeededTenant;
const HEADER = 'name,address,city,country,latitude,longitude,lan_subnets,egress_ranges';
const importCsv = (csv: string, cookie = T.ownerCookie) =>
  f.app.inject({
    method: 'POST',
    url: '/api/v1/offices/import',
    headers: { cookie, 'content-type': 'text/csv' },
    payload: csv,
  });
const officesNamed = async (tenantId = T.tenantId) =>
  new Map((await f.store.offices.list(tenantId)).map((o) => [o.name, o]));

before(async () => {
  ({ f, T } = await startSeededFixture('CSV updates'));
  const res = await importCsv(
    [
      HEADER,
      'Lyon,,Lyon,FR,45.76,4.84,10.70.0.0/16,198.51.100.0/26',
      'Turin,,Turin,IT,45.07,7.69,10.71.0.0/16,',
    ].join('\n'),
  );
  assert.equal(res.statusCode, 200, res.body);
});
after(() => f.close());

test('a CSV row for an existing office name created nothing and failed on its own ranges: it updates that office', async () => {
  const before = await officesNamed();
  // The same subnet as before plus a new one: the office's old ranges are replaced, not "overlapped".
  const res = await importCsv(
    [
      HEADER,
      ' lyon ,"1 place Bellecour",Lyon,FR,45.76,4.84,10.70.0.0/16 10.72.0.0/16,198.51.100.0/26',
      'Nice,,Nice,FR,43.7,7.27,10.73.0.0/16,',
    ].join('\n'),
  );
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { imported: 2, created: 1, updated: 1 });
  const after = await officesNamed();
  const lyon = after.get('lyon') ?? after.get('Lyon');
  assert.equal(lyon?.id, before.get('Lyon')?.id, 'the same office, not a new one');
  assert.deepEqual(lyon?.lanSubnets, ['10.70.0.0/16', '10.72.0.0/16']);
  assert.equal(lyon?.address, '1 place Bellecour');
  assert.ok(after.has('Nice'));
  assert.equal(after.size, before.size + 1);
});

test('an id column updates that office, renaming it; an unknown id is an error, never a new office', async () => {
  const turin = (await officesNamed()).get('Turin')!;
  const res = await importCsv(
    [`id,${HEADER}`, `${turin.id},Torino,,Turin,IT,45.07,7.69,10.71.0.0/16,`].join('\n'),
  );
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { imported: 1, created: 0, updated: 1 });
  assert.equal((await f.store.offices.get(T.tenantId, turin.id))?.name, 'Torino');

  const count = (await f.store.offices.list(T.tenantId)).length;
  const unknown = await importCsv(
    [`id,${HEADER}`, 'no-such-id,Milan,,Milan,IT,45.46,9.19,10.74.0.0/16,'].join('\n'),
  );
  assert.equal(unknown.statusCode, 422);
  assert.deepEqual(unknown.json().error.details.rows, [
    {
      row: 2,
      column: 'id',
      message: 'no office with id no-such-id in this organisation (leave id empty to create one)',
    },
  ]);
  assert.equal((await f.store.offices.list(T.tenantId)).length, count, 'nothing imported');
});

test("another organisation's office id is unknown here: it is neither updated nor revealed", async () => {
  const other = await seedTenant(f, 'Elsewhere');
  const theirs = (await f.store.offices.list(other.tenantId))[0]!;
  const res = await importCsv(
    [`id,${HEADER}`, `${theirs.id},Taken,,Oslo,NO,59.9,10.7,10.75.0.0/16,`].join('\n'),
  );
  assert.equal(res.statusCode, 422);
  assert.equal(res.json().error.details.rows[0].column, 'id');
  assert.equal((await f.store.offices.get(other.tenantId, theirs.id))?.name, theirs.name);
});

test('two rows for one office, or a rename onto another office name, are refused with both rows named', async () => {
  const nice = (await officesNamed()).get('Nice')!;
  const twice = await importCsv(
    [HEADER, 'Nice,,Nice,FR,43.7,7.27,10.73.0.0/16,', 'NICE,,Nice,FR,43.7,7.27,10.76.0.0/16,'].join('\n'),
  );
  assert.equal(twice.statusCode, 422);
  assert.deepEqual(twice.json().error.details.rows, [
    { row: 3, column: 'name', message: 'row 2 is already for office "Nice"' },
  ]);
  const clash = await importCsv(
    [`id,${HEADER}`, `${nice.id},Torino,,Nice,FR,43.7,7.27,10.73.0.0/16,`].join('\n'),
  );
  assert.equal(clash.statusCode, 422);
  assert.match(clash.json().error.details.rows[0].message, /office "Torino" already has this name/);
});

test('country codes were not checked: a name is refused with the code it stands for, a code is stored upper-case', async () => {
  const csv = [
    HEADER,
    'Berlin,,Berlin,Germany,52.5,13.4,10.77.0.0/16,',
    'Nowhere,,Atlantis,XX,0,0,10.78.0.0/16,',
  ].join('\n');
  const res = await importCsv(csv);
  assert.equal(res.statusCode, 422);
  assert.deepEqual(res.json().error.details.rows, [
    {
      row: 2,
      column: 'country',
      message: 'must be an ISO 3166-1 alpha-2 country code such as DE or US (did you mean DE?)',
    },
    { row: 3, column: 'country', message: 'must be an ISO 3166-1 alpha-2 country code such as DE or US' },
  ]);
  const office = {
    name: 'Bonn',
    city: 'Bonn',
    latitude: 50.7,
    longitude: 7.1,
    lanSubnets: [],
    egressRanges: [],
  };
  const post = (country: string) =>
    f.app.inject({
      method: 'POST',
      url: '/api/v1/offices',
      headers: { cookie: T.ownerCookie },
      payload: { ...office, country },
    });
  const uk = await post('UK');
  assert.equal(uk.statusCode, 422);
  assert.match(uk.json().error.message, /\/country .*did you mean GB\?/);
  const ok = await post(' de ');
  assert.equal(ok.statusCode, 201, ok.body);
  assert.equal(ok.json().country, 'DE');
  const patched = await f.app.inject({
    method: 'PATCH',
    url: `/api/v1/offices/${ok.json().id}`,
    headers: { cookie: T.ownerCookie },
    payload: { country: 'Deutschland' },
  });
  assert.equal(patched.statusCode, 422);
});
