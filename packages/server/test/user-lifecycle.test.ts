/**
 * What happens to a user's access when the user goes, and what adding a user
 * tells about other tenants: API tokens used to outlive the admin who made
 * them, and a duplicate e-mail answered "a user with e-mail … exists" even
 * when that user belonged to another tenant.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Fixture, type SeededTenant, seedTenant, startFixture } from './helpers/server-fixture.ts';

describe('user lifecycle', () => {
  let f: Fixture;
  let A: SeededTenant;
  let B: SeededTenant;
  before(async () => {
    f = await startFixture();
    A = await seedTenant(f, 'Life A');
    B = await seedTenant(f, 'Life B');
  });
  after(() => f.close());

  const as = (cookie: string) => ({ cookie });

  test('API tokens die with the user who created them (they used to keep working)', async () => {
    const admin = (await f.store.users.findByEmail(A.adminEmail))!;
    const mint = async (cookie: string, name: string) => {
      const res = await f.app.inject({
        method: 'POST',
        url: '/api/v1/api-tokens',
        headers: as(cookie),
        payload: { name, scope: 'read-write' },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; token: string };
    };
    const adminsToken = await mint(A.adminCookie, 'admin automation');
    const ownersToken = await mint(A.ownerCookie, 'owner automation');
    const offices = (token: string) =>
      f.app.inject({ method: 'GET', url: '/api/v1/offices', headers: { authorization: `Bearer ${token}` } });
    assert.equal((await offices(adminsToken.token)).statusCode, 200, 'works while its creator exists');

    const del = await f.app.inject({
      method: 'DELETE',
      url: `/api/v1/users/${admin.id}`,
      headers: as(A.ownerCookie),
    });
    assert.equal(del.statusCode, 204, del.body);
    assert.equal((await offices(adminsToken.token)).statusCode, 401, 'revoked with its creator, at once');
    assert.equal((await offices(ownersToken.token)).statusCode, 200, "another user's token is untouched");
    assert.equal(
      (await offices(A.writeToken)).statusCode,
      200,
      'tokens without a recorded creator are untouched',
    );
    const rows = await f.store.apiTokens.list(A.tenantId);
    assert.equal(rows.find((r) => r.id === adminsToken.id)?.createdBy, admin.id);
    assert.ok(rows.find((r) => r.id === adminsToken.id)?.revokedAt);
  });

  test('adding a user whose e-mail another tenant uses does not say that a user exists (it used to)', async () => {
    const add = (email: string) =>
      f.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: as(A.ownerCookie),
        payload: { email, password: 'a good long password', role: 'admin' },
      });
    const other = await add(B.ownerEmail);
    assert.equal(other.statusCode, 409);
    assert.doesNotMatch(other.body, /exists|Life B|tenant/i);
    assert.match(other.json().error.message, /cannot be used for a new user/);
    const own = await add(A.ownerEmail);
    assert.equal(own.statusCode, 409);
    assert.match(own.json().error.message, /already a user of this organisation/);
  });
});
