/**
 * Enrollment secrets: the repository on every store dialect (a use is
 * counted only while the secret is usable, so the limit holds under
 * concurrent enrollments; expiry, revocation and tenant isolation), and the
 * HTTP exchange — a secret created by an admin (shown once, stored hashed)
 * traded by an agent for its own working agent token bound to the secret's
 * office, audited; an unknown, revoked, expired or used-up secret refused
 * with NI_ERR_ENROLLMENT_REFUSED and a message that says which.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashSecret } from '../src/auth/secrets.ts';
import type { EnrollmentSecretRow } from '../src/enrollment/store-contract.ts';
import { type Fixture, type SeededTenant, startSeededFixture } from './helpers/server-fixture.ts';
import { storeFactory, testDialects } from './store/dialects.ts';

const T0 = Date.parse('2026-11-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const secretRow = (
  tenantId: string,
  id: string,
  over: Partial<EnrollmentSecretRow> = {},
): EnrollmentSecretRow => ({
  tenantId,
  id,
  name: `secret ${id}`,
  officeId: null,
  secretHash: hashSecret(`${tenantId}/${id}`),
  createdAt: at(0),
  expiresAt: null,
  maxUses: null,
  uses: 0,
  lastUsedAt: null,
  revokedAt: null,
  ...over,
});

for (const dialect of testDialects())
  describe(`enrollment repository: ${dialect}`, () => {
    const stores = storeFactory(dialect);
    after(() => stores.cleanup());

    test('uses are counted up to the limit, concurrent uses included; never past expiry or revocation', async () => {
      const s = await stores.open();
      for (const id of ['t1', 't2']) await s.tenants.create({ id, name: id, createdAt: at(0) });
      await s.enrollment.create(secretRow('t1', 'limited', { maxUses: 3 }));
      await s.enrollment.create(secretRow('t1', 'expiring', { expiresAt: at(60) }));
      await s.enrollment.create(secretRow('t1', 'revoked'));
      const tries = await Promise.all(
        Array.from({ length: 6 }, () => s.enrollment.consume('t1', 'limited', at(1))),
      );
      assert.equal(tries.filter(Boolean).length, 3, 'exactly maxUses succeed');
      assert.equal((await s.enrollment.findBySecretHash(hashSecret('t1/limited')))?.uses, 3);
      assert.equal(await s.enrollment.consume('t1', 'expiring', at(59)), true);
      assert.equal(await s.enrollment.consume('t1', 'expiring', at(60)), false, 'expired at expiresAt');
      assert.equal(await s.enrollment.revoke('t1', 'revoked', at(2)), true);
      assert.equal(await s.enrollment.revoke('t1', 'revoked', at(3)), false, 'revoked once');
      assert.equal(await s.enrollment.consume('t1', 'revoked', at(4)), false);
      // Another tenant can neither use nor revoke t1's secret, nor list it.
      assert.equal(await s.enrollment.consume('t2', 'expiring', at(5)), false);
      assert.equal(await s.enrollment.revoke('t2', 'expiring', at(5)), false);
      assert.deepEqual(await s.enrollment.list('t2'), []);
      assert.deepEqual(
        (await s.enrollment.list('t1')).map((r) => [r.id, r.uses, r.revokedAt !== null]),
        [
          ['expiring', 1, false],
          ['limited', 3, false],
          ['revoked', 0, true],
        ],
      );
    });
  });

describe('enrollment over HTTP', () => {
  let f: Fixture;
  let T: SeededTenant;
  before(async () => ({ f, T } = await startSeededFixture('Enrolling')));
  after(() => f.close());

  const create = async (body: object) => {
    const res = await f.app.inject({
      method: 'POST',
      url: '/api/v1/enrollment-secrets',
      headers: { cookie: T.ownerCookie },
      payload: body,
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; secret: string; expiresAt: string | null };
  };
  const enroll = (secret: string) =>
    f.app.inject({ method: 'POST', url: '/api/v1/agent/enroll', payload: { secret, deviceId: 'laptop-1' } });

  test('a secret is traded for a working agent token bound to its office; stored hashed, audited', async () => {
    const s = await create({
      name: 'Intune rollout',
      officeId: T.officeId,
      maxUses: 100,
      expiresInHours: 24,
    });
    assert.match(s.secret, /^nie_[\w-]{43}$/);
    const res = await enroll(s.secret);
    assert.equal(res.statusCode, 201, res.body);
    const { token, officeId } = res.json() as { token: string; officeId: string };
    assert.match(token, /^nia_/);
    assert.equal(officeId, T.officeId);
    const config = await f.app.inject({
      method: 'GET',
      url: '/api/v1/agent/config',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(config.statusCode, 200, 'the new token works');
    const listed = await f.app.inject({
      method: 'GET',
      url: '/api/v1/enrollment-secrets',
      headers: { cookie: T.ownerCookie },
    });
    assert.ok(!listed.body.includes(s.secret), 'the secret is never shown again');
    assert.equal(listed.json().items.find((x: { id: string }) => x.id === s.id).uses, 1);
    const row = await f.store.enrollment.findBySecretHash(hashSecret(s.secret));
    assert.equal(row?.id, s.id, 'found by its hash');
    const audit = await f.app.inject({
      method: 'GET',
      url: '/api/v1/audit',
      headers: { cookie: T.ownerCookie },
    });
    assert.ok(audit.json().items.some((a: { action: string }) => a.action === 'agent-token.enroll'));
  });

  test('refused with a clear reason: unknown, revoked, expired, used up', async () => {
    const refusedWith = async (secret: string, why: RegExp) => {
      const res = await enroll(secret);
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(res.json().error.code, 'NI_ERR_ENROLLMENT_REFUSED');
      assert.match(res.json().error.message, why);
    };
    await refusedWith('nie_not-a-secret', /not known/);
    const revoked = await create({ name: 'leaked' });
    const del = await f.app.inject({
      method: 'DELETE',
      url: `/api/v1/enrollment-secrets/${revoked.id}`,
      headers: { cookie: T.ownerCookie },
    });
    assert.equal(del.statusCode, 204);
    await refusedWith(revoked.secret, /revoked at/);
    const once = await create({ name: 'one device', maxUses: 1 });
    assert.equal((await enroll(once.secret)).statusCode, 201);
    await refusedWith(once.secret, /used 1 of 1 times/);
    const short = await create({ name: 'short', expiresInHours: 0.0001 });
    await new Promise((r) => setTimeout(r, Date.parse(short.expiresAt ?? '') - Date.now() + 50));
    await refusedWith(short.secret, /expired at/);
  });

  test('only admins with write access create or revoke secrets', async () => {
    for (const headers of [
      { authorization: `Bearer ${T.agentToken}` },
      { authorization: `Bearer ${T.readToken}` },
    ]) {
      const res = await f.app.inject({
        method: 'POST',
        url: '/api/v1/enrollment-secrets',
        headers,
        payload: { name: 'x' },
      });
      assert.equal(res.statusCode, 403, res.body);
    }
  });
});
