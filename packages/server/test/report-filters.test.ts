/**
 * `GET /api/v1/reports` filters by office, device, result and time; a filter
 * value that cannot be right is a 422 naming the parameter, not an empty list.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Fixture, type SeededTenant, seedTenant, startSeededFixture } from './helpers/server-fixture.ts';
import { storedReport } from './helpers/stored-report.ts';

let f: Fixture;
let T: SeededTenant;
const T0 = Date.parse('2026-11-20T08:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();

before(async () => {
  ({ f, T } = await startSeededFixture('Filters'));
  const rows: Array<[string, number, string, string | null, number]> = [
    ['r-paris-ok', 0, 'laptop-1', T.officeId, 0],
    ['r-paris-bad', 1, 'laptop-1', T.officeId, 3],
    ['r-other-bad', 2, 'laptop-2', null, 1],
    ['r-paris-late', 30, 'laptop-2', T.officeId, 2],
  ];
  for (const [id, h, deviceId, officeId, failures] of rows)
    await f.store.reports.insert(
      storedReport({ tenantId: T.tenantId, id, receivedAt: at(h), deviceId, officeId, failures, checks: 5 }),
    );
});
after(() => f.close());

const ids = async (query: string) => {
  const res = await f.app.inject({
    method: 'GET',
    url: `/api/v1/reports?${query}`,
    headers: { cookie: T.ownerCookie },
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().items.map((r: { id: string }) => r.id);
};

test('the Reports page could not filter: office, device, result and time narrow the list', async () => {
  assert.deepEqual(await ids(`office=${T.officeId}`), ['r-paris-late', 'r-paris-bad', 'r-paris-ok']);
  assert.deepEqual(await ids('device=laptop-2'), ['r-paris-late', 'r-other-bad']);
  assert.deepEqual(await ids('result=passed'), ['r-paris-ok']);
  assert.deepEqual(await ids('result=failed'), ['r-paris-late', 'r-other-bad', 'r-paris-bad']);
  assert.deepEqual(await ids(`since=${at(1)}&until=${at(3)}`), ['r-other-bad', 'r-paris-bad']);
  // Any ISO 8601 offset means the same instant as the stored UTC time.
  assert.deepEqual(await ids(`since=${encodeURIComponent('2026-11-21T15:00:00+01:00')}`), ['r-paris-late']);
  assert.deepEqual(await ids(`office=${T.officeId}&device=laptop-1&result=failed`), ['r-paris-bad']);
});

test('a filter value that cannot be right is a 422 naming the parameter', async () => {
  const cases: Array<[string, RegExp]> = [
    ['result=broken', /\/result/],
    ['since=yesterday', /\/since/],
    ['until=2026-13-01', /\/until/],
    [`since=${at(3)}&until=${at(1)}`, /\/until must be later than since/],
    ['device=', /\/device/],
  ];
  for (const [query, named] of cases) {
    const res = await f.app.inject({
      method: 'GET',
      url: `/api/v1/reports?${query}`,
      headers: { cookie: T.ownerCookie },
    });
    assert.equal(res.statusCode, 422, `${query}: ${res.body}`);
    assert.equal(res.json().error.code, 'NI_ERR_SCHEMA');
    assert.match(res.json().error.message, named, query);
  }
});

test('the filters stay inside the tenant: another organisation with the same device name sees none of these', async () => {
  const other = await seedTenant(f, 'Elsewhere');
  const res = await f.app.inject({
    method: 'GET',
    url: '/api/v1/reports?device=laptop-1',
    headers: { cookie: other.ownerCookie },
  });
  assert.deepEqual(res.json().items, []);
});
